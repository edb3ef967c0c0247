import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import type { Connection } from '@salesforce/core';
import { connect } from './clients.js';
import { startEmulator, type Emulator } from '../src/index.js';

const CORPUS = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../shared/corpus/profiles');
const INTEGRATION_PROFILE = join(
  CORPUS,
  'Epic-ATS__NightlyBackup__Minimum Access - API Only Integrations.profile-meta.xml',
);
const count = (xml: string, el: string): number => xml.split(`<${el}>`).length - 1;

describe('emulator profiles seeded from real metadata', () => {
  let emu: Emulator;
  let conn: Connection;
  let source: string;
  let dir: string;

  before(async () => {
    source = readFileSync(INTEGRATION_PROFILE, 'utf8');
    emu = await startEmulator({
      seed: { profiles: [{ name: 'Minimum Access - API Only Integrations', metadataFile: INTEGRATION_PROFILE }] },
    });
    conn = await connect(emu);
    dir = mkdtempSync(join(tmpdir(), 'emu-prof-'));
  });
  after(async () => {
    await emu?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('gives the org the objects and fields the profile names', () => {
    const org = emu.org();
    expect(org.state.schema.get('ActiveScratchOrg')).to.not.equal(undefined);
    expect(org.state.schema.get('Account')!.fields.has('accountnumber')).to.equal(true);
  });

  it('returns the profile it holds through readMetadata, element for element', async () => {
    const p = (await conn.metadata.read('Profile', 'Minimum Access - API Only Integrations')) as unknown as Record<
      string,
      unknown[]
    > & { userLicense: string };
    expect(p.userLicense).to.equal('Salesforce Integration');
    for (const el of [
      'applicationVisibilities',
      'classAccesses',
      'fieldPermissions',
      'layoutAssignments',
      'objectPermissions',
      'pageAccesses',
      'recordTypeVisibilities',
      'tabVisibilities',
    ]) {
      expect(p[el], el).to.have.length(count(source, el));
    }
  });

  it('retrieves it through SDR and merges a profile deploy into it', async () => {
    const root = join(dir, 'profiles');
    mkdirSync(root, { recursive: true });
    writeFileSync(
      join(root, 'Standard.profile-meta.xml'),
      '<?xml version="1.0" encoding="UTF-8"?><Profile xmlns="http://soap.sforce.com/2006/04/metadata"><objectPermissions><allowCreate>false</allowCreate><allowDelete>false</allowDelete><allowEdit>false</allowEdit><allowRead>true</allowRead><modifyAllRecords>false</modifyAllRecords><object>Campaign</object><viewAllRecords>true</viewAllRecords></objectPermissions><userPermissions><enabled>true</enabled><name>ViewSetup</name></userPermissions></Profile>',
    );
    const { ComponentSet } = await import('@salesforce/source-deploy-retrieve');
    const deploy = await ComponentSet.fromSource(root).deploy({ usernameOrConnection: conn });
    const res = await deploy.pollStatus(10, 30);
    expect(res.response.status).to.equal('Succeeded');
    const std = emu.org().profile('Standard User')!;
    expect(std.PermissionsViewSetup).to.equal(true);
    expect(std.PermissionsRunReports).to.equal(true);
    const campaign = emu
      .org()
      .query(
        `SELECT PermissionsViewAllRecords, PermissionsEdit FROM ObjectPermissions WHERE Parent.ProfileId = '${std.Id}' AND SobjectType = 'Campaign'`,
      );
    expect(campaign).to.deep.equal([
      { attributes: campaign[0].attributes, PermissionsViewAllRecords: true, PermissionsEdit: false },
    ]);

    const out = join(dir, 'out');
    mkdirSync(out);
    const retrieve = await new ComponentSet([
      { fullName: 'Minimum Access - API Only Integrations', type: 'Profile' },
    ]).retrieve({ usernameOrConnection: conn, output: out, merge: false });
    const result = await retrieve.pollStatus(10, 60);
    const file = (result.getFileResponses() as Array<{ filePath?: string; type: string }>).find(
      (f) => f.type === 'Profile',
    )!;
    const xml = readFileSync(file.filePath!, 'utf8');
    expect(count(xml, 'tabVisibilities')).to.equal(count(source, 'tabVisibilities'));
    expect(count(xml, 'fieldPermissions')).to.equal(count(source, 'fieldPermissions'));
  });
});
