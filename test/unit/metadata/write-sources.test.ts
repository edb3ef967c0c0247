import { mkdtemp, readdir, readFile, realpath, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { SfError } from '@salesforce/core';
import { permissionSetToXml } from '../../../src/metadata/permission-set-xml.js';
import {
  planPermissionSetSources,
  resolveDefaultOutputDir,
  writePermissionSetSources,
  writePermissionSetSourcesDetailed,
} from '../../../src/metadata/write-sources.js';
import { pathExists } from '../../../src/metadata/project-paths.js';
import type { PermissionSetDoc } from '../../../src/permissions/model.js';
import { writeSfdxProject } from '../../helpers/project.js';

const main: PermissionSetDoc = {
  fullName: 'Sync_Integration',
  label: 'Sync Integration',
  license: 'SalesforceAPIIntegrationPsl',
  hasActivationRequired: false,
  sections: {
    fieldPermissions: [{ editable: false, field: 'Account.Industry', readable: true }],
    userPermissions: [{ enabled: true, name: 'RunReports' }],
  },
};
const companion: PermissionSetDoc = {
  fullName: 'Sync_Integration_Companion',
  label: 'Sync Integration Companion',
  sections: { userPermissions: [{ enabled: true, name: 'AuthorApex' }] },
};

const project = (dir: string, decomposed: boolean): Promise<void> => writeSfdxProject(dir, { decomposed });

describe('writePermissionSetSources', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await realpath(await mkdtemp(join(tmpdir(), 'wps-')));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes source-format files byte for byte outside a project', async () => {
    const out = join(dir, 'out');
    const written = await writePermissionSetSources([main, companion], { outputDir: out });
    expect(written).to.deep.equal([
      join(out, 'Sync_Integration.permissionset-meta.xml'),
      join(out, 'Sync_Integration_Companion.permissionset-meta.xml'),
    ]);
    expect(await readFile(written[0], 'utf8')).to.equal(permissionSetToXml(main));
  });

  it('refuses to overwrite without force, writing nothing, and replaces with force', async () => {
    const out = join(dir, 'out');
    await writePermissionSetSources([main], { outputDir: out });
    const error = (await writePermissionSetSources([main, companion], { outputDir: out }).catch(
      (e: SfError) => e,
    )) as SfError;
    expect(error.name).to.equal('OutputExistsError');
    expect(error.message).to.contain(join(out, 'Sync_Integration.permissionset-meta.xml'));
    expect(error.actions?.join(' ')).to.contain('--force');
    const exists = await readFile(join(out, 'Sync_Integration_Companion.permissionset-meta.xml')).then(
      () => true,
      () => false,
    );
    expect(exists, 'companion must not be written').to.equal(false);

    const changed = { ...main, label: 'Changed' };
    await writePermissionSetSources([changed], { outputDir: out, force: true });
    expect(await readFile(join(out, 'Sync_Integration.permissionset-meta.xml'), 'utf8')).to.contain(
      '<label>Changed</label>',
    );
  });

  it('lets source-deploy-retrieve decompose permission sets when the project asks for it', async () => {
    await project(dir, true);
    const out = join(dir, 'force-app', 'main', 'default', 'permissionsets');
    const written = await writePermissionSetSources([main], { outputDir: out });
    expect(written).to.include(join(out, 'Sync_Integration', 'Sync_Integration.permissionset-meta.xml'));
    expect(written.length).to.be.greaterThan(1);
    const head = await readFile(join(out, 'Sync_Integration', 'Sync_Integration.permissionset-meta.xml'), 'utf8');
    expect(head).to.contain('<license>SalesforceAPIIntegrationPsl</license>').and.not.contain('<userPermissions>');

    // replacing with force removes child files the new content no longer has
    const fewer = { ...main, sections: { userPermissions: main.sections.userPermissions } };
    const again = await writePermissionSetSources([fewer], { outputDir: out, force: true });
    expect(again.some((f) => f.includes('objectSettings'))).to.equal(false);
    const stale = await readdir(join(out, 'Sync_Integration', 'objectSettings')).then(
      () => true,
      () => false,
    );
    expect(stale, 'stale objectSettings left behind').to.equal(false);
  });

  it('convert-profile behaviour: an identical existing file is refused too without keepIdentical', async () => {
    const out = join(dir, 'out');
    await writePermissionSetSources([main], { outputDir: out });
    const error = (await writePermissionSetSources([main], { outputDir: out }).catch((e: SfError) => e)) as SfError;
    expect(error.name).to.equal('OutputExistsError');
  });

  it('keepIdentical: identical decomposed files stay untouched; any differing, extra or missing child file is a conflict', async () => {
    await project(dir, true);
    const out = join(dir, 'force-app', 'main', 'default', 'permissionsets');
    const first = await writePermissionSetSourcesDetailed([main, companion], { outputDir: out, keepIdentical: true });
    expect(first.sets.map((s) => s.action)).to.deep.equal(['written', 'written']);
    const mtimes = await Promise.all(first.files.map(async (f) => (await stat(f)).mtimeMs));

    const again = await writePermissionSetSourcesDetailed([main, companion], { outputDir: out, keepIdentical: true });
    expect(again.files).to.deep.equal(first.files);
    expect(again.sets.map((s) => s.action)).to.deep.equal(['unchanged', 'unchanged']);
    expect(await Promise.all(first.files.map(async (f) => (await stat(f)).mtimeMs))).to.deep.equal(mtimes);

    // a hand edit in one child file: refused (naming that file), nothing written, even the new set
    const child = first.files.find((f) => f.includes(join('Sync_Integration', 'objectSettings')))!;
    const original = await readFile(child, 'utf8');
    const edited = original.replace('<readable>true</readable>', '<readable>false</readable>');
    expect(edited).to.not.equal(await readFile(child, 'utf8'));
    await writeFile(child, edited);
    const other: PermissionSetDoc = { ...companion, fullName: 'Other_Set', label: 'Other' };
    const error = (await writePermissionSetSourcesDetailed([main, other], {
      outputDir: out,
      keepIdentical: true,
    }).catch((e: SfError) => e)) as SfError;
    expect(error.name).to.equal('OutputExistsError');
    expect(error.data).to.deep.equal({ existing: [child] });
    expect(await pathExists(join(out, 'Other_Set'))).to.equal(false);
    const planned = await planPermissionSetSources([main, other], { outputDir: out });
    expect(planned.map((p) => [p.fullName, p.state, p.differing])).to.deep.equal([
      ['Sync_Integration', 'differs', [child]],
      ['Other_Set', 'new', []],
    ]);
    expect(planned[1].files[0]).to.equal(join(out, 'Other_Set', 'Other_Set.permissionset-meta.xml'));

    // a child file more (would grant more than the request) or one missing: a conflict too
    await writeFile(child, original);
    const extra = join(out, 'Sync_Integration', 'objectSettings', 'Contact.objectSettings-meta.xml');
    await writeFile(extra, '<x/>');
    const plan = await planPermissionSetSources([main], { outputDir: out });
    expect(plan[0].state).to.equal('differs');
    expect(plan[0].differing).to.deep.equal([extra]);
    await rm(extra);
    await rm(child);
    const missing = await planPermissionSetSources([main], { outputDir: out });
    expect(missing[0]).to.include({ state: 'differs' });
    expect(missing[0].differing).to.deep.equal([join(out, 'Sync_Integration')]);

    // force replaces the set whole
    const forced = await writePermissionSetSourcesDetailed([main], {
      outputDir: out,
      keepIdentical: true,
      force: true,
    });
    expect(forced.sets[0].action).to.equal('replaced');
    expect((await planPermissionSetSources([main], { outputDir: out }))[0].state).to.equal('unchanged');
  });

  it('resolves the default output folder', async () => {
    expect(await resolveDefaultOutputDir(dir)).to.equal(dir);
    await project(dir, false);
    expect(await resolveDefaultOutputDir(dir)).to.equal(join(dir, 'force-app', 'main', 'default', 'permissionsets'));
  });
});
