/**
 * Issue 13 in-process against the emulator: one folder of definitions for production, a sandbox refreshed from it and
 * a scratch org; several definitions with one failing; the drift check finding each kind of drift, reading only.
 */
import { cp, mkdtemp, rm, writeFile, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expect } from 'chai';
import sinon from 'sinon';
import type { SfError } from '@salesforce/core';
import { stubSfCommandUx } from '@salesforce/sf-plugins-core';
import IntegrationUserCreate from '../../../src/commands/integration-user/create.js';
import IntegrationUserCheck from '../../../src/commands/integration-user/check.js';
import type { CreateManyResult } from '../../../src/create/run-definitions.js';
import type { CheckResult } from '../../../src/drift/render.js';
import { scratchSuffix } from '../../../src/environments/resolve-username.js';
import { startEmulator, type Emulator, type EmulatedOrg } from '@sf-integration-user/org-emulator';
import { loginToEmulator, useTempHome, type TempHome } from '../../helpers/emulator-login.js';
import { deploysIn, orgWrites } from '../../helpers/requests.js';

const FOLDER = resolve('test/fixtures/environments/integrations');
const USERS = ['hubspot@acme-env.com', 'marketo@acme-env.com', 'netsuite@acme-env.com'];
const SEED = {
  type: 'production' as const,
  myDomain: 'acme',
  admin: { username: 'admin@acme-env.com' },
  licenses: { integration: 10, integrationPsl: 10 },
  roles: [{ name: 'Integrations', developerName: 'Integrations' }],
  permissionSets: [{ name: 'Hand_Made', license: 'SalesforceAPIIntegrationPsl' }],
};

