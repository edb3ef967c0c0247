import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import type { Connection } from '@salesforce/core';
import { FIELD_SINCE, fitToApiVersion, SECTION_SINCE } from '../../../src/permissions/element-versions.js';
import { PERMISSION_SET_SECTIONS, type PermissionSetDoc, type SectionName } from '../../../src/permissions/model.js';
import { permissionSetToXml } from '../../../src/metadata/permission-set-xml.js';
import {
  assertApiVersionSupported,
  CONNECT_OLDEST_API_VERSION,
  NEWEST_API_VERSION,
  OLDEST_API_VERSION,
  targetApiVersion,
} from '../../../src/org-api/api-version.js';
import { writeSfdxProject } from '../../helpers/project.js';

type Types = {
  complexTypes: Record<string, { elements: Record<string, { since: string; type: string }> }>;
  versions: string[];
};
const REFERENCE = join(import.meta.dirname, '..', '..', '..', '..', 'shared', 'reference', 'salesforce');
const types = JSON.parse(readFileSync(join(REFERENCE, 'metadata-types.json'), 'utf8')) as Types;
const sobjects = JSON.parse(readFileSync(join(REFERENCE, 'sobjects.json'), 'utf8')) as {
  sObjects: Record<string, { fields: Record<string, { since: string }> }>;
};
const newer = (since: string): boolean => Number(since) > 47;

describe('PermissionSet elements by API version', () => {
  it('the table is metadata-types.json for every section and field the plugin writes', () => {
    const ps = types.complexTypes.PermissionSet.elements;
    for (const section of Object.keys(PERMISSION_SET_SECTIONS) as SectionName[]) {
      const element = ps[section];
      expect(element, section).to.not.equal(undefined);
      expect(SECTION_SINCE[section], section).to.equal(newer(element.since) ? element.since : undefined);
      const fields = types.complexTypes[element.type].elements;
      const fieldSince = Object.fromEntries(
        Object.entries(fields)
          .filter(([name, f]) => newer(f.since) && f.since !== element.since && name !== undefined)
          .map(([n, f]) => [n, f.since]),
      );
      expect(FIELD_SINCE[section] ?? {}, section).to.deep.equal(fieldSince);
    }
    expect(NEWEST_API_VERSION).to.equal(types.versions.at(-1));
  });

  it('the oldest supported version has every sObject field the plugin names, at the version sobjects.json shows it', () => {
    const needed: Record<string, string[]> = {
      Profile: ['PermissionsApiUserOnly', 'PermissionsModifyAllData', 'Name'],
      PermissionSet: ['PermissionsApiUserOnly', 'Name', 'NamespacePrefix', 'LicenseId'],
      ObjectPermissions: ['SobjectType', 'PermissionsRead', 'PermissionsModifyAllRecords'],
      User: ['Username', 'IsActive', 'UserType', 'LastLoginDate'],
      OauthToken: ['AppName', 'UseCount'],
    };
    const latest = Object.entries(needed).flatMap(([o, fs]) =>
      fs.map((f) => Number(sobjects.sObjects[o].fields[f].since)),
    );
    expect(Math.max(...latest), 'the last field the plugin needs to appear').to.equal(Number(OLDEST_API_VERSION));
    const eca = types.complexTypes.ExtlClntAppOauthConfigurablePolicies.elements;
    expect(eca.commaSeparatedProfile.since).to.equal(CONNECT_OLDEST_API_VERSION);
  });

  const doc: PermissionSetDoc = {
    fullName: 'Int_PS',
    label: 'Int PS',
    sections: {
      objectPermissions: [
        {
          allowCreate: false,
          allowDelete: false,
          allowEdit: false,
          allowRead: true,
          modifyAllRecords: false,
          object: 'Account',
          viewAllFields: true,
          viewAllRecords: false,
        },
        {
          allowCreate: false,
          allowDelete: false,
          allowEdit: false,
          allowRead: true,
          modifyAllRecords: false,
          object: 'Lead',
          viewAllFields: false,
          viewAllRecords: false,
        },
      ],
      agentAccesses: [{ agentName: 'Helper', enabled: true }],
      userPermissions: [{ enabled: true, name: 'ApiEnabled' }],
    },
  };

  it('leaves out what a version lacks and reports each grant dropped (View All Fields below 63.0)', () => {
    const at62 = fitToApiVersion([doc], '62.0');
    const xml = permissionSetToXml(at62.docs[0]);
    expect(xml).to.not.include('viewAllFields').and.not.include('agentAccesses');
    expect(xml).to.include('<object>Account</object>').and.include('<name>ApiEnabled</name>');
    expect(at62.dropped.map((d) => `${d.section} ${d.name} ${d.since}`)).to.deep.equal([
      'objectPermissions Account.viewAllFields 63.0',
      'agentAccesses Helper 64.0',
    ]);
    expect(at62.dropped[0].reason).to.match(/^View All Fields exists from API 63\.0; Int_PS is written for API 62\.0/);

    const at63 = fitToApiVersion([doc], '63.0');
    expect(permissionSetToXml(at63.docs[0]))
      .to.include('<viewAllFields>true</viewAllFields>')
      .and.not.include('agentAccesses');
    expect(at63.dropped.map((d) => d.name)).to.deep.equal(['Helper']);
    expect(fitToApiVersion([doc], '66.0')).to.deep.equal({ docs: [doc], dropped: [] });
    expect(doc.sections.objectPermissions?.[0].viewAllFields, 'input untouched').to.equal(true);
  });
});

