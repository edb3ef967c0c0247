/**
 * The Metadata API parses a deployed file against the schema of the deploy's API version (metadata-types.json,
 * from each release's metadata.wsdl). The version is the package.xml <version> that source-deploy-retrieve writes
 * (sourceApiVersion), else the endpoint's.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { expect } from 'chai';
import type { Connection } from '@salesforce/core';
import { connect, type DeployedFile } from './clients.js';
import { invalidAtLocation, SchemaError, validateAgainstSchema } from '../src/metadata-schema.js';
import { startEmulator, type Emulator } from '../src/index.js';

const NS = 'http://soap.sforce.com/2006/04/metadata';
const xml = (root: string, body: string): string =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<${root} xmlns="${NS}">${body}</${root}>\n`;
const objectPerm = (extra = ''): string =>
  `<objectPermissions><allowCreate>false</allowCreate><allowDelete>false</allowDelete><allowEdit>false</allowEdit><allowRead>true</allowRead><modifyAllRecords>false</modifyAllRecords><object>Account</object>${extra}<viewAllRecords>false</viewAllRecords></objectPermissions>`;
const WITH_VIEW_ALL_FIELDS = xml(
  'PermissionSet',
  `<label>VAF</label>${objectPerm('<viewAllFields>true</viewAllFields>')}`,
);

const problemOf = (file: string, type: string, version: string): string | undefined => {
  try {
    validateAgainstSchema(file, type, version);
    return undefined;
  } catch (e) {
    if (e instanceof SchemaError) return e.message;
    throw e;
  }
};

describe('emulator Metadata API: the schema of the deploy API version', () => {
  describe('parsing a file against metadata-types.json', () => {
    it('knows viewAllFields from 63.0 only, nested in objectPermissions', () => {
      expect(problemOf(WITH_VIEW_ALL_FIELDS, 'PermissionSet', '62.0')).to.equal(
        'Error parsing file: Element {http://soap.sforce.com/2006/04/metadata}viewAllFields invalid at this location in type PermissionSetObjectPermissions',
      );
      expect(problemOf(WITH_VIEW_ALL_FIELDS, 'PermissionSet', '63.0')).to.equal(undefined);
    });

    it('refuses top-level elements newer than the version, and any out of schema order', () => {
      const agent = xml(
        'PermissionSet',
        '<agentAccesses><agentName>A</agentName><enabled>true</enabled></agentAccesses><label>X</label>',
      );
      expect(problemOf(agent, 'PermissionSet', '63.0')).to.equal(invalidAtLocation('agentAccesses', 'PermissionSet'));
      expect(problemOf(agent, 'PermissionSet', '64.0')).to.equal(undefined);
      const disordered = xml('PermissionSet', '<label>X</label><hasActivationRequired>false</hasActivationRequired>');
      expect(problemOf(disordered, 'PermissionSet', '66.0')).to.equal(
        invalidAtLocation('hasActivationRequired', 'PermissionSet'),
      );
      const twice = xml('PermissionSet', '<label>X</label><label>Y</label>');
      expect(problemOf(twice, 'PermissionSet', '66.0')).to.equal(invalidAtLocation('label', 'PermissionSet'));
      const fieldsDisordered = xml(
        'PermissionSet',
        '<fieldPermissions><field>Account.Name</field><editable>false</editable><readable>true</readable></fieldPermissions><label>X</label>',
      );
      expect(problemOf(fieldsDisordered, 'PermissionSet', '66.0')).to.equal(
        invalidAtLocation('editable', 'PermissionSetFieldPermissions'),
      );
    });

    it('accepts repeated sections, fullName first (from Metadata), and the element of a derived type last', () => {
      const repeated = xml(
        'PermissionSet',
        `<fullName>P</fullName><label>X</label>${objectPerm()}${objectPerm()}<userPermissions><enabled>true</enabled><name>ApiEnabled</name></userPermissions>`,
      );
      expect(problemOf(repeated, 'PermissionSet', '59.0')).to.equal(undefined);
      // MutingPermissionSet extends PermissionSet: its sequence is PermissionSet's, then its own label
      expect(problemOf(xml('MutingPermissionSet', '<label>M</label>'), 'MutingPermissionSet', '62.0')).to.equal(
        undefined,
      );
      expect(
        problemOf(
          xml('MutingPermissionSet', '<label>M</label><viewAllFields>true</viewAllFields>'),
          'MutingPermissionSet',
          '66.0',
        ),
      ).to.equal(invalidAtLocation('viewAllFields', 'MutingPermissionSet'));
    });

    it('refuses a value outside its enumeration, and one the version does not have yet', () => {
      const tab = (v: string): string =>
        xml(
          'PermissionSet',
          `<label>X</label><tabSettings><tab>standard-Account</tab><visibility>${v}</visibility></tabSettings>`,
        );
      expect(problemOf(tab('Visible'), 'PermissionSet', '66.0')).to.equal(undefined);
      // DefaultOn is a profile's TabVisibility, not a permission set's
      expect(problemOf(tab('DefaultOn'), 'PermissionSet', '66.0')).to.equal(
        "Error parsing file: 'DefaultOn' is not a valid value for the enum 'PermissionSetTabVisibility'",
      );
      const startPage = (v: string): string =>
        xml(
          'ExtlClntAppConfigurablePolicies',
          `<externalClientApplication>A</externalClientApplication><isEnabled>true</isEnabled><startPage>${v}</startPage>`,
        );
      expect(problemOf(startPage('SAML'), 'ExtlClntAppConfigurablePolicies', '62.0')).to.equal(
        "Error parsing file: 'SAML' is not a valid value for the enum 'ExtlClntAppStartPage'",
      );
      expect(problemOf(startPage('SAML'), 'ExtlClntAppConfigurablePolicies', '63.0')).to.equal(undefined);
    });

    it('checks External Client App types and profiles the same way', () => {
      const global = xml(
        'ExtlClntAppGlobalOauthSettings',
        '<callbackUrl>https://x.example/cb</callbackUrl><externalClientApplication>A</externalClientApplication><isCodeCredFlowEnabled>false</isCodeCredFlowEnabled><label>A</label>',
      );
      expect(problemOf(global, 'ExtlClntAppGlobalOauthSettings', '60.0')).to.equal(
        invalidAtLocation('isCodeCredFlowEnabled', 'ExtlClntAppGlobalOauthSettings'),
      );
      expect(problemOf(global, 'ExtlClntAppGlobalOauthSettings', '61.0')).to.equal(undefined);
      const profile = xml('Profile', `<custom>false</custom>${objectPerm('<viewAllFields>false</viewAllFields>')}`);
      expect(problemOf(profile, 'Profile', '62.0')).to.equal(
        invalidAtLocation('viewAllFields', 'ProfileObjectPermissions'),
      );
      expect(problemOf(xml('Profile', '<custom>maybe</custom>'), 'Profile', '66.0')).to.equal(
        "Error parsing file: 'maybe' is not valid for the type xsd:boolean",
      );
    });
  });

  describe('through source-deploy-retrieve, as sf project deploy start sends it', () => {
    let emu: Emulator;
    let conn: Connection;
    let dir: string;

    before(async () => {
      emu = await startEmulator({ seed: { maxApiVersion: '66.0' } });
      conn = await connect(emu);
      dir = mkdtempSync(join(tmpdir(), 'emu-mdv-'));
    });
    after(async () => {
      await emu?.stop();
      rmSync(dir, { recursive: true, force: true });
    });

    /** Deploys files with the endpoint at apiVersion and package.xml <version> at sourceApiVersion. */
    async function deploy(
      files: Record<string, string>,
      apiVersion: string,
      sourceApiVersion?: string,
      rest = false,
    ): Promise<{ status: string; responses: DeployedFile[] }> {
      const { ComponentSet } = await import('@salesforce/source-deploy-retrieve');
      const root = join(dir, Math.random().toString(36).slice(2));
      for (const [path, content] of Object.entries(files)) {
        mkdirSync(dirname(join(root, path)), { recursive: true });
        writeFileSync(join(root, path), content);
      }
      const cs = ComponentSet.fromSource(root);
      cs.apiVersion = apiVersion;
      if (sourceApiVersion) cs.sourceApiVersion = sourceApiVersion;
      conn.setApiVersion(apiVersion);
      const op = await cs.deploy({ usernameOrConnection: conn, apiOptions: { rest } });
      const result = await op.pollStatus(10, 30);
      return { status: String(result.response.status), responses: result.getFileResponses() };
    }
    const vaf = { 'permissionsets/Vaf.permissionset-meta.xml': WITH_VIEW_ALL_FIELDS };

    it('deploys viewAllFields at 63.0 and fails it at 62.0 with the parser text, changing nothing', async () => {
      const old = await deploy(vaf, '62.0');
      expect(old.status).to.equal('Failed');
      expect(old.responses.find((r) => r.fullName === 'Vaf')?.error).to.equal(
        invalidAtLocation('viewAllFields', 'PermissionSetObjectPermissions'),
      );
      expect(emu.org().query("SELECT Id FROM PermissionSet WHERE Name = 'Vaf'")).to.have.length(0);
      const ok = await deploy(vaf, '63.0');
      expect(ok.status).to.equal('Succeeded');
      expect(
        emu
          .org()
          .query("SELECT PermissionsViewAllFields FROM ObjectPermissions WHERE Parent.Name = 'Vaf'")
          .map((r) => r.PermissionsViewAllFields),
      ).to.deep.equal([true]);
    });

    it('the package.xml <version> (sourceApiVersion) decides, not the endpoint; REST deploys too', async () => {
      expect((await deploy(vaf, '66.0', '62.0')).status).to.equal('Failed');
      expect((await deploy(vaf, '62.0', '63.0')).status).to.equal('Succeeded');
      expect((await deploy(vaf, '66.0', '62.0', true)).status).to.equal('Failed');
      expect((await deploy(vaf, '66.0', '63.0', true)).status).to.equal('Succeeded');
    });
  });
});
