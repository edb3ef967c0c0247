import { mkdir, mkdtemp, readdir, readFile, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { SfError } from '@salesforce/core';
import { permissionSetToXml } from '../../../src/metadata/permission-set-xml.js';
import { resolveDefaultOutputDir, writePermissionSetSources } from '../../../src/metadata/write-sources.js';
import type { PermissionSetDoc } from '../../../src/permissions/model.js';

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

async function project(dir: string, decomposed: boolean): Promise<void> {
  await mkdir(join(dir, 'force-app'), { recursive: true });
  await writeFile(
    join(dir, 'sfdx-project.json'),
    JSON.stringify({
      packageDirectories: [{ path: 'force-app', default: true }],
      sourceApiVersion: '66.0',
      ...(decomposed ? { sourceBehaviorOptions: ['decomposePermissionSetBeta2'] } : {}),
    })
  );
}

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
    const error = (await writePermissionSetSources([main, companion], { outputDir: out }).catch((e: SfError) => e)) as SfError;
    expect(error.name).to.equal('OutputExistsError');
    expect(error.message).to.contain(join(out, 'Sync_Integration.permissionset-meta.xml'));
    expect(error.actions?.join(' ')).to.contain('--force');
    const exists = await readFile(join(out, 'Sync_Integration_Companion.permissionset-meta.xml')).then(
      () => true,
      () => false
    );
    expect(exists, 'companion must not be written').to.equal(false);

    const changed = { ...main, label: 'Changed' };
    await writePermissionSetSources([changed], { outputDir: out, force: true });
    expect(await readFile(join(out, 'Sync_Integration.permissionset-meta.xml'), 'utf8')).to.contain('<label>Changed</label>');
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
      () => false
    );
    expect(stale, 'stale objectSettings left behind').to.equal(false);
  });

  it('resolves the default output folder', async () => {
    expect(await resolveDefaultOutputDir(dir)).to.equal(dir);
    await project(dir, false);
    expect(await resolveDefaultOutputDir(dir)).to.equal(join(dir, 'force-app', 'main', 'default', 'permissionsets'));
  });
});