describe('API versions: the oldest supported, the org, the project', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'api-version-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const fakeConn = (version: string, max: string): Connection =>
    ({ getApiVersion: () => version, retrieveMaxApiVersion: () => Promise.resolve(max) }) as unknown as Connection;
  const errorOf = async (p: Promise<unknown>): Promise<Error & { actions?: string[] }> => {
    try {
      await p;
    } catch (e) {
      return e as Error;
    }
    throw new Error('expected an error');
  };

  it('refuses --api-version older than the oldest supported, or newer than the org, by name with an action', async () => {
    const old = await errorOf(assertApiVersionSupported(fakeConn('58.0', '66.0'), '58.0'));
    expect(old.name).to.equal('ApiVersionTooOldError');
    expect(old.message).to.include(`oldest supported API version is ${OLDEST_API_VERSION}`);
    expect(old.actions?.[0]).to.include(`--api-version ${OLDEST_API_VERSION}`);
    const tooNew = await errorOf(assertApiVersionSupported(fakeConn('99.0', '66.0'), '99.0'));
    expect(tooNew.name).to.equal('ApiVersionTooNewError');
    expect(tooNew.message).to.equal(
      'API version 99.0 is newer than this org supports: its highest API version is 66.0.',
    );
    const org = await errorOf(assertApiVersionSupported(fakeConn('57.0', '57.0'), undefined));
    expect(org.message).to.include('API version 57.0 (from org)');
    const connect = await errorOf(
      assertApiVersionSupported(fakeConn('61.0', '66.0'), '61.0', CONNECT_OLDEST_API_VERSION),
    );
    expect(connect.message).to.include(`oldest supported API version is ${CONNECT_OLDEST_API_VERSION}`);
    await assertApiVersionSupported(fakeConn(OLDEST_API_VERSION, '66.0'), OLDEST_API_VERSION);
    await assertApiVersionSupported(fakeConn('66.0', '66.0'), undefined);
  });

  it('writes for the lowest of --api-version, sourceApiVersion and the org; the newest known without any', async () => {
    expect(await targetApiVersion({ projectDir: dir })).to.deep.equal({
      version: NEWEST_API_VERSION,
      source: 'newest supported',
    });
    expect(await targetApiVersion({ projectDir: dir, orgVersion: '64.0' })).to.deep.equal({
      version: '64.0',
      source: 'org',
    });
    expect(await targetApiVersion({ orgVersion: '67.0' })).to.deep.equal({
      version: NEWEST_API_VERSION,
      source: 'newest supported',
    });
    await writeSfdxProject(dir, { sourceApiVersion: '62.0' });
    expect(await targetApiVersion({ projectDir: join(dir, 'force-app'), orgVersion: '66.0' })).to.deep.equal({
      version: '62.0',
      source: 'sourceApiVersion',
    });
    expect(await targetApiVersion({ projectDir: dir, flag: '61.0' })).to.deep.equal({
      version: '61.0',
      source: '--api-version',
    });
    await writeSfdxProject(dir, { sourceApiVersion: '52.0' });
    expect((await errorOf(targetApiVersion({ projectDir: dir }))).message).to.include(
      'API version 52.0 (from sourceApiVersion)',
    );
  });
});
