import { mkdtemp, readFile, readdir, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { SfError } from '@salesforce/core';
import sinon from 'sinon';
import { stubSfCommandUx } from '@salesforce/sf-plugins-core';
import ConvertProfile, { type ConvertProfileResult } from '../../../src/commands/integration-user/convert-profile.js';
import { writeSfdxProject } from '../../helpers/project.js';
import { messageText } from '../../helpers/output.js';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures', 'profiles');
const quirks = join(fixtures, 'Quirks.profile-meta.xml');
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const run = async (args: string[]): Promise<ConvertProfileResult> => ConvertProfile.run(args, root);

describe('integration-user convert-profile', () => {
  let dir: string;
  // no TestContext: it fakes SfProject resolution, and these tests need real temp projects
  const sandbox = sinon.createSandbox();
  let ux: ReturnType<typeof stubSfCommandUx>;
  const warnings = (): string[] => ux.warn.getCalls().map((c) => messageText(c.args[0]));
  const logs = (): string[] => ux.log.getCalls().map((c) => String(c.args[0]));

  beforeEach(async () => {
    dir = await realpath(await mkdtemp(join(tmpdir(), 'convert-profile-')));
    // a stubbed cwd rather than process.chdir: mocha's tsx loader and oclif's config resolve from the real one
    sandbox.stub(process, 'cwd').returns(dir);
    ux = stubSfCommandUx(sandbox);
  });
  afterEach(async () => {
    sandbox.restore();
    await rm(dir, { recursive: true, force: true });
  });

  const project = (decomposed: boolean): Promise<void> => writeSfdxProject(dir, { decomposed });

  it('converts into the current folder outside a project, with a derived name and a report', async () => {
    // the high-risk permissions kept on request: converted like any other (the default leaves them out, see below)
    const result = await run([
      '--source-file',
      quirks,
      '--keep-permission',
      'ModifyAllData',
      '--keep-permission',
      'authorapex',
    ]);
    expect(result.profile).to.equal('Quirks');
    expect(result.outputDir).to.equal(dir);
    expect(result.permissionSets.map((p) => [p.name, p.label, p.license])).to.deep.equal([
      ['Quirks_Integration', 'Quirks Integration', 'SalesforceAPIIntegrationPsl'],
      ['Quirks_Integration_Companion', 'Quirks Integration Companion', null],
    ]);
    expect(result.permissionSets[0].path).to.equal(join(dir, 'Quirks_Integration.permissionset-meta.xml'));
    expect(result.permissionSets[0].counts.userPermissions).to.equal(2);
    expect(await readdir(dir)).to.have.members([
      'Quirks_Integration.permissionset-meta.xml',
      'Quirks_Integration_Companion.permissionset-meta.xml',
    ]);
    expect(result.omitted.find((o) => o.section === 'tabVisibilities')).to.include({ name: 'standard-Account' });
    expect(result.sections.fieldPermissions).to.deep.equal({ carried: 3, companion: 0, omitted: 0 });
    // per-section summary, written sets, grouped omissions: plain text tables (ink's spawn tput per render)
    expect(ux.table.callCount).to.equal(0);
    expect(logs().some((l) => /^Profile section\s+Carried\s+Companion\s+Omitted$/.test(l))).to.equal(true);
    // the sets written, each with its license and entry count (the path whole, so on the name's line when long)
    expect(logs().some((l) => l.startsWith('Quirks_Integration_Companion'))).to.equal(true);
    expect(logs().some((l) => /SalesforceAPIIntegrationPsl\s+15\b/.test(l))).to.equal(true);
    expect(
      ux.log
        .getCalls()
        .map((c) => String(c.args[0] ?? ''))
        .some((l) => /^Section\s+Count\s+Reason\s+Examples$/.test(l)),
    ).to.equal(true);
    expect(logs().filter((l) => /^userPermissions\s+2\s+1\s+2$/.test(l))).to.have.length(1);
    // kept on request: said once in the block, not in a warning each
    expect(result.highRisk).to.deep.equal({
      leftOut: [],
      kept: ['AuthorApex', 'ModifyAllData'],
      notHighRisk: [],
      notGranted: [],
    });
    expect(logs()).to.include('Kept on request (--keep-permission): AuthorApex, ModifyAllData.');
    expect(warnings().some((w) => w.includes('High-risk permission'))).to.equal(false);
    expect(warnings()).to.deep.equal(result.warnings);
  });

  it('leaves the high-risk permissions out by default, in one block; compare-ready reasons in --json', async () => {
    const result = await run(['--source-file', quirks]);
    expect(result.highRisk.leftOut.map((p) => [p.name, p.privilegedBySalesforce, p.keepWith])).to.deep.equal([
      ['AuthorApex', true, '--keep-permission AuthorApex'],
      ['ModifyAllData', true, '--keep-permission ModifyAllData'],
    ]);
    const xml = await readFile(result.permissionSets[0].path, 'utf8');
    expect(xml).to.contain('<name>RunReports</name>').and.not.contain('ModifyAllData').and.not.contain('AuthorApex');
    expect(await readFile(result.permissionSets[1].path, 'utf8')).to.not.contain('AuthorApex');
    expect(result.sections.userPermissions).to.deep.equal({ carried: 1, companion: 0, omitted: 4 });
    const reasons = result.omitted.filter((o) => o.name === 'ModifyAllData').map((o) => o.reason);
    expect(reasons).to.deep.equal([
      'left out by default: it can read, edit and delete all records of every object (keep with --keep-permission ModifyAllData)',
    ]);
    // one block, no warning per permission, and not in the omissions table
    const block = logs().filter((l) => /high-risk|Privileged per Salesforce|--keep-permission/.test(l));
    expect(block[0]).to.equal(
      'Least privilege: 2 high-risk user permissions of the copied access left out of the new permission sets.',
    );
    expect(block.join('\n'))
      .to.contain('Privileged per Salesforce: AuthorApex, ModifyAllData')
      .and.contain('--keep-permission <name>');
    expect(warnings().filter((w) => /ModifyAllData|AuthorApex/.test(w))).to.deep.equal([]);
    expect(logs().some((l) => l.includes('left out by'))).to.equal(false);
  });

  it('refuses a permission named both to keep and to exclude, writing nothing', async () => {
    const error = (await run([
      '--source-file',
      quirks,
      '--keep-permission',
      'ModifyAllData',
      '-x',
      'modifyalldata',
    ]).catch((e: SfError) => e)) as SfError;
    expect(error.name).to.equal('KeepAndExcludeError');
    expect(error.message).to.contain('ModifyAllData');
    expect(await readdir(dir)).to.deep.equal([]);
  });

  it('writes into the default package directory of a project, honours flags, refuses to overwrite', async () => {
    await project(false);
    const args = [
      '--source-file',
      quirks,
      '--name',
      'Sync_API',
      '--label',
      'Sync API',
      '--include-ui',
      '-x',
      'AuthorApex',
      '-x',
      'ModifyAllData',
    ];
    const result = await run(args);
    const out = join(dir, 'force-app', 'main', 'default', 'permissionsets');
    expect(result.permissionSets.map((p) => p.path)).to.deep.equal([
      join(out, 'Sync_API.permissionset-meta.xml'),
      join(out, 'Sync_API_Companion.permissionset-meta.xml'),
    ]);
    const companion = await readFile(join(out, 'Sync_API_Companion.permissionset-meta.xml'), 'utf8');
    expect(companion)
      .to.contain('<visibility>Visible</visibility>')
      .and.not.contain('<license>')
      .and.not.contain('AuthorApex');
    expect(result.omitted.filter((o) => o.reason.includes('--exclude-permission')).map((o) => o.name)).to.have.members([
      'AuthorApex',
      'ModifyAllData',
    ]);

    const error = (await run(args).catch((e: SfError) => e)) as SfError;
    expect(error).to.be.instanceOf(SfError);
    expect(error.name).to.equal('OutputExistsError');
    await run([...args, '--force']);
  });

  it('writes decomposed permission sets when the project asks for it', async () => {
    await project(true);
    const result = await run([
      '--source-file',
      quirks,
      '--name',
      'Sync_API',
      '--output-dir',
      'force-app/main/default/permissionsets',
      '--json',
    ]);
    const folder = join(dir, 'force-app', 'main', 'default', 'permissionsets', 'Sync_API');
    expect(result.permissionSets[0].path).to.equal(join(folder, 'Sync_API.permissionset-meta.xml'));
    expect(result.permissionSets[0].files.length).to.be.greaterThan(1);
    expect(result.permissionSets[0].files.every((f) => f.startsWith(folder))).to.equal(true);
    expect(await readdir(folder)).to.include('Sync_API.permissionset-meta.xml');
  });

  it('warns when a companion from an earlier run is left beside a conversion that needs none', async () => {
    const profile = join(dir, 'Api.profile-meta.xml');
    await writeFile(
      profile,
      '<?xml version="1.0" encoding="UTF-8"?>\n<Profile xmlns="http://soap.sforce.com/2006/04/metadata"><classAccesses><apexClass>Sync</apexClass><enabled>true</enabled></classAccesses></Profile>\n',
    );
    const first = await run(['--source-file', profile, '--name', 'Api_Sync', '--json']);
    expect(first.permissionSets).to.have.length(1);
    expect(first.warnings.some((w) => w.includes('Api_Sync_Companion'))).to.equal(false);

    await writeFile(join(dir, 'Api_Sync_Companion.permissionset-meta.xml'), '<PermissionSet/>\n');
    const second = await run(['--source-file', profile, '--name', 'Api_Sync', '--force', '--json']);
    expect(second.warnings.some((w) => w.includes(join(dir, 'Api_Sync_Companion.permissionset-meta.xml')))).to.equal(
      true,
    );
  });

  it('fails with a clear error on bad input', async () => {
    const notProfile = (await run(['--source-file', join(fixtures, 'Not_A_Profile.permissionset-meta.xml')]).catch(
      (e: SfError) => e,
    )) as SfError;
    expect(notProfile.name).to.equal('ProfileIsPermissionSetError');
    const missing = (await run(['--source-file', 'nope.profile']).catch((e: SfError) => e)) as SfError;
    expect(missing.name).to.equal('ProfileUnreadableError');
    await writeFile(join(dir, 'empty.profile'), '');
    const empty = (await run(['--source-file', 'empty.profile']).catch((e: SfError) => e)) as SfError;
    expect(empty.name).to.equal('ProfileEmptyError');
    const badName = (await run(['--source-file', quirks, '--name', 'bad name']).catch((e: SfError) => e)) as SfError;
    expect(badName.name).to.equal('InvalidNameError');
    expect(await readdir(dir)).to.deep.equal(['empty.profile']);
  });

  it('outside a project says where it writes', async () => {
    const result = await run(['--source-file', quirks]);
    expect(result.warnings[0]).to.contain(`${dir} isn't inside an SFDX project`).and.contain('--output-dir');
  });

  it('an --output-dir that is a file is a named error with an action, checked before converting', async () => {
    await writeFile(join(dir, 'out'), 'x');
    const error = (await run(['--source-file', quirks, '--output-dir', join(dir, 'out')]).catch(
      (e: SfError) => e,
    )) as SfError;
    expect(error.name).to.equal('OutputDirNotDirectoryError');
    expect(error.message).to.not.match(/EEXIST|ENOTDIR/);
    expect(error.actions?.join(' ')).to.contain('--output-dir');
  });

  it('a profile that grants nothing: says so and writes no empty permission set', async () => {
    const xml =
      '<?xml version="1.0" encoding="UTF-8"?>\n<Profile xmlns="http://soap.sforce.com/2006/04/metadata">\n' +
      '    <tabVisibilities><tab>standard-Account</tab><visibility>DefaultOn</visibility></tabVisibilities>\n' +
      '    <userLicense>Salesforce</userLicense>\n</Profile>\n';
    await writeFile(join(dir, 'Nothing.profile-meta.xml'), xml);
    const error = (await run(['--source-file', join(dir, 'Nothing.profile-meta.xml')]).catch(
      (e: SfError) => e,
    )) as SfError;
    expect(error.name).to.equal('NothingToGrantError');
    expect(error.message).to.contain('grants nothing');
    expect(error.actions?.join(' ')).to.contain('--include-ui');
    expect(await readdir(dir)).to.deep.equal(['Nothing.profile-meta.xml']);
  });
});
