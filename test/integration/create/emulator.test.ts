/**
 * The create command in-process against helper B's org emulator: real HTTP, real source-deploy-retrieve,
 * an access-token auth saved in a temporary HOME.
 */
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { expect } from 'chai';
import sinon from 'sinon';
import { SfError } from '@salesforce/core';
import { stubSfCommandUx } from '@salesforce/sf-plugins-core';
import IntegrationUserCreate from '../../../src/commands/integration-user/create.js';
import type { CreateResult } from '../../../src/create/executor.js';
import { startEmulator, type Emulator, type EmulatorSeed, type EmulatedOrg } from '@sf-integration-user/org-emulator';
import { loginToEmulator, useTempHome, type TempHome } from '../../helpers/emulator-login.js';
import { writeSfdxProject } from '../../helpers/project.js';
import { ALL_STEPS_DONE, deploysIn, orgWrites, stepStatuses } from '../../helpers/requests.js';
import { DROP_IN_EACH_STEP } from '../../helpers/drops.js';

const USERNAME = 'erp.sync@acme.com.integration';
const PS = 'Integration_erp_sync';

describe('integration-user create against the emulator', function () {
  this.timeout(30_000);
  let emu: Emulator;
  let home: TempHome;
  let outputDir: string;
  let sandbox: sinon.SinonSandbox;

  before(async () => {
    home = await useTempHome('create-emu-home-', { SF_INTEGRATION_USER_POLL_MS: '10' });
  });
  after(async () => home.restore());

  beforeEach(async () => {
    sandbox = sinon.createSandbox();
    stubSfCommandUx(sandbox);
    outputDir = await mkdtemp(join(tmpdir(), 'create-emu-out-'));
  });
  afterEach(async () => {
    sandbox.restore();
    await emu?.stop();
    await rm(outputDir, { recursive: true, force: true });
  });

  async function start(seed: EmulatorSeed | EmulatorSeed[]): Promise<Emulator> {
    emu = await startEmulator({ seed });
    await loginToEmulator(emu);
    emu.clearRequests();
    return emu;
  }

  const create = (org: EmulatedOrg, extra: string[] = [], out = outputDir): Promise<CreateResult> =>
    IntegrationUserCreate.run([
      '--target-org',
      org.adminUsername,
      '--username',
      USERNAME,
      '--email',
      'integrations@acme.com',
      '--last-name',
      'ERP Sync',
      '--object',
      'Account:read,edit',
      '--field',
      'Account.Industry:read',
      '--user-permission',
      'RunReports',
      '--output-dir',
      out,
      '--json',
      ...extra,
    ]) as unknown as Promise<CreateResult>;
  const fail = (org: EmulatedOrg, extra: string[] = []): Promise<SfError> =>
    create(org, extra).then(
      () => {
        throw new Error('expected the command to fail');
      },
      (e: SfError) => e,
    );

  const statuses = stepStatuses;
  const writes = (): string[] => orgWrites(emu.requests);
  const deploys = (): string[] => deploysIn(emu.requests);

  /** Exactly one user, one license assignment and one assignment per wanted permission set. */
  function expectNoDuplicates(org: EmulatedOrg, permissionSets: string[], username = USERNAME): void {
    const users = org.query(`SELECT Id FROM User WHERE Username = '${username}'`);
    expect(users, 'users').to.have.length(1);
    const id = String(users[0].Id);
    expect(
      org.count(`SELECT Id FROM PermissionSetLicenseAssign WHERE AssigneeId = '${id}'`),
      'license assignments',
    ).to.equal(1);
    for (const ps of permissionSets) {
      expect(
        org.count(`SELECT Id FROM PermissionSetAssignment WHERE AssigneeId = '${id}' AND PermissionSet.Name = '${ps}'`),
        ps,
      ).to.equal(1);
    }
  }

  it('creates the user on a production-like org, then a re-run is a no-op', async () => {
    const org = (await start({ type: 'production', edition: 'Enterprise Edition' })).org();
    const started = Date.now();
    const result = await create(org);
    const wall = Date.now() - started;
    const fullCreate = emu.requests.length;
    expect(statuses(result)).to.deep.equal(ALL_STEPS_DONE);
    const user = org.user(USERNAME)!;
    expect(user).to.include({ Email: 'integrations@acme.com', LastName: 'ERP Sync' });
    expect(org.record(String(user.ProfileId))).to.include({ Name: 'Minimum Access - API Only Integrations' });
    expect(org.permissionSet(PS)).to.not.equal(undefined);
    expectNoDuplicates(org, [PS]);

    emu.clearRequests();
    const again = await create(org);
    const noOp = emu.requests.length;
    expect(statuses(again)).to.include({
      'create-user': 'already done',
      deploy: 'already done',
      'assign-license': 'already done',
      'assign-permission-sets': 'already done',
    });
    expect(again.steps.find((st) => st.name === 'deploy')?.detail).to.contain(`${PS} in the org as generated`);
    expect(writes()).to.deep.equal([]);
    expect(deploys(), 'no deploy on a no-op re-run').to.deep.equal([]);
    expect(
      emu.requests.filter((r) => r.soapOperation === 'readMetadata'),
      'one readMetadata',
    ).to.have.length(1);
    expectNoDuplicates(org, [PS]);
    // figures for the report (CREATE_LOG_REQUESTS=1 lists the requests)
    console.log(`      round trips: full create ${fullCreate}, no-op re-run ${noOp}; wall time ${wall} ms`);
    if (process.env.CREATE_LOG_REQUESTS)
      console.log(
        JSON.stringify(
          emu.requests.map((r) => `${r.method} ${r.path} ${decodeURIComponent(r.query)} ${r.soapOperation ?? ''}`),
          null,
          1,
        ),
      );
  });

  it('a hand-edited permission set file: the re-run stops before any org write; --force replaces and deploys it; then clean', async () => {
    const org = (await start({ type: 'production', edition: 'Enterprise Edition' })).org();
    await create(org);
    const file = join(outputDir, `${PS}.permissionset-meta.xml`);
    const generated = await readFile(file, 'utf8');
    const edited = generated.replace('<allowEdit>true</allowEdit>', '<allowEdit>false</allowEdit>');
    expect(edited).to.not.equal(generated);
    await writeFile(file, edited);
    const mtime = (await stat(file)).mtimeMs;

    emu.clearRequests();
    const error = await fail(org);
    expect(error.name).to.equal('GeneratedFileDiffersError');
    expect(error.message).to.contain(file);
    expect(error.actions?.join(' ')).to.contain('--force');
    expect(writes(), 'no org write').to.deep.equal([]);
    expect(deploys(), 'no deploy').to.deep.equal([]);
    expect(await readFile(file, 'utf8')).to.equal(edited);
    expect((await stat(file)).mtimeMs).to.equal(mtime);

    emu.clearRequests();
    const forced = await create(org, ['--force']);
    // the org holds the generated content (the edit was never deployed): nothing to deploy
    expect(statuses(forced)).to.include({ generate: 'done', deploy: 'already done', 'create-user': 'already done' });
    expect(await readFile(file, 'utf8')).to.equal(generated);
    expectNoDuplicates(org, [PS]);

    // the access flags changed: the file differs too; --force replaces and deploys it
    const more = ['--object', 'Contact:read'];
    emu.clearRequests();
    expect((await fail(org, more)).name).to.equal('GeneratedFileDiffersError');
    expect(writes()).to.deep.equal([]);
    expect(deploys()).to.deep.equal([]);
    emu.clearRequests();
    const widened = await create(org, [...more, '--force']);
    expect(statuses(widened)).to.include({ generate: 'done', deploy: 'done' });
    expect(await readFile(file, 'utf8')).to.contain('<object>Contact</object>');
    expect(deploys().length).to.be.greaterThan(0);
    expectNoDuplicates(org, [PS]);

    const mtimeForced = (await stat(file)).mtimeMs;
    emu.clearRequests();
    const again = await create(org, more);
    expect(statuses(again)).to.include({ generate: 'already done', deploy: 'already done' });
    expect(deploys()).to.deep.equal([]);
    expect((await stat(file)).mtimeMs).to.equal(mtimeForced);
  });

  it('in a project with decomposed permission sets: deploys the decomposed source, a re-run deploys nothing', async () => {
    const org = (await start({ type: 'production' })).org();
    await writeSfdxProject(outputDir, { decomposed: true, sourceApiVersion: '62.0' });
    const psDir = join(outputDir, 'force-app', 'main', 'default', 'permissionsets');
    const result = await create(org, [], psDir);
    expect(statuses(result)).to.include({ deploy: 'done', 'assign-permission-sets': 'done' });
    // decomposed: a folder per set, its grants in child files
    expect(
      result.files.every((f) => f.startsWith(join(psDir, PS) + sep)),
      result.files.join(', '),
    ).to.equal(true);
    expect(result.files.some((f) => f.endsWith('.objectSettings-meta.xml'))).to.equal(true);
    const ps = org.permissionSet(PS)!;
    expect(ps).to.include({ PermissionsRunReports: true });
    const objects = org.query(
      `SELECT SobjectType, PermissionsRead, PermissionsEdit FROM ObjectPermissions WHERE ParentId = '${String(ps.Id)}'`,
    );
    expect(objects.map((o) => [o.SobjectType, o.PermissionsRead, o.PermissionsEdit])).to.deep.equal([
      ['Account', true, true],
    ]);
    const fields = org.query(`SELECT Field, PermissionsRead FROM FieldPermissions WHERE ParentId = '${String(ps.Id)}'`);
    expect(fields.map((f) => [f.Field, f.PermissionsRead])).to.deep.equal([['Account.Industry', true]]);
    expectNoDuplicates(org, [PS]);

    emu.clearRequests();
    const again = await create(org, [], psDir);
    expect(statuses(again)).to.include({ deploy: 'already done', 'assign-permission-sets': 'already done' });
    expect(deploys()).to.deep.equal([]);
  });

  it("grants a standard object every real org has (CampaignMember, from Salesforce's schema data)", async () => {
    const org = (await start({ type: 'production', edition: 'Enterprise Edition' })).org();
    const result = await create(org, ['--object', 'CampaignMember:read', '--field', 'CampaignMember.Status:read']);
    expect(statuses(result)).to.deep.equal(ALL_STEPS_DONE);
    const ps = org.permissionSet(PS)!;
    const rows = org.query(
      `SELECT SobjectType, PermissionsRead, PermissionsEdit FROM ObjectPermissions WHERE ParentId = '${ps.Id}' AND SobjectType = 'CampaignMember'`,
    );
    expect(rows.map((r) => [r.SobjectType, r.PermissionsRead, r.PermissionsEdit])).to.deep.equal([
      ['CampaignMember', true, false],
    ]);
    expect(
      org.count(
        `SELECT COUNT() FROM FieldPermissions WHERE ParentId = '${ps.Id}' AND Field = 'CampaignMember.Status' AND PermissionsRead = true`,
      ),
    ).to.equal(1);
    expectNoDuplicates(org, [PS]);
  });

  it('creates the user on a sandbox, with a role and as a Marketing User', async () => {
    // the sandbox's name comes from its My Domain host; the username gets it, as a refresh names users
    const org = (
      await start({
        type: 'sandbox',
        myDomain: 'acme',
        sandboxName: 'uat',
        roles: [{ name: 'Integrations', developerName: 'Integrations' }],
      })
    ).org();
    const result = await create(org, ['--role', 'Integrations', '--marketing-user']);
    expect(result.success).to.equal(true);
    expect(result.role).to.equal('Integrations');
    expect(result.username).to.equal(`${USERNAME}.uat`);
    const user = org.user(`${USERNAME}.uat`)!;
    expect(org.record(String(user.UserRoleId))).to.include({ DeveloperName: 'Integrations' });
    expect(user.UserPermissionsMarketingUser).to.equal(true);
    expectNoDuplicates(org, [PS], `${USERNAME}.uat`);
  });

  it('an unknown role stops in preflight with nothing changed', async () => {
    const org = (await start({ type: 'sandbox' })).org();
    const error = await fail(org, ['--role', 'No_Such_Role']);
    expect(error.name).to.equal('RoleNotFoundError');
    expect(writes()).to.deep.equal([]);
    expect(org.user(USERNAME)).to.equal(undefined);
  });

  it('a username taken in another org fails with DUPLICATE_USERNAME and leaves no user behind', async () => {
    const e = await start([
      { type: 'production' },
      { type: 'production', users: [{ username: USERNAME, lastName: 'Other' }] },
    ]);
    const error = await fail(e.org(0));
    expect(error.name).to.equal('DuplicateUsernameError');
    expect(error.exitCode).to.equal(1);
    expect(error.actions?.join(' ')).to.contain(`${USERNAME}.integration`);
    expect(e.org(0).user(USERNAME)).to.equal(undefined);
    // issue 12: the set is deployed before the user; a re-run (another username, same set name) reuses it as generated
    expect(e.org(0).permissionSet(PS)).to.not.equal(undefined);
    emu.clearRequests();
    const again = (await IntegrationUserCreate.run(
      [
        '--target-org',
        e.org(0).adminUsername,
        '--username',
        `${USERNAME}.acme`,
        '--email',
        'integrations@acme.com',
        '--last-name',
        'ERP Sync',
      ].concat([
        '--object',
        'Account:read,edit',
        '--field',
        'Account.Industry:read',
        '--user-permission',
        'RunReports',
        '--permission-set-name',
        PS,
        '--output-dir',
        outputDir,
        '--json',
      ]),
    )) as unknown as CreateResult;
    expect(statuses(again)).to.include({ deploy: 'already done', 'create-user': 'done' });
    expect(deploys()).to.deep.equal([]);
  });

  it('no free Salesforce Integration seat: stops in preflight with nothing changed', async () => {
    const org = (await start({ type: 'production', licenses: { integration: 0 } })).org();
    const error = await fail(org);
    expect(error.message, error.message).to.match(/No Salesforce Integration user license is free/);
    expect(writes()).to.deep.equal([]);
    expect(emu.requests.filter((r) => r.soapOperation)).to.deep.equal([]);
  });

  it('a deploy failing on an unknown field (from a profile file) leaves no user behind', async () => {
    const org = (await start({ type: 'production' })).org();
    const profile = join(outputDir, 'Bad.profile-meta.xml');
    await writeFile(
      profile,
      '<?xml version="1.0" encoding="UTF-8"?><Profile xmlns="http://soap.sforce.com/2006/04/metadata"><fieldPermissions><editable>false</editable><field>Account.Nope__c</field><readable>true</readable></fieldPermissions></Profile>',
    );
    const error = await fail(org, ['--from-profile-file', profile]);
    expect(error.name).to.equal('DeployFailedError');
    expect(error.message).to.contain('Nope__c');
    expect(org.user(USERNAME)).to.equal(undefined);
  });

  it('a required field via --field stops in preflight with nothing changed', async () => {
    const org = (
      await start({
        type: 'production',
        objects: [{ name: 'Account', fields: [{ name: 'Region__c', required: true }] }],
      })
    ).org();
    const error = await fail(org, ['--field', 'Account.Region__c:read']);
    expect(error.name).to.equal('FieldNotPermissionableError');
    expect(error.message).to.contain('Account.Region__c');
    expect(writes()).to.deep.equal([]);
    expect(deploys()).to.deep.equal([]);
    expect(org.user(USERNAME)).to.equal(undefined);
  });

  it('the same field from a profile file is left out with a warning, and create succeeds', async () => {
    const org = (
      await start({
        type: 'production',
        objects: [
          {
            name: 'Account',
            fields: [
              { name: 'Region__c', required: true },
              { name: 'Tier__c', formula: true },
            ],
          },
        ],
      })
    ).org();
    const profile = join(outputDir, 'Hand.profile-meta.xml');
    const fp = (field: string, editable: boolean): string =>
      `<fieldPermissions><editable>${String(editable)}</editable><field>${field}</field><readable>true</readable></fieldPermissions>`;
    await writeFile(
      profile,
      `<?xml version="1.0" encoding="UTF-8"?><Profile xmlns="http://soap.sforce.com/2006/04/metadata">${fp('Account.Region__c', true)}${fp('Account.Tier__c', true)}${fp('Account.Phone', true)}</Profile>`,
    );
    const result = await create(org, ['--from-profile-file', profile]);
    expect(result.success).to.equal(true);
    expect(result.warnings.find((w) => w.includes('Left out fieldPermissions Account.Region__c'))).to.contain(
      'required or system field',
    );
    expect(result.warnings.find((w) => w.startsWith('Account.Tier__c'))).to.contain('read access only');
    const rows = org.query(
      `SELECT Field, PermissionsRead, PermissionsEdit FROM FieldPermissions WHERE Parent.Name = '${PS}' ORDER BY Field`,
    );
    expect(rows.map((r) => [r.Field, r.PermissionsRead, r.PermissionsEdit])).to.deep.equal([
      ['Account.Industry', true, false],
      ['Account.Phone', true, true],
      ['Account.Tier__c', true, false],
    ]);
    expect(org.user(USERNAME)).to.not.equal(undefined);
  });

  it("uses the org's list of what the permission set license carries, and the org's spelling of names", async () => {
    const org = (
      await start({ type: 'production', integrationPslPermissions: ['ApexRestServices', 'RunReports'] })
    ).org();
    const result = await create(org, ['--user-permission', 'apexrestservices', '--object', 'account:read']);
    expect(result.success).to.equal(true);
    // not in the built-in table, but this org's PSL allows it: it stays in the licensed set
    expect(result.permissionSets.map((p) => p.name)).to.deep.equal([PS]);
    expect(org.permissionSet(PS)).to.include({ PermissionsApexRestServices: true, PermissionsRunReports: true });
    expectNoDuplicates(org, [PS]);
  });

  it('a companion the user license refuses: deployed, not assigned, a warning, exit 0; a re-run ends the same', async () => {
    // this org's PSL carries neither RunReports nor AuthorApex: both go to the companion, which the user license refuses
    const org = (await start({ type: 'production', integrationPslPermissions: ['ApexRestServices'] })).org();
    const companion = `${PS}_Companion`;
    const result = await create(org, ['--user-permission', 'AuthorApex']);
    expect(result.success).to.equal(true);
    expect(statuses(result)).to.include({
      deploy: 'done',
      'assign-license': 'done',
      'assign-permission-sets': 'done',
      'next-steps': 'done',
    });
    expect(result.permissionSets.map((p) => [p.name, p.assignment?.status])).to.deep.equal([
      [PS, 'done'],
      [companion, 'skipped'],
    ]);
    const reason = result.permissionSets[1].assignment?.reason;
    expect(reason).to.match(/^The user license doesn't allow the permission: (Run Reports|Author Apex)$/);
    const step = result.steps.find((st) => st.name === 'assign-permission-sets')!;
    expect(step.detail).to.contain(`assigned ${PS}`).and.contain(`not assigned ${companion}`).and.contain(reason);
    const warning = result.warnings.find((w) => w.includes(`companion permission set ${companion}`));
    expect(warning, result.warnings.join('\n'))
      .to.contain(reason)
      .and.contain('AuthorApex, RunReports')
      .and.contain('full Salesforce license')
      .and.contain('--exclude-permission');
    // deployed for review, not assigned
    expect(org.permissionSet(companion)).to.include({ PermissionsRunReports: true, PermissionsAuthorApex: true });
    expectNoDuplicates(org, [PS]);
    const userId = String(org.user(USERNAME)!.Id);
    expect(
      org.count(
        `SELECT Id FROM PermissionSetAssignment WHERE AssigneeId = '${userId}' AND PermissionSet.Name = '${companion}'`,
      ),
    ).to.equal(0);

    emu.clearRequests();
    const again = await create(org, ['--user-permission', 'AuthorApex']);
    expect(again.success).to.equal(true);
    expect(statuses(again)).to.include({
      'create-user': 'already done',
      deploy: 'already done',
      'assign-license': 'already done',
      'assign-permission-sets': 'already done',
    });
    expect(again.permissionSets.map((p) => p.assignment?.status)).to.deep.equal(['already done', 'skipped']);
    expect(again.warnings.filter((w) => w.includes(`companion permission set ${companion}`))).to.have.length(1);
    expect(deploys()).to.deep.equal([]);
    // only the companion's assignment is tried again
    expect(writes().map((w) => w.replace(/\/v[\d.]+\//, '/vXX/'))).to.deep.equal([
      'POST /services/data/vXX/sobjects/PermissionSetAssignment',
    ]);
    expectNoDuplicates(org, [PS]);
  });

  it('an admin profile file (no --from-user): the refused companion is a warning too, exit 0', async () => {
    const org = (await start({ type: 'production' })).org();
    const profile = join(outputDir, 'Admin.profile-meta.xml');
    const perm = (name: string): string =>
      `<userPermissions><enabled>true</enabled><name>${name}</name></userPermissions>`;
    await writeFile(
      profile,
      `<?xml version="1.0" encoding="UTF-8"?><Profile xmlns="http://soap.sforce.com/2006/04/metadata">${perm('AuthorApex')}${perm('ManageRemoteAccess')}${perm('ViewSetup')}</Profile>`,
    );
    // both high risk: kept on request, else left out by default (see least-privilege.test.ts)
    const result = await create(org, [
      '--from-profile-file',
      profile,
      '--keep-permission',
      'AuthorApex',
      '--keep-permission',
      'ManageRemoteAccess',
    ]);
    expect(result.success).to.equal(true);
    expect(result.highRisk).to.deep.equal({
      leftOut: [],
      kept: ['AuthorApex', 'ManageRemoteAccess'],
      notHighRisk: [],
      notGranted: [],
    });
    expect(result.permissionSets.map((p) => [p.name, p.assignment?.status])).to.deep.equal([
      [PS, 'done'],
      [`${PS}_Companion`, 'skipped'],
    ]);
    expect(result.warnings.find((w) => w.includes(`companion permission set ${PS}_Companion`))).to.contain(
      'AuthorApex, ManageRemoteAccess',
    );
    expectNoDuplicates(org, [PS]);
  });

  it('the dry run plans the assignment and says the companion may be refused', async () => {
    const org = (await start({ type: 'production', integrationPslPermissions: ['ApexRestServices'] })).org();
    const result = await create(org, ['--dry-run']);
    const step = result.steps.find((st) => st.name === 'assign-permission-sets')!;
    expect(step.status).to.equal('planned');
    expect(step.detail)
      .to.contain(`assign ${PS}, ${PS}_Companion`)
      .and.contain(`${PS}_Companion has no license`)
      .and.contain('not a failure');
    expect(result.permissionSets.map((p) => p.assignment?.status)).to.deep.equal(['planned', 'planned']);
    expect(writes()).to.deep.equal([]);
  });

  it('a permission set named with --permission-set that the user license refuses: exit 68 with the reason; a re-run fails the same way', async () => {
    const org = (
      await start({ type: 'production', permissionSets: [{ name: 'Apex_Authors', userPermissions: ['AuthorApex'] }] })
    ).org();
    for (const run of [1, 2]) {
      const error = await fail(org, ['--permission-set', 'Apex_Authors']);
      expect(error.exitCode, `run ${run}`).to.equal(68);
      expect(error.message)
        .to.contain('assign-permission-sets')
        .and.contain("Apex_Authors: The user license doesn't allow the permission: Author Apex");
      const data = error.data as CreateResult;
      expect(data.permissionSets.map((p) => [p.name, p.assignment?.status])).to.deep.equal([
        [PS, run === 1 ? 'done' : 'already done'],
        ['Apex_Authors', undefined],
      ]);
      expect(statuses(data)).to.include({ 'assign-permission-sets': 'failed', 'next-steps': 'skipped' });
    }
    expectNoDuplicates(org, [PS]);
  });

  // partial: whether the user exists when the step fails (then exit code 68)
  const drops = DROP_IN_EACH_STEP;
  for (const { step, partial, separateWrites, fault } of drops) {
    it(`a dropped connection in ${step}, then a re-run completes with no duplicate records`, async () => {
      const org = (
        await start({ type: 'production', ...(separateWrites ? { compositeMixedDml: 'any-setup-mix' as const } : {}) })
      ).org();
      emu.faults.add(fault);
      const error = await fail(org);
      if (partial) {
        expect(error.exitCode).to.equal(68);
        expect(error.message).to.contain(`Step "${step}" failed`).and.contain('run the same command again');
        expect(error.message).to.contain('connection to the org was lost');
        const data = error.data as CreateResult;
        expect(data.steps.find((s) => s.status === 'failed')?.name).to.equal(step);
      } else {
        expect(error.exitCode).to.equal(1);
        expect(error.name).to.equal('ConnectionLostError');
        expect(error.message).to.contain(`during step "${step}"`);
        expect(org.user(USERNAME)).to.equal(undefined);
      }
      const again = await create(org);
      expect(again.success).to.equal(true);
      expectNoDuplicates(org, [PS]);
    });
  }
});
