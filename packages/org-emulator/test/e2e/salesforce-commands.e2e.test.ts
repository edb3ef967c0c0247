/**
 * Salesforce's own commands through the real `sf` against the org emulator: if they work, the emulator's
 * wire formats are right. One emulator and one HOME for the suite; the tests run in order.
 */
import { existsSync, rmSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { expect } from 'chai';
import { fileURLToPath } from 'node:url';
import { loadSeed, type EmulatedOrg } from '../../src/index.js';
import { startSfSession, type SfResult, type SfSession } from '../../src/sf-session.js';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');
const PS_DIR = join('force-app', 'main', 'default', 'permissionsets');
const READER = 'api.reader@acme-e2e.com';

type DeployResult = {
  status: string;
  numberComponentErrors: number;
  success: boolean;
  numberComponentsDeployed: number;
  files: Array<{ fullName: string; type: string; state: string; error?: string; problemType?: string }>;
  details?: {
    componentFailures?:
      | { fullName: string; problem: string; problemType: string }
      | Array<{ fullName: string; problem: string; problemType: string }>;
  };
};

describe('Salesforce commands through the real sf, against the org emulator', function () {
  let s: SfSession;
  let prod: EmulatedOrg;
  let project: string;
  const timings: string[] = [];

  before(async function () {
    const started = Date.now();
    s = await startSfSession({ seed: await loadSeed(join(FIXTURES, 'salesforce-orgs.json')), alias: 'acme' });
    prod = s.emulator.org(0);
    project = await s.project(join(FIXTURES, 'project'));
    timings.push(`session ${Date.now() - started} ms (login ${s.login.ms} ms)`);
  });
  after(async () => {
    console.log(`      sf timings: ${timings.join('; ')}`);
    await s?.stop();
  });
  afterEach(function () {
    s?.emulator.faults.clear();
  });

  const sf = async <T>(label: string, args: string[], cwd?: string): Promise<SfResult<T>> => {
    s.emulator.clearRequests();
    const r = await s.runSf<T>(args, { cwd });
    timings.push(`${label} ${r.ms} ms`);
    return r;
  };
  const requested = (): string[] =>
    s.emulator.requests.map((r) => `${r.method} ${r.path}${decodeURIComponent(r.query)}`);

  it('org login access-token: the auth file points at the emulator, production and sandbox told apart', async () => {
    expect(s.login.exitCode, s.login.stdout).to.equal(0);
    expect(s.login.result).to.include({ username: prod.adminUsername, orgId: prod.id });
    // the --instance-url flag is a URL: sf keeps it as typed plus the root slash
    expect(s.login.result.instanceUrl.replace(/\/$/, '')).to.equal(s.emulator.url);
    // sfdx-core warns about http once per origin; it must reach --json users as a warning, not break the login
    expect(s.login.warnings.join(' ')).to.match(/insecure protocol/i);
    const auth = await s.authFile(prod.adminUsername);
    expect(String(auth.instanceUrl).replace(/\/$/, '')).to.equal(s.emulator.url);
    expect(auth).to.include({
      orgId: prod.id,
      isSandbox: false,
      isScratch: false,
      name: 'Acme E2E',
      instanceName: 'EMU7',
    });
    expect(auth.accessToken, 'stored encrypted').to.not.equal(prod.accessToken);

    const uat = s.emulator.org(1);
    s.emulator.clearRequests();
    const login = await s.loginOrg(uat, 'uat');
    timings.push(`login ${login.ms} ms`);
    expect(login.result).to.include({ username: uat.adminUsername, orgId: uat.id });
    expect(await s.authFile(uat.adminUsername)).to.include({ orgId: uat.id, isSandbox: true, isScratch: false });
    expect(requested()).to.include.members([
      'GET /services/oauth2/userinfo',
      `GET /services/data/v51.0/sobjects/User/${uat.adminUserId}`,
    ]);
    expect(
      s.emulator.requests.every((r) => r.status < 500),
      'no emulator errors',
    ).to.equal(true);
  });

  it('data query: records of a relationship query, and the columns=true call', async () => {
    const soql = 'SELECT Id, Username, Profile.Name FROM User ORDER BY Username';
    const r = await sf<{ records: Array<Record<string, unknown>>; totalSize: number; done: boolean }>('data query', [
      'data',
      'query',
      '--query',
      soql,
      '--target-org',
      'acme',
    ]);
    expect(r.exitCode, r.stdout).to.equal(0);
    const expected = prod.query(soql);
    expect(r.result.totalSize).to.equal(expected.length).and.to.be.greaterThan(1);
    expect(r.result.records.map((u) => [u.Username, (u.Profile as { Name: string }).Name])).to.deep.equal(
      expected.map((u) => [u.Username, (u.Profile as { Name: string }).Name]),
    );
    expect(r.result.records.map((u) => u.Username)).to.include.members([READER, prod.adminUsername]);
    const queries = s.emulator.requests.filter((q) => q.path.endsWith('/query'));
    expect(queries.map((q) => new URLSearchParams(q.query).get('columns'))).to.include('true');
    expect(queries.every((q) => q.status === 200)).to.equal(true);
  });

  // held-out checks: what real orgs' schema data says each API version has (../shared/reference/salesforce/sobjects.json)
  type QueryOut = { records: Array<Record<string, unknown>>; totalSize: number };
  const query = (label: string, soql: string, version?: string): Promise<SfResult<QueryOut>> =>
    sf<QueryOut>(label, [
      'data',
      'query',
      '--query',
      soql,
      '--target-org',
      'acme',
      ...(version ? ['--api-version', version] : []),
    ]);

  it("data query: a field real orgs lack is INVALID_FIELD with Salesforce's text (MutingPermissionSet.NamespacePrefix)", async () => {
    const r = await query('data query (no such column)', 'SELECT NamespacePrefix FROM MutingPermissionSet');
    expect(r.exitCode, r.stdout).to.not.equal(0);
    expect(r.stdout).to.contain('INVALID_FIELD');
    expect(r.stdout).to.contain("No such column 'NamespacePrefix' on entity 'MutingPermissionSet'");
    expect(r.stdout).to.contain('ERROR at Row:1:Column:8');
    const ok = await query('data query (muting)', 'SELECT Id, DeveloperName, MasterLabel FROM MutingPermissionSet');
    expect(ok.exitCode, ok.stdout).to.equal(0);
  });

  it('data query: ObjectPermissions.PermissionsViewAllFields is refused at API 62.0 and answered at 63.0', async () => {
    const soql = 'SELECT Id, PermissionsViewAllFields FROM ObjectPermissions';
    const old = await query('data query (62.0)', soql, '62.0');
    expect(old.exitCode, old.stdout).to.not.equal(0);
    expect(old.stdout).to.contain("No such column 'PermissionsViewAllFields' on entity 'ObjectPermissions'");
    expect(s.emulator.requests.some((q) => q.path === '/services/data/v62.0/query')).to.equal(true);
    const current = await query('data query (63.0)', soql, '63.0');
    expect(current.exitCode, current.stdout).to.equal(0);
    expect(current.result.totalSize)
      .to.equal(prod.count('SELECT COUNT() FROM ObjectPermissions'))
      .and.to.be.greaterThan(0);
  });

  it('data query: real fields of real standard objects are answered (Account, CampaignMember, Task)', async () => {
    const acct = await query('data query (Account)', 'SELECT Id, Name, Industry, AnnualRevenue FROM Account');
    expect(acct.exitCode, acct.stdout).to.equal(0);
    const cm = await query('data query (CampaignMember)', 'SELECT CampaignId, LeadId, Status FROM CampaignMember');
    expect(cm.exitCode, cm.stdout).to.equal(0);
    expect(cm.result.totalSize).to.equal(0);
    const task = await query('data query (Task)', 'SELECT Id, Subject, WhoId, WhatId, Who.Name, Owner.Name FROM Task');
    expect(task.exitCode, task.stdout).to.equal(0);
    const unknown = await query('data query (unknown object)', 'SELECT Id FROM NoSuchThing');
    expect(unknown.stdout).to.contain('INVALID_TYPE').and.to.contain("sObject type 'NoSuchThing' is not supported");
  });

  it('project deploy start: a permission set deploys and becomes queryable records', async () => {
    const r = await sf<DeployResult>(
      'deploy',
      [
        'project',
        'deploy',
        'start',
        '--source-dir',
        join(PS_DIR, 'E2E_Lead_Sync.permissionset-meta.xml'),
        '--target-org',
        'acme',
      ],
      project,
    );
    expect(r.exitCode, r.stdout).to.equal(0);
    expect(r.result).to.include({ status: 'Succeeded', success: true, numberComponentsDeployed: 1 });
    expect(r.result.files.map((f) => [f.fullName, f.type, f.state])).to.deep.equal([
      ['E2E_Lead_Sync', 'PermissionSet', 'Created'],
    ]);
    expect(s.emulator.requests.map((q) => q.soapOperation).filter(Boolean)).to.include.members([
      'deploy',
      'checkDeployStatus',
    ]);

    const ps = prod.permissionSet('E2E_Lead_Sync')!;
    expect(ps).to.include({ Label: 'E2E Lead Sync' });
    expect(prod.record(String(ps.LicenseId))).to.include({ DeveloperName: 'SalesforceAPIIntegrationPsl' });
    const objectPerms = prod.query(
      `SELECT SobjectType, PermissionsRead, PermissionsCreate, PermissionsEdit, PermissionsDelete FROM ObjectPermissions WHERE ParentId = '${String(ps.Id)}'`,
    );
    expect(
      objectPerms.map((o) => [
        o.SobjectType,
        o.PermissionsRead,
        o.PermissionsCreate,
        o.PermissionsEdit,
        o.PermissionsDelete,
      ]),
    ).to.deep.equal([['Lead', true, true, true, false]]);
    expect(
      prod
        .query(
          `SELECT Field, PermissionsRead, PermissionsEdit FROM FieldPermissions WHERE ParentId = '${String(ps.Id)}'`,
        )
        .map((f) => [f.Field, f.PermissionsRead, f.PermissionsEdit]),
    ).to.deep.equal([['Lead.Lead_Score__c', true, true]]);
  });

  it("project deploy start: a component failure on an unknown field reaches the user with Salesforce's problem text", async () => {
    const r = await sf<DeployResult>(
      'deploy (failing)',
      [
        'project',
        'deploy',
        'start',
        '--source-dir',
        join(PS_DIR, 'E2E_Bad_Field.permissionset-meta.xml'),
        '--target-org',
        'acme',
      ],
      project,
    );
    expect(r.exitCode).to.equal(1);
    expect(r.json?.status).to.equal(1);
    expect(r.result).to.include({ status: 'Failed', success: false, numberComponentErrors: 1 });
    const failures = [r.result.details?.componentFailures ?? []].flat();
    expect(failures.map((f) => [f.fullName, f.problemType, f.problem])).to.deep.equal([
      ['E2E_Bad_Field', 'Error', 'In field: field - no CustomField named Lead.No_Such_Field__c found'],
    ]);
    expect(r.result.files.find((f) => f.fullName === 'E2E_Bad_Field')).to.include({
      state: 'Failed',
      error: 'In field: field - no CustomField named Lead.No_Such_Field__c found',
    });
    expect(prod.permissionSet('E2E_Bad_Field')).to.equal(undefined);
  });

  it('project deploy start: <viewAllFields> deploys when sourceApiVersion is 63.0 and fails at 62.0, whatever --api-version says', async () => {
    const file = join(PS_DIR, 'E2E_View_All_Fields.permissionset-meta.xml');
    await writeFile(
      join(project, file),
      `<?xml version="1.0" encoding="UTF-8"?>
<PermissionSet xmlns="http://soap.sforce.com/2006/04/metadata">
    <label>E2E View All Fields</label>
    <objectPermissions>
        <allowCreate>false</allowCreate>
        <allowDelete>false</allowDelete>
        <allowEdit>false</allowEdit>
        <allowRead>true</allowRead>
        <modifyAllRecords>false</modifyAllRecords>
        <object>Lead</object>
        <viewAllFields>true</viewAllFields>
        <viewAllRecords>false</viewAllRecords>
    </objectPermissions>
</PermissionSet>
`,
    );
    const setSourceApiVersion = async (v: string): Promise<void> => {
      const config = JSON.parse(await readFile(join(project, 'sfdx-project.json'), 'utf8')) as Record<string, unknown>;
      await writeFile(join(project, 'sfdx-project.json'), JSON.stringify({ ...config, sourceApiVersion: v }, null, 2));
    };
    const problem =
      'Error parsing file: Element {http://soap.sforce.com/2006/04/metadata}viewAllFields invalid at this location in type PermissionSetObjectPermissions';
    try {
      // sourceApiVersion 62.0: SDR writes it as package.xml's <version>, and the endpoint's 63.0 doesn't save it
      await setSourceApiVersion('62.0');
      const old = await sf<DeployResult>(
        'deploy (62.0)',
        ['project', 'deploy', 'start', '--source-dir', file, '--target-org', 'acme', '--api-version', '63.0'],
        project,
      );
      expect(old.exitCode, old.stdout).to.equal(1);
      expect([old.result.details?.componentFailures ?? []].flat().map((f) => [f.fullName, f.problem])).to.deep.equal([
        ['E2E_View_All_Fields', problem],
      ]);
      expect(
        s.emulator.requests.some((q) => q.path === '/services/Soap/m/63.0' && q.soapOperation === 'deploy'),
        requested().join('\n'),
      ).to.equal(true);
      expect(prod.permissionSet('E2E_View_All_Fields')).to.equal(undefined);

      await setSourceApiVersion('63.0');
      const ok = await sf<DeployResult>(
        'deploy (63.0)',
        ['project', 'deploy', 'start', '--source-dir', file, '--target-org', 'acme'],
        project,
      );
      expect(ok.exitCode, ok.stdout).to.equal(0);
      const ps = prod.permissionSet('E2E_View_All_Fields')!;
      expect(
        prod
          .query(`SELECT PermissionsViewAllFields FROM ObjectPermissions WHERE ParentId = '${String(ps.Id)}'`)
          .map((o) => o.PermissionsViewAllFields),
      ).to.deep.equal([true]);
    } finally {
      await setSourceApiVersion('62.0');
      rmSync(join(project, file), { force: true });
    }
  });

  it('project retrieve start: the permission set comes back as the org holds it', async () => {
    const file = join(project, PS_DIR, 'E2E_Lead_Sync.permissionset-meta.xml');
    rmSync(file);
    const r = await sf<{ files: Array<{ fullName: string; type: string; state: string; filePath: string }> }>(
      'retrieve',
      ['project', 'retrieve', 'start', '--metadata', 'PermissionSet:E2E_Lead_Sync', '--target-org', 'acme'],
      project,
    );
    expect(r.exitCode, r.stdout).to.equal(0);
    expect(r.result.files.map((f) => [f.fullName, f.type, f.state, f.filePath])).to.deep.equal([
      ['E2E_Lead_Sync', 'PermissionSet', 'Created', file],
    ]);
    expect(existsSync(file)).to.equal(true);
    const xml = await readFile(file, 'utf8');
    expect(xml)
      .to.contain('<label>E2E Lead Sync</label>')
      .and.contain('<license>SalesforceAPIIntegrationPsl</license>');
    expect(xml)
      .to.match(/<field>Lead\.Lead_Score__c<\/field>/)
      .and.match(/<object>Lead<\/object>/);
    expect(s.emulator.requests.map((q) => q.soapOperation).filter(Boolean)).to.include.members([
      'retrieve',
      'checkRetrieveStatus',
    ]);
  });

  it("org assign permset before the permission set license: Salesforce's license error reaches the user", async () => {
    const r = await sf<{ successes: unknown[]; failures: unknown[] }>('assign permset (no license)', [
      'org',
      'assign',
      'permset',
      '--name',
      'E2E_Lead_Sync',
      '--on-behalf-of',
      READER,
      '--target-org',
      'acme',
    ]);
    expect(r.exitCode).to.not.equal(0);
    expect(r.result).to.deep.equal({
      successes: [],
      failures: [{ name: READER, message: "The user license doesn't allow the permission: Read Lead" }],
    });
    expect(
      prod.count(
        `SELECT Id FROM PermissionSetAssignment WHERE Assignee.Username = '${READER}' AND PermissionSet.Name = 'E2E_Lead_Sync'`,
      ),
    ).to.equal(0);
  });

  it('org assign permsetlicense, then org assign permset, to an integration user', async () => {
    const user = prod.user(READER)!;
    const psl = await sf<{ successes: Array<{ name: string; value: string }>; failures: unknown[] }>(
      'assign permsetlicense',
      [
        'org',
        'assign',
        'permsetlicense',
        '--name',
        'SalesforceAPIIntegrationPsl',
        '--on-behalf-of',
        READER,
        '--target-org',
        'acme',
      ],
    );
    expect(psl.exitCode, psl.stdout).to.equal(0);
    expect(psl.result.successes).to.deep.equal([{ name: READER, value: 'SalesforceAPIIntegrationPsl' }]);
    expect(psl.result.failures).to.deep.equal([]);
    expect(
      prod
        .query(
          `SELECT PermissionSetLicense.DeveloperName FROM PermissionSetLicenseAssign WHERE AssigneeId = '${String(user.Id)}'`,
        )
        .map((a) => (a.PermissionSetLicense as { DeveloperName: string }).DeveloperName),
    ).to.deep.equal(['SalesforceAPIIntegrationPsl']);

    const ps = await sf<{ successes: Array<{ name: string; value: string }>; failures: unknown[] }>('assign permset', [
      'org',
      'assign',
      'permset',
      '--name',
      'E2E_Lead_Sync',
      '--on-behalf-of',
      READER,
      '--target-org',
      'acme',
    ]);
    expect(ps.exitCode, ps.stdout).to.equal(0);
    expect(ps.result.successes).to.deep.equal([{ name: READER, value: 'E2E_Lead_Sync' }]);
    expect(
      prod.count(
        `SELECT Id FROM PermissionSetAssignment WHERE AssigneeId = '${String(user.Id)}' AND PermissionSet.Name = 'E2E_Lead_Sync'`,
      ),
    ).to.equal(1);
    expect(
      s.emulator.requests.filter((q) => q.method === 'POST').map((q) => q.path.replace(/v\d+\.0/, 'vXX.X')),
    ).to.deep.equal(['/services/data/vXX.X/sobjects/PermissionSetAssignment']);
  });

  it('project deploy start over the REST deploy API: the new version replaces the permission set whole', async () => {
    const config = await sf('config set', ['config', 'set', 'org-metadata-rest-deploy=true'], project);
    expect(config.exitCode, config.stdout).to.equal(0);
    await writeFile(
      join(project, PS_DIR, 'E2E_Lead_Sync.permissionset-meta.xml'),
      `<?xml version="1.0" encoding="UTF-8"?>
<PermissionSet xmlns="http://soap.sforce.com/2006/04/metadata">
    <hasActivationRequired>false</hasActivationRequired>
    <label>E2E Lead Sync (read only)</label>
    <license>SalesforceAPIIntegrationPsl</license>
    <objectPermissions>
        <allowCreate>false</allowCreate>
        <allowDelete>false</allowDelete>
        <allowEdit>false</allowEdit>
        <allowRead>true</allowRead>
        <modifyAllRecords>false</modifyAllRecords>
        <object>Lead</object>
        <viewAllRecords>false</viewAllRecords>
    </objectPermissions>
</PermissionSet>
`,
    );
    const r = await sf<DeployResult>(
      'deploy (REST)',
      [
        'project',
        'deploy',
        'start',
        '--source-dir',
        join(PS_DIR, 'E2E_Lead_Sync.permissionset-meta.xml'),
        '--target-org',
        'acme',
      ],
      project,
    );
    expect(r.exitCode, r.stdout).to.equal(0);
    expect(r.result).to.include({ status: 'Succeeded', success: true });
    expect(r.result.files.map((f) => [f.fullName, f.state])).to.deep.equal([['E2E_Lead_Sync', 'Changed']]);
    expect(
      s.emulator.requests.some((q) => q.method === 'POST' && q.path.endsWith('/metadata/deployRequest')),
      requested().join('\n'),
    ).to.equal(true);
    expect(s.emulator.requests.filter((q) => q.soapOperation === 'deploy')).to.deep.equal([]);

    const ps = prod.permissionSet('E2E_Lead_Sync')!;
    expect(ps.Label).to.equal('E2E Lead Sync (read only)');
    expect(
      prod.query(`SELECT Id FROM FieldPermissions WHERE ParentId = '${String(ps.Id)}'`),
      'field permission gone',
    ).to.deep.equal([]);
    const objectPerms = prod.query(
      `SELECT SobjectType, PermissionsRead, PermissionsEdit FROM ObjectPermissions WHERE ParentId = '${String(ps.Id)}'`,
    );
    expect(objectPerms.map((o) => [o.SobjectType, o.PermissionsRead, o.PermissionsEdit])).to.deep.equal([
      ['Lead', true, false],
    ]);
  });
});
