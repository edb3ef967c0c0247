/**
 * convert-profile --profile / --from-user, compare, and create --from-user, in-process against the org emulator.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import sinon from 'sinon';
import { SfError } from '@salesforce/core';
import { stubSfCommandUx } from '@salesforce/sf-plugins-core';
import ConvertProfile from '../../../src/commands/integration-user/convert-profile.js';
import IntegrationUserCompare from '../../../src/commands/integration-user/compare.js';
import IntegrationUserCreate from '../../../src/commands/integration-user/create.js';
import type { CreateResult } from '../../../src/create/executor.js';
import { startEmulator, type Emulator } from '@sf-integration-user/org-emulator';
import { saveAccessTokenAuth, useTempHome, type TempHome } from '../../helpers/emulator-login.js';
import { bigOrg } from '../access-reader/big-org.js';

describe('org-reading commands against the emulator', function () {
  this.timeout(60_000);
  const big = bigOrg({ objects: 40, fieldsPerObject: 6 });
  big.seed.users!.push({ username: 'small.sync@acme.com', lastName: 'Small', profile: 'Standard User' });
  let emu: Emulator;
  let target: string;
  let home: TempHome;
  let dir: string;
  let sandbox: sinon.SinonSandbox;

  before(async () => {
    emu = await startEmulator({ seed: big.seed });
    home = await useTempHome('audit-home-', { SF_INTEGRATION_USER_POLL_MS: '10' });
    target = await saveAccessTokenAuth(emu.url, emu.org().accessToken);
  });
  after(async () => {
    await home?.restore();
    await emu?.stop();
  });
  beforeEach(async () => {
    sandbox = sinon.createSandbox();
    stubSfCommandUx(sandbox);
    dir = await mkdtemp(join(tmpdir(), 'access-reader-cmd-'));
  });
  afterEach(async () => {
    sandbox.restore();
    await rm(dir, { recursive: true, force: true });
  });

  it('convert-profile --profile reads the profile from the org and applies the org license rules', async () => {
    const result = await ConvertProfile.run([
      '--profile',
      big.profileName,
      '--target-org',
      target,
      '--output-dir',
      dir,
      '--name',
      'Admin_Integration',
      '--keep-permission',
      'AuthorApex',
      '--json',
    ]);
    expect(result.licenseRules).to.equal('org');
    expect(result.source).to.contain(`profile ${big.profileName}`);
    const xml = await readFile(join(dir, 'Admin_Integration.permissionset-meta.xml'), 'utf8');
    expect(xml).to.contain('<license>SalesforceAPIIntegrationPsl</license>');
    expect(xml).to.contain('<apexClass>SyncService000</apexClass>');
    expect(xml).to.contain('<field>Obj039__c.Field05__c</field>');
    const companion = await readFile(join(dir, 'Admin_Integration_Companion.permissionset-meta.xml'), 'utf8');
    expect(companion).to.contain('<name>AuthorApex</name>');
    expect(result.omitted.find((o) => o.name === 'LightningExperienceUser')).to.not.equal(undefined);
    // the other high-risk permissions of the admin-like profile: left out, AuthorApex kept as asked
    expect(result.highRisk.kept).to.deep.equal(['AuthorApex']);
    expect(result.highRisk.leftOut.map((p) => p.name)).to.include.members([
      'ModifyAllData',
      'ViewAllData',
      'CustomizeApplication',
    ]);
    expect(xml).to.not.contain('<name>ModifyAllData</name>').and.not.contain('<name>ViewAllData</name>');
    expect(result.readStats!.roundTrips).to.be.greaterThan(5);
  });

  it('convert-profile --from-user converts the effective access and names the source of every grant', async () => {
    const result = await ConvertProfile.run([
      '--from-user',
      big.username,
      '--target-org',
      target,
      '--output-dir',
      dir,
      '--json',
    ]);
    expect(result.effectiveAccess?.sources.map((s) => s.source)).to.include('group:Billing_Sync/Group_Admin');
    expect(result.effectiveAccess?.grantSources.objectPermissions.Invoice__c.modifyAllRecords).to.deep.equal([
      'group:Billing_Sync/Group_Admin',
    ]);
    const xml = await readFile(join(dir, 'integrations_acme_com_Integration.permissionset-meta.xml'), 'utf8');
    expect(xml).to.contain('<object>Invoice__c</object>');
    expect(xml).to.not.contain('ViewEncryptedData'); // muted in the group
  });

  it('convert-profile without an org for --profile fails clearly', async () => {
    const error = await ConvertProfile.run(['--profile', 'Nope', '--target-org', target, '--output-dir', dir]).then(
      () => undefined,
      (e: SfError) => e,
    );
    expect(error?.name).to.equal('ProfileNotFoundError');
  });

  it('compare writes Markdown and CSV, never over an existing file without --force', async () => {
    const md = join(dir, 'switch.md');
    const result = await IntegrationUserCompare.run([
      '--target-org',
      target,
      '--user',
      big.username,
      '--permission-set',
      'Sync_Extra',
      '--output-file',
      md,
      '--json',
    ]);
    expect(result.outputFile).to.equal(md);
    const text = await readFile(md, 'utf8');
    expect(text).to.contain(`# Access of ${big.username} compared with Sync_Extra`);
    // named as Setup names it: the org's label (PermissionSet describe) beside the API name
    expect(text).to.match(/\| LightningExperienceUser \(Lightning Experience User\) \| yes \|  \| lacks yes \| ui: /);
    const again = await IntegrationUserCompare.run([
      '--target-org',
      target,
      '--user',
      big.username,
      '--permission-set',
      'Sync_Extra',
      '--output-file',
      md,
    ]).then(
      () => undefined,
      (e: SfError) => e,
    );
    expect(again?.name).to.equal('OutputFileExistsError');

    const csv = join(dir, 'users.csv');
    await writeFile(csv, 'old');
    await IntegrationUserCompare.run([
      '--target-org',
      target,
      '--user',
      big.username,
      '--user',
      'someone.else@acme.com',
      '--output-file',
      csv,
      '--force',
    ]);
    const lines = (await readFile(csv, 'utf8')).split('\r\n');
    expect(lines[0]).to.equal(
      'category,section,name,label,first,second,lacks,beyond,status,whyKind,why,firstSources,secondSources',
    );
    expect(lines.find((l) => l.startsWith('object,objectPermissions,Secret__c,,'))).to.contain(',beyond,');
  });

  it('compare wants two users, or one user and permission sets', async () => {
    const error = await IntegrationUserCompare.run(['--target-org', target, '--user', big.username]).then(
      () => undefined,
      (e: SfError) => e,
    );
    expect(error?.name).to.equal('WrongSidesError');
  });

  it('create --from-user --dry-run ends with the comparison and a warning per gap', async () => {
    const result = (await IntegrationUserCreate.run([
      '--target-org',
      target,
      '--username',
      'erp.sync@acme.com.integration',
      '--from-user',
      big.username,
      '--output-dir',
      dir,
      '--dry-run',
      '--json',
    ])) as unknown as CreateResult;
    expect(result.steps.find((s) => s.name === 'compare')?.status).to.equal('planned');
    expect(result.fromUser?.username).to.equal(big.username);
    const gaps = result.comparison!.rows.filter((r) => r.lacks.length > 0);
    expect(gaps.length).to.be.greaterThan(0);
    // every gap is explained by a rule (the plan carries everything else)
    expect(gaps.filter((g) => g.why?.kind === 'not-granted').map((g) => g.name)).to.deep.equal([]);
    expect(result.warnings.some((w) => w.includes('LightningExperienceUser'))).to.equal(true);
  });

  it('create --from-user creates the user and compares with the access the org now gives it', async () => {
    const result = (await IntegrationUserCreate.run([
      '--target-org',
      target,
      '--username',
      'small.sync@acme.com.integration',
      '--from-user',
      'small.sync@acme.com',
      '--output-dir',
      dir,
      '--json',
    ])) as unknown as CreateResult;
    expect(result.success).to.equal(true);
    expect(result.steps.find((s) => s.name === 'compare')?.status).to.equal('done');
    expect(result.comparison!.second).to.equal('small.sync@acme.com.integration');
    // everything the Standard User profile gives is carried by the license: no gap
    expect(result.comparison!.rows.filter((r) => r.lacks.length > 0)).to.deep.equal([]);
    expect(result.comparison!.summary.object.same).to.equal(6);
  });
});