describe('one definition for every org, many definitions, drift check (emulator)', function () {
  this.timeout(120_000);
  let emu: Emulator;
  let home: TempHome;
  let out: string;
  let prod: EmulatedOrg;
  let sandbox: sinon.SinonSandbox;

  before(async () => {
    home = await useTempHome('env-emu-home-', { SF_INTEGRATION_USER_POLL_MS: '10' });
    out = await mkdtemp(join(tmpdir(), 'env-emu-out-'));
    emu = await startEmulator({ seed: SEED });
    prod = emu.org(0);
  });
  after(async () => {
    await emu?.stop();
    await rm(out, { recursive: true, force: true });
    await home.restore();
  });
  beforeEach(() => {
    sandbox = sinon.createSandbox();
    stubSfCommandUx(sandbox);
    process.exitCode = undefined;
  });
  afterEach(() => {
    sandbox.restore();
    process.exitCode = undefined;
  });

  const create = (org: EmulatedOrg, extra: string[] = [], folder = FOLDER): Promise<CreateManyResult> =>
    IntegrationUserCreate.run([
      '--target-org',
      org.adminUsername,
      '--definition-file',
      folder,
      '--output-dir',
      out,
      '--force',
      '--json',
      ...extra,
    ]) as unknown as Promise<CreateManyResult>;
  const check = (org: EmulatedOrg, extra: string[] = []): Promise<CheckResult> =>
    IntegrationUserCheck.run([
      '--target-org',
      org.adminUsername,
      '--definition-file',
      FOLDER,
      '--json',
      ...extra,
    ]) as unknown as Promise<CheckResult>;
  const integrationUsers = (org: EmulatedOrg): string[] =>
    org
      .records('User')
      .map((u) => String(u.Username))
      .filter((u) => !u.startsWith('admin@'))
      .sort();
  const kinds = (r: CheckResult, username: string): string[] =>
    r.users.find((u) => u.username === username)?.drift.map((d) => d.kind) ?? [];

  it('production: a folder of three definitions (a file without the schema skipped) creates three users; a re-run changes nothing', async () => {
    await loginToEmulator(emu);
    const first = await create(prod);
    expect(first.success).to.equal(true);
    expect(first.definitions.map((d) => d.status)).to.deep.equal(['created', 'created', 'created']);
    expect(first.skippedFiles.map((f) => f.split('/').pop())).to.deep.equal(['notes.json']);
    expect(integrationUsers(prod)).to.deep.equal(USERS);
    emu.clearRequests();
    const again = await create(prod);
    expect(again.definitions.map((d) => d.status)).to.deep.equal(['unchanged', 'unchanged', 'unchanged']);
    expect(orgWrites(emu.requests)).to.deep.equal([]);
    expect(deploysIn(emu.requests)).to.deep.equal([]);
  });

  it('a sandbox refreshed from production: each refreshed copy is the same user (no duplicate), .invalid emails reported, fixed only with --fix-email', async () => {
    const uat = emu.refreshSandbox(prod, 'UAT');
    await loginToEmulator(emu, [uat]);
    const before = uat.records('User').length;
    const r = await create(uat);
    expect(r.environment).to.include({ kind: 'sandbox', sandboxName: 'uat', sandboxNameSource: 'custom-domain' });
    expect(r.definitions.map((d) => d.username)).to.deep.equal(USERS.map((u) => `${u}.UAT`));
    expect(r.definitions.map((d) => d.status)).to.deep.equal(['unchanged', 'unchanged', 'unchanged']);
    expect(uat.records('User').length, 'no duplicate').to.equal(before);
    expect(r.definitions[0].warnings.join(' ')).to.contain('.invalid').and.contain('--fix-email');
    expect(uat.user('hubspot@acme-env.com.UAT')?.Email).to.equal('it-team@acme-env.com.invalid');
    const fixed = await create(uat, ['--fix-email']);
    expect(fixed.success).to.equal(true);
    expect(uat.user('hubspot@acme-env.com.UAT')?.Email).to.equal('it-team@acme-env.com');
    emu.clearRequests();
    const again = await create(uat, ['--fix-email']);
    expect(again.definitions.map((d) => d.status)).to.deep.equal(['unchanged', 'unchanged', 'unchanged']);
    expect(orgWrites(emu.requests)).to.deep.equal([]);
  });

  it('a scratch org: usernames get a suffix derived from the org id; a re-run finds them', async () => {
    const scratch = emu.addOrg({
      type: 'scratch',
      admin: { username: 'admin@scratch-env.com' },
      licenses: { integration: 5, integrationPsl: 5 },
    });
    await loginToEmulator(emu, [scratch]);
    const r = await create(scratch);
    const suffix = scratchSuffix(scratch.id);
    expect(r.definitions.map((d) => d.username)).to.deep.equal(USERS.map((u) => `${u}.${suffix}`));
    expect(r.definitions.map((d) => d.status)).to.deep.equal(['created', 'created', 'created']);
    const again = await create(scratch);
    expect(again.definitions.map((d) => d.status)).to.deep.equal(['unchanged', 'unchanged', 'unchanged']);
    expect(scratch.records('User').length).to.equal(4);
  });

  it('three definitions, one failing: exit 68 with the other two done; fixed, a re-run finishes it', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'env-defs-'));
    const org = emu.addOrg({
      type: 'production',
      admin: { username: 'admin@acme-fail.com' },
      licenses: { integration: 5, integrationPsl: 5 },
    });
    await loginToEmulator(emu, [org]);
    await cp(FOLDER, folder, { recursive: true });
    const schema = resolve('definition-schema/integration-user-definition.schema.json');
    for (const f of ['hubspot', 'marketo', 'netsuite']) {
      const d = JSON.parse(await readFile(join(folder, `${f}.json`), 'utf8')) as Record<string, unknown>;
      await writeFile(
        join(folder, `${f}.json`),
        JSON.stringify({ ...d, $schema: schema, username: String(d.username).replace('acme-env', 'acme-fail') }),
      );
    }
    const bad = JSON.parse(await readFile(join(folder, 'marketo.json'), 'utf8')) as Record<string, unknown>;
    await writeFile(join(folder, 'marketo.json'), JSON.stringify({ ...bad, objects: { No_Such_Object__c: ['read'] } }));
    const error = await create(org, [], folder).then(
      () => undefined,
      (e: SfError) => e,
    );
    expect(error?.exitCode).to.equal(68);
    const data = error?.data as CreateManyResult;
    expect(data.definitions.map((d) => d.status)).to.deep.equal(['created', 'failed', 'created']);
    expect(data.definitions[1].error?.name).to.equal('UnknownObjectError');
    await writeFile(join(folder, 'marketo.json'), JSON.stringify(bad));
    const again = await create(org, [], folder);
    expect(again.definitions.map((d) => d.status)).to.deep.equal(['unchanged', 'created', 'unchanged']);
    await rm(folder, { recursive: true, force: true });
  });

  describe('drift check (production org)', () => {
    let undo: Array<() => void> = [];
    afterEach(() => {
      undo.forEach((u) => u());
      undo = [];
    });
    const set = (username: string, values: Record<string, unknown>): void => {
      const user = prod.user(username)!;
      const old = Object.fromEntries(Object.keys(values).map((k) => [k, user[k]]));
      prod.state.update(user, values);
      undo.push(() => prod.state.update(user, old));
    };
    const drifted = async (): Promise<CheckResult> => {
      emu.clearRequests();
      const r = await check(prod);
      expect(process.exitCode).to.equal(r.inSync ? undefined : 3);
      expect(orgWrites(emu.requests), 'no write').to.deep.equal([]);
      expect(deploysIn(emu.requests), 'no deploy').to.deep.equal([]);
      return r;
    };

    it('in sync: exit 0, and the Markdown summary is written', async () => {
      const file = join(out, 'drift.md');
      const r = await IntegrationUserCheck.run([
        '--target-org',
        prod.adminUsername,
        '--definition-file',
        FOLDER,
        '--output-file',
        file,
        '--json',
      ]);
      expect(r.inSync).to.equal(true);
      expect(process.exitCode).to.equal(undefined);
      expect(await readFile(file, 'utf8')).to.contain('every user matches its definition');
    });
    it('inactive user', async () => {
      set('marketo@acme-env.com', { IsActive: false });
      expect(kinds(await drifted(), 'marketo@acme-env.com')).to.include('inactive-user');
    });
    it('wrong profile', async () => {
      set('marketo@acme-env.com', { ProfileId: prod.profile('Standard User')!.Id });
      expect(kinds(await drifted(), 'marketo@acme-env.com')).to.include('wrong-profile');
    });
    it('wrong role', async () => {
      set('hubspot@acme-env.com', {
        UserRoleId: prod.state.find('UserRole', (r) => r.DeveloperName === 'Integrations')!.Id,
      });
      expect(kinds(await drifted(), 'hubspot@acme-env.com')).to.deep.equal(['wrong-role']);
    });
    it('permission set: an entry added in the org and one missing', async () => {
      const ps = prod.permissionSet('NetSuite_Integration')!;
      const added = prod.insert('ObjectPermissions', { ParentId: ps.Id, SobjectType: 'Case', PermissionsRead: true });
      const opp = prod.state.find('ObjectPermissions', (o) => o.ParentId === ps.Id && o.SobjectType === 'Opportunity')!;
      prod.state.table('ObjectPermissions').delete(opp.Id);
      undo.push(() => {
        prod.state.table('ObjectPermissions').delete(added.Id);
        prod.state.table('ObjectPermissions').set(opp.Id, opp);
      });
      const r = await drifted();
      const details = r.users.find((u) => u.username === 'netsuite@acme-env.com')!.drift;
      expect(details.map((d) => d.kind)).to.deep.equal([
        'permission-set-missing-in-org',
        'permission-set-added-in-org',
      ]);
      expect(details.map((d) => d.detail).join(' '))
        .to.contain('Opportunity missing')
        .and.contain('Case added');
    });
    it('assignment missing and an extra set assigned by hand', async () => {
      const user = prod.user('hubspot@acme-env.com')!;
      const ps = prod.permissionSet('HubSpot_Integration')!;
      const assignment = prod.state.find(
        'PermissionSetAssignment',
        (a) => a.AssigneeId === user.Id && a.PermissionSetId === ps.Id,
      )!;
      prod.state.table('PermissionSetAssignment').delete(assignment.Id);
      const extra = prod.insert('PermissionSetAssignment', {
        AssigneeId: user.Id,
        PermissionSetId: prod.permissionSet('Hand_Made')!.Id,
        IsActive: true,
      });
      undo.push(() => {
        prod.state.table('PermissionSetAssignment').set(assignment.Id, assignment);
        prod.state.table('PermissionSetAssignment').delete(extra.Id);
      });
      const r = await drifted();
      expect(kinds(r, 'hubspot@acme-env.com')).to.deep.equal(['assignment-missing', 'assignment-extra']);
    });
    it('missing user, and no seat to create it', async () => {
      set('marketo@acme-env.com', { Username: 'gone@acme-env.com' });
      prod.state.registerUsername(prod.user('gone@acme-env.com')!);
      const license = prod.state.find('UserLicense', (l) => l.Name === 'Salesforce Integration')!;
      const total = license.TotalLicenses;
      prod.state.update(license, { TotalLicenses: 3 });
      undo.push(() => prod.state.update(license, { TotalLicenses: total }));
      const r = await drifted();
      expect(kinds(r, 'marketo@acme-env.com')).to.include.members(['missing-user', 'seats']);
      expect(
        r.withoutDefinition.map((u) => u.username),
        'the renamed user has no definition now',
      ).to.deep.equal(['gone@acme-env.com']);
    });
  });
});
