/**
 * integration-user retire in-process against the org emulator: the check, freeze, revoke, deactivate and undo
 * stages, the guards, and every deactivation refusal Salesforce gives mapped to its action.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import sinon from 'sinon';
import type { SfError } from '@salesforce/core';
import {
  blockDeactivation,
  DEACTIVATION_TEXTS,
  startEmulator,
  attemptLogin,
  type DeactivationBlock,
  type Emulator,
  type EmulatedOrg,
} from '@sf-integration-user/org-emulator';
import IntegrationUserRetire from '../../../src/commands/integration-user/retire.js';
import type { RetireResult } from '../../../src/retire/types.js';
import { loginToEmulator, useTempHome, type TempHome } from '../../helpers/emulator-login.js';
import { captureOutput } from '../../helpers/output.js';

const OLD = 'integrations@acme.com';
const BUSY = 'busy@acme.com';
const DAY = 86_400_000;
const daysAgo = (n: number): string => new Date(Date.now() - n * DAY).toISOString();

describe('integration-user retire against the emulator', function () {
  this.timeout(60_000);
  let emu: Emulator;
  let org: EmulatedOrg;
  let home: TempHome;
  let dir: string;
  let sandbox: sinon.SinonSandbox;

  before(async () => {
    home = await useTempHome('retire-home-');
  });
  after(async () => home.restore());

  beforeEach(async () => {
    emu = await startEmulator({
      seed: {
        licenses: { salesforce: 10 },
        users: [
          { username: OLD, lastName: 'Integrations', profile: 'Standard User' },
          { username: BUSY, lastName: 'Busy', profile: 'Standard User' },
        ],
        loginHistory: [
          { username: OLD, loginTime: daysAgo(60), application: 'Marketo' },
          { username: BUSY, loginTime: daysAgo(2), application: 'Marketo' },
          { username: BUSY, loginTime: daysAgo(1), loginType: 'Application', application: 'Browser' },
        ],
        oauthTokens: [
          { username: OLD, appName: 'Marketo', lastUsedDate: daysAgo(60), useCount: 40 },
          { username: OLD, appName: 'Data Loader', lastUsedDate: daysAgo(90), useCount: 3 },
          { username: BUSY, appName: 'HubSpot', lastUsedDate: daysAgo(1), useCount: 9 },
        ],
      },
    });
    org = emu.org();
    await loginToEmulator(emu, [org]);
    dir = await mkdtemp(join(tmpdir(), 'retire-out-'));
    sandbox = sinon.createSandbox();
    captureOutput(sandbox);
  });
  afterEach(async () => {
    sandbox.restore();
    await emu.stop();
    await rm(dir, { recursive: true, force: true });
  });

  const run = (user: string, extra: string[] = []): Promise<RetireResult> =>
    IntegrationUserRetire.run([
      '--target-org',
      org.adminUsername,
      '--user',
      user,
      ...extra,
    ]) as unknown as Promise<RetireResult>;
  const fail = (user: string, extra: string[] = []): Promise<SfError> =>
    run(user, extra).then(
      () => {
        throw new Error('expected the command to fail');
      },
      (e: SfError) => e,
    );
  const frozen = (username: string): boolean =>
    org.query(`SELECT IsFrozen FROM UserLogin WHERE UserId = '${org.user(username)!.Id}'`)[0].IsFrozen === true;
  const backdateFreeze = (username: string, days: number): void => {
    const login = org.records('UserLogin').find((l) => l.UserId === org.user(username)!.Id)!;
    login.LastModifiedDate = Date.now() - days * DAY;
  };

  it('refuses a user still in use with what uses it and how to move each; changes nothing', async () => {
    org.insert('Dashboard', { Title: 'Pipeline', RunningUserId: org.user(BUSY)!.Id, Type: 'SpecifiedUser' });
    const e = await fail(BUSY);
    expect(e.name).to.equal('UserInUseError');
    expect(e.exitCode).to.equal(69);
    expect(e.message)
      .to.contain('Marketo: 1 Remote Access 2.0 login')
      .and.contain('HubSpot: OAuth token last used')
      .and.contain('a person: 1 browser')
      .and.contain('dashboard Pipeline');
    expect(e.actions!.join('\n')).to.contain(
      `sf integration-user create --target-org ${org.adminUsername} --username marketo.integration@acme.com --from-user ${BUSY}`,
    );
    expect(e.actions!.join('\n')).to.contain('"View dashboard as"');
    expect(frozen(BUSY)).to.equal(false);
  });

  it('dry run: reports and plans, changes nothing', async () => {
    const r = await run(OLD, ['--dry-run', '--deactivate']);
    expect(r.stages.map((s) => `${s.name}:${s.status}`)).to.deep.equal([
      'check:done',
      'freeze:planned',
      'revoke:planned',
      'sessions:planned',
      'deactivate:planned',
    ]);
    expect(r.check!.inUse).to.deep.equal([]);
    expect(r.check!.tokens.map((t) => t.app).sort()).to.deep.equal(['Data Loader', 'Marketo']);
    expect(JSON.stringify(r)).to.not.match(/DeleteToken|deleteToken/);
    expect(frozen(OLD)).to.equal(false);
  });

  it('freezes, then revokes per app, waits for the freeze period, deactivates with the savings; undo restores it', async () => {
    const first = await run(OLD);
    expect(first.stages.map((s) => `${s.name}:${s.status}`)).to.deep.equal(['check:done', 'freeze:done']);
    expect(frozen(OLD)).to.equal(true);

    const revoke = await run(OLD, ['--revoke']);
    expect(revoke.stages.map((s) => `${s.name}:${s.status}`)).to.deep.equal([
      'check:done',
      'freeze:already done',
      'revoke:done',
      'sessions:already done',
    ]);
    expect(revoke.revokedApps.sort()).to.deep.equal(['Data Loader', 'Marketo']);
    expect(org.query(`SELECT Id FROM OauthToken WHERE UserId = '${org.user(OLD)!.Id}'`)).to.have.length(0);

    const early = await run(OLD, ['--deactivate']);
    expect(early.stages.at(-1)).to.include({ name: 'deactivate', status: 'waiting' });
    expect(org.user(OLD)!.IsActive).to.equal(true);

    backdateFreeze(OLD, 8);
    const file = join(dir, 'retire.md');
    const done = await run(OLD, ['--deactivate', '--output-file', file]);
    expect(done.stages.at(-1)).to.include({ name: 'deactivate', status: 'done' });
    expect(done.license).to.deep.include({ license: 'Salesforce', freed: true, savingsPerYear: 1200 });
    expect(org.user(OLD)!.IsActive).to.equal(false);
    const md = await readFile(file, 'utf8');
    expect(md)
      .to.contain('# Retire integrations@acme.com')
      .and.contain('| deactivate | done |')
      .and.contain('Salesforce license freed: 1,200 a year');
    // no overwrite without --force
    expect((await fail(OLD, ['--deactivate', '--output-file', file])).name).to.equal('FileExistsError');

    const undo = await run(OLD, ['--undo']);
    expect(undo.stages.map((s) => `${s.name}:${s.status}`)).to.deep.equal([
      'check:done',
      'unfreeze:done',
      'reactivate:done',
    ]);
    expect(org.user(OLD)!.IsActive).to.equal(true);
    expect(frozen(OLD)).to.equal(false);
  });

  it('does not deactivate a frozen user something still tries to log in as (its failed attempts), unless --force', async () => {
    await run(OLD);
    backdateFreeze(OLD, 10);
    attemptLogin(org.state, OLD, { application: 'Marketo' });
    const e = await fail(OLD, ['--deactivate']);
    expect(e.name).to.equal('AttemptsSinceFreezeError');
    expect(e.exitCode).to.equal(69);
    expect(e.message).to.match(/Marketo \(Remote Access 2\.0\): User is Frozen/);
    expect(org.user(OLD)!.IsActive).to.equal(true);
    const forced = await run(OLD, ['--deactivate', '--force']);
    expect(forced.stages.at(-1)).to.include({ status: 'done' });
  });

  it('never retires the running user or the last active System Administrator, even with --force', async () => {
    const self = await fail(org.adminUsername, ['--force']);
    expect(self.name).to.equal('RunningUserError');
    expect(self.exitCode).to.equal(69);
    org.insert('User', {
      Username: 'admin2@acme.com',
      LastName: 'Two',
      Email: 'a@acme.com',
      Alias: 'a2',
      TimeZoneSidKey: 'GMT',
      LocaleSidKey: 'en_US',
      EmailEncodingKey: 'UTF-8',
      LanguageLocaleKey: 'en_US',
      ProfileId: org.profile('System Administrator')!.Id,
      IsActive: true,
    });
    // the other admin is the only admin besides the running one: retiring it is fine; the running one never
    const other = await run('admin2@acme.com', ['--force']);
    expect(other.stages[1]).to.include({ name: 'freeze', status: 'done' });
    org.user(org.adminUsername)!.IsActive = false;
    const last = await fail('admin2@acme.com', ['--deactivate', '--force']);
    expect(last.name).to.equal('LastAdminError');
  });

  const ACTIONS: Record<DeactivationBlock, RegExp> = {
    'default-case-owner': /Support Settings/,
    'default-workflow-user': /Process Automation Settings/,
    'hierarchy-field': /custom hierarchy field "Approver"/,
    'web-to-lead-creator': /Web-to-Lead, change Default Lead Creator/,
    'case-assignment-rules': /Case Assignment Rules and Escalation Rules/,
    'portal-admin': /Customer Portal Settings/,
    'workflow-email-alert': /Email Alerts/,
    'validation-rule': /validation rule on User/,
  };
  for (const reason of Object.keys(ACTIONS) as DeactivationBlock[]) {
    it(`maps Salesforce's refusal to deactivate (${reason}) to its action; the user stays frozen; after the fix a re-run deactivates`, async () => {
      blockDeactivation(org.state, org.user(OLD)!.Id, {
        reason,
        detail: reason === 'hierarchy-field' ? 'Approver' : 'Deactivation needs approval.',
        referrer: 'Ann Lee',
      });
      const e = await fail(OLD, ['--deactivate', '--force']);
      expect(e.name).to.equal('DeactivationRefusedError');
      expect(e.exitCode).to.equal(69);
      expect(e.message).to.contain(
        DEACTIVATION_TEXTS[reason]({
          reason,
          detail: reason === 'hierarchy-field' ? 'Approver' : 'Deactivation needs approval.',
          referrer: 'Ann Lee',
        }),
      );
      expect(e.actions!.join(' ')).to.match(ACTIONS[reason]);
      expect(frozen(OLD)).to.equal(true);
      expect(org.user(OLD)!.IsActive).to.equal(true);
    });
  }
});
