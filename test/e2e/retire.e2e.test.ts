/**
 * Issue 14 through the real `sf` against the org emulator: a user still used by an integration is refused with what
 * uses it; a quiet one is frozen, its tokens revoked, then (the freeze dated back past the wait) deactivated with the
 * savings; --undo restores it; a dropped connection at each write, before or after the org did it, then the same
 * command ends in the same state with nothing done twice.
 */
import { expect } from 'chai';
import type { EmulatedOrg, FaultSpec } from '@sf-integration-user/org-emulator';
import { startSfSession, type SfResult, type SfSession } from './harness.js';

type Stage = { name: string; status: string; detail: string };
type RetireResult = {
  username: string;
  success: boolean;
  stages: Stage[];
  revokedApps: string[];
  sessionsEnded: number;
  license?: { license: string; freed: boolean; savingsPerYear?: number };
  check?: { inUse: string[]; tokens: Array<{ app: string }> };
};

const DAY = 86_400_000;
const daysAgo = (n: number): string => new Date(Date.now() - n * DAY).toISOString();
const STEPS: Array<{ step: string; fault: Omit<FaultSpec, 'respond'> }> = [
  { step: 'freeze', fault: { method: 'PATCH', path: /\/sobjects\/UserLogin\// } },
  { step: 'revoke', fault: { method: 'POST', path: '/services/oauth2/revoke' } },
  { step: 'sessions', fault: { method: 'DELETE', path: /\/sobjects\/AuthSession\// } },
  { step: 'deactivate', fault: { method: 'PATCH', path: /\/sobjects\/User\// } },
];
const DROPS = [
  { kind: 'drop', respond: { drop: true } as const, rerun: 'done' },
  { kind: 'dropAfter', respond: { dropAfter: true } as const, rerun: 'already done' },
];
const dropUser = (step: string, kind: string): string => `r.${step}.${kind.toLowerCase()}@acme-retire.com`;

describe('retire through the real sf', function () {
  let s: SfSession;
  let org: EmulatedOrg;
  const timings: string[] = [];

  before(async () => {
    const dropUsers = STEPS.flatMap(({ step }) => DROPS.map(({ kind }) => dropUser(step, kind)));
    s = await startSfSession({
      seed: {
        type: 'production',
        admin: { username: 'admin@acme-retire.com' },
        licenses: { salesforce: 30 },
        users: ['busy@acme-retire.com', 'quiet@acme-retire.com', ...dropUsers].map((username) => ({
          username,
          lastName: 'Int',
          profile: 'Standard User',
        })),
        loginHistory: [{ username: 'busy@acme-retire.com', loginTime: daysAgo(1), application: 'Marketo' }],
        oauthTokens: [
          { username: 'busy@acme-retire.com', appName: 'Marketo', lastUsedDate: daysAgo(1), useCount: 50 },
          { username: 'quiet@acme-retire.com', appName: 'Marketo', lastUsedDate: daysAgo(45), useCount: 50 },
          { username: 'quiet@acme-retire.com', appName: 'Data Loader', lastUsedDate: daysAgo(120), useCount: 2 },
          ...dropUsers.map((username) => ({ username, appName: 'Old ETL', lastUsedDate: daysAgo(60) })),
        ],
      },
      alias: 'prod',
    });
    org = s.emulator.org(0);
    for (const username of dropUsers)
      org.insert('AuthSession', {
        UsersId: org.user(username)!.Id,
        SessionType: 'Oauth2',
        LoginType: 'Remote Access 2.0',
        NumSecondsValid: 7200,
      });
  });
  after(async () => {
    console.log(`      sf timings: ${timings.join('; ')}`);
    await s?.stop();
  });
  afterEach(() => s?.emulator.faults.clear());

  const retire = async (label: string, user: string, extra: string[] = []): Promise<SfResult<RetireResult>> => {
    const r = await s.runSf<RetireResult>([
      'integration-user',
      'retire',
      '--target-org',
      'prod',
      '--user',
      user,
      ...extra,
    ]);
    timings.push(`${label} ${r.ms} ms`);
    return r;
  };
  const statuses = (r?: RetireResult): Record<string, string> =>
    Object.fromEntries((r?.stages ?? []).map((x) => [x.name, x.status]));
  const userLogin = (username: string): Record<string, unknown> =>
    org.records('UserLogin').find((l) => l.UserId === org.user(username)!.Id)!;
  const tokens = (username: string): number =>
    org.count(`SELECT Id FROM OauthToken WHERE UserId = '${org.user(username)!.Id}'`);
  const sessions = (username: string): number =>
    org.count(`SELECT Id FROM AuthSession WHERE UsersId = '${org.user(username)!.Id}'`);

  it('refuses a user still used by an integration, with what uses it and the command to move it (exit 69)', async () => {
    const r = await retire('busy', 'busy@acme-retire.com');
    const out = r.stdout + r.stderr;
    expect(r.exitCode, out).to.equal(69);
    expect(r.json?.name).to.equal('UserInUseError');
    expect(r.json?.message).to.contain('Marketo: 1 Remote Access 2.0 login').and.contain('OAuth token last used');
    expect((r.json?.actions ?? []).join('\n')).to.contain(
      'sf integration-user create --target-org prod --username marketo.integration@acme-retire.com --from-user busy@acme-retire.com',
    );
    expect(userLogin('busy@acme-retire.com').IsFrozen).to.equal(false);
  });

  it('freezes a quiet user, revokes its tokens, deactivates it after the wait with the savings, and --undo restores it', async () => {
    const user = 'quiet@acme-retire.com';
    const frozen = await retire('freeze', user);
    expect(frozen.exitCode, frozen.stdout + frozen.stderr).to.equal(0);
    expect(statuses(frozen.result)).to.deep.equal({ check: 'done', freeze: 'done' });
    expect(userLogin(user).IsFrozen).to.equal(true);

    const revoked = await retire('revoke', user, ['--revoke']);
    expect(revoked.exitCode).to.equal(0);
    expect(revoked.result.revokedApps.sort()).to.deep.equal(['Data Loader', 'Marketo']);
    expect(tokens(user)).to.equal(0);

    const early = await retire('deactivate (too early)', user, ['--deactivate']);
    expect(early.exitCode).to.equal(0);
    expect(statuses(early.result).deactivate).to.equal('waiting');
    expect(org.user(user)!.IsActive).to.equal(true);

    userLogin(user).LastModifiedDate = Date.now() - 8 * DAY;
    const done = await retire('deactivate', user, ['--deactivate']);
    expect(done.exitCode, done.stdout + done.stderr).to.equal(0);
    expect(statuses(done.result)).to.include({ freeze: 'already done', revoke: 'already done', deactivate: 'done' });
    expect(done.result.license).to.deep.include({ license: 'Salesforce', freed: true, savingsPerYear: 1200 });
    expect(org.user(user)!.IsActive).to.equal(false);

    const undone = await retire('undo', user, ['--undo']);
    expect(undone.exitCode, undone.stdout + undone.stderr).to.equal(0);
    expect(statuses(undone.result)).to.deep.equal({ check: 'done', unfreeze: 'done', reactivate: 'done' });
    expect(org.user(user)!.IsActive).to.equal(true);
    expect(userLogin(user).IsFrozen).to.equal(false);
  });

  for (const { step, fault } of STEPS) {
    for (const { kind, respond, rerun } of DROPS) {
      it(`${kind} in ${step}: exit 68 "re-run to resume", then the same command ends retired with ${step} ${rerun}`, async () => {
        const user = dropUser(step, kind);
        // deactivation only runs once frozen long enough: the deactivate case starts frozen 8 days ago
        if (step === 'deactivate')
          Object.assign(userLogin(user), { IsFrozen: true, LastModifiedDate: Date.now() - 8 * DAY });
        const added = s.emulator.faults.add({ ...fault, respond });
        const args = ['--deactivate', '--frozen-days', step === 'deactivate' ? '7' : '0'];
        const r = await retire(`${step} ${kind}`, user, args);
        const out = r.stdout + r.stderr;
        expect(added.fired, 'the fault fired').to.equal(1);
        expect(r.exitCode, out).to.equal(68);
        expect(r.json?.message, out)
          .to.contain(`Stage "${step}" failed`)
          .and.contain('re-run the same command to resume');

        const again = await retire(`${step} ${kind} re-run`, user, args);
        expect(again.exitCode, again.stdout + again.stderr).to.equal(0);
        expect(statuses(again.result)[step]).to.equal(rerun);
        expect(userLogin(user).IsFrozen).to.equal(true);
        expect(tokens(user)).to.equal(0);
        expect(sessions(user)).to.equal(0);
        expect(org.user(user)!.IsActive).to.equal(false);
      });
    }
  }
});
