import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import type { Connection } from '@salesforce/core';
import { connect, deploySource, failure } from './clients.js';
import { startEmulator, type Emulator } from '../src/index.js';

const NS = 'http://soap.sforce.com/2006/04/metadata';

function psXml(body: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<PermissionSet xmlns="${NS}">\n${body}\n</PermissionSet>\n`;
}

const GOOD = psXml(`
    <fieldPermissions><editable>false</editable><field>Account.Industry</field><readable>true</readable></fieldPermissions>
    <hasActivationRequired>false</hasActivationRequired>
    <label>Emu PS</label>
    <license>SalesforceAPIIntegrationPsl</license>
    <objectPermissions><allowCreate>true</allowCreate><allowDelete>false</allowDelete><allowEdit>false</allowEdit><allowRead>true</allowRead><modifyAllRecords>false</modifyAllRecords><object>Account</object><viewAllRecords>false</viewAllRecords></objectPermissions>
    <objectPermissions><allowCreate>false</allowCreate><allowDelete>false</allowDelete><allowEdit>false</allowEdit><allowRead>true</allowRead><modifyAllRecords>false</modifyAllRecords><object>Contact</object><viewAllRecords>false</viewAllRecords></objectPermissions>
    <userPermissions><enabled>true</enabled><name>ApiEnabled</name></userPermissions>
    <userPermissions><enabled>true</enabled><name>ViewSetup</name></userPermissions>`);

type Resp = { fullName: string; type: string; state: string; error?: string };

describe('emulator Metadata API through source-deploy-retrieve and jsforce', () => {
  let emu: Emulator;
  let conn: Connection;
  let dir: string;
  let sdr: typeof import('@salesforce/source-deploy-retrieve');

  before(async () => {
    emu = await startEmulator({
      seed: { users: [{ username: 'api@emu.org', profile: 'Minimum Access - API Only Integrations' }] },
    });
    conn = await connect(emu);
    sdr = await import('@salesforce/source-deploy-retrieve');
    dir = mkdtempSync(join(tmpdir(), 'emu-md-'));
  });
  after(async () => {
    await emu?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Deploys one permission set file (source format) and returns SDR's file responses. */
  const deployPs = (
    name: string,
    xml: string,
    apiOptions: Record<string, unknown> = {},
  ): ReturnType<typeof deploySource> =>
    deploySource(conn, dir, { [`permissionsets/${name}.permissionset-meta.xml`]: xml }, apiOptions);

  it('deploys a permission set that becomes PermissionSet, ObjectPermissions, FieldPermissions records', async () => {
    const { responses, status } = await deployPs('Emu_PS', GOOD);
    expect(status).to.equal('Succeeded');
    expect(responses).to.have.length(1);
    expect(responses[0]).to.include({ fullName: 'Emu_PS', type: 'PermissionSet', state: 'Created' });
    const ps = emu
      .org()
      .query(
        "SELECT Id, Name, Label, License.DeveloperName, IsOwnedByProfile, PermissionsApiEnabled, PermissionsViewSetup, PermissionsModifyAllData FROM PermissionSet WHERE Name = 'Emu_PS'",
      );
    expect(ps).to.have.length(1);
    expect(ps[0]).to.include({
      Label: 'Emu PS',
      IsOwnedByProfile: false,
      PermissionsApiEnabled: true,
      PermissionsViewSetup: true,
      PermissionsModifyAllData: false,
    });
    expect((ps[0].License as { DeveloperName: string }).DeveloperName).to.equal('SalesforceAPIIntegrationPsl');
    const ops = emu
      .org()
      .query(
        "SELECT SobjectType, PermissionsCreate, PermissionsRead FROM ObjectPermissions WHERE Parent.Name = 'Emu_PS' ORDER BY SobjectType",
      );
    expect(ops.map((o) => [o.SobjectType, o.PermissionsCreate, o.PermissionsRead])).to.deep.equal([
      ['Account', true, true],
      ['Contact', false, true],
    ]);
    const fps = emu
      .org()
      .query("SELECT Field, PermissionsRead, PermissionsEdit FROM FieldPermissions WHERE Parent.Name = 'Emu_PS'");
    expect(fps).to.have.length(1);
    expect(fps[0]).to.include({ Field: 'Account.Industry', PermissionsRead: true, PermissionsEdit: false });
  });

  it('replaces a deployed permission set whole', async () => {
    const smaller = psXml(
      '<label>Emu PS 2</label><userPermissions><enabled>true</enabled><name>ApiEnabled</name></userPermissions>',
    );
    const { responses } = await deployPs('Emu_PS', smaller);
    expect(responses[0].state).to.equal('Changed');
    const ps = emu
      .org()
      .query("SELECT Label, LicenseId, PermissionsViewSetup FROM PermissionSet WHERE Name = 'Emu_PS'")[0];
    expect(ps).to.include({ Label: 'Emu PS 2', LicenseId: null, PermissionsViewSetup: false });
    expect(emu.org().count("SELECT COUNT() FROM ObjectPermissions WHERE Parent.Name = 'Emu_PS'")).to.equal(0);
    expect(emu.org().count("SELECT COUNT() FROM FieldPermissions WHERE Parent.Name = 'Emu_PS'")).to.equal(0);
    await deployPs('Emu_PS', GOOD);
  });

  it('changes nothing on a checkOnly deploy', async () => {
    const { status } = await deployPs('Check_Only', GOOD.replace('Emu PS', 'Check'), { checkOnly: true });
    expect(status).to.equal('Succeeded');
    expect(emu.org().permissionSet('Check_Only')).to.equal(undefined);
  });

  const failures: Array<[string, string, string]> = [
    [
      'unknown user permission',
      GOOD.replace('<name>ViewSetup</name>', '<name>ApiOnlyUser</name>'),
      'Unknown user permission: ApiOnlyUser',
    ],
    [
      'unknown field',
      GOOD.replace('Account.Industry', 'Account.Nope__c'),
      'In field: field - no CustomField named Account.Nope__c found',
    ],
    [
      'unknown object',
      GOOD.replace('<object>Contact</object>', '<object>Nope__c</object>'),
      'In field: object - no CustomObject named Nope__c found',
    ],
    [
      'object permission dependency',
      GOOD.replace(
        '<allowCreate>true</allowCreate><allowDelete>false</allowDelete><allowEdit>false</allowEdit><allowRead>true</allowRead>',
        '<allowCreate>true</allowCreate><allowDelete>false</allowDelete><allowEdit>false</allowEdit><allowRead>false</allowRead>',
      ),
      'Permission Create Account depends on permission(s): Read Account',
    ],
    [
      'element out of schema order',
      psXml('<userPermissions><enabled>true</enabled><name>ApiEnabled</name></userPermissions><label>X</label>'),
      `Error parsing file: Element {${NS}}label invalid at this location in type PermissionSet`,
    ],
    [
      'field out of order inside an entry',
      psXml('<label>X</label><userPermissions><name>ApiEnabled</name><enabled>true</enabled></userPermissions>'),
      `Error parsing file: Element {${NS}}enabled invalid at this location in type PermissionSetUserPermission`,
    ],
    ['unknown license', GOOD.replace('SalesforceAPIIntegrationPsl', 'NoSuchPsl'), 'Unknown license: NoSuchPsl'],
  ];
  for (const [what, xml, problem] of failures) {
    it(`fails the component for ${what}, changing nothing`, async () => {
      const before = emu.org().query("SELECT Label, PermissionsViewSetup FROM PermissionSet WHERE Name = 'Emu_PS'");
      const { responses, status } = await deployPs('Emu_PS', xml);
      expect(status).to.equal('Failed');
      expect(responses[0]).to.include({ fullName: 'Emu_PS', type: 'PermissionSet', state: 'Failed', error: problem });
      expect(
        emu.org().query("SELECT Label, PermissionsViewSetup FROM PermissionSet WHERE Name = 'Emu_PS'"),
      ).to.deep.equal(before);
    });
  }

  it('takes the configured number of polls before a deploy completes', async () => {
    emu.org().config.deployPolls = 3;
    try {
      emu.clearRequests();
      const { status } = await deployPs('Slow_PS', GOOD.replace('Emu PS', 'Slow'));
      expect(status).to.equal('Succeeded');
      expect(emu.requests.filter((r) => r.soapOperation === 'checkDeployStatus')).to.have.length(4);
    } finally {
      emu.org().config.deployPolls = 0;
    }
  });

  it('cancels a deploy in progress', async () => {
    emu.org().config.deployPolls = 50;
    try {
      const root = join(dir, 'cancel', 'permissionsets');
      mkdirSync(root, { recursive: true });
      writeFileSync(join(root, 'Cancel_PS.permissionset-meta.xml'), GOOD);
      const deploy = await sdr.ComponentSet.fromSource(root).deploy({ usernameOrConnection: conn });
      await deploy.cancel();
      const result = await deploy.pollStatus(10, 30);
      expect(result.response.status).to.equal('Canceled');
      expect(emu.org().permissionSet('Cancel_PS')).to.equal(undefined);
      expect(emu.requests.some((r) => r.soapOperation === 'cancelDeploy')).to.equal(true);
    } finally {
      emu.org().config.deployPolls = 0;
    }
  });

  it('quick-deploys a validation with deployRecentValidation', async () => {
    const { id } = await deployPs('Quick_PS', GOOD.replace('Emu PS', 'Quick'), { checkOnly: true });
    expect(emu.org().permissionSet('Quick_PS')).to.equal(undefined);
    const quick = new sdr.MetadataApiDeploy({ id, usernameOrConnection: conn });
    const newId = await quick.deployRecentValidation(false);
    expect(newId).to.match(/^0Af/);
    const status = await conn.metadata.checkDeployStatus(newId, true);
    expect(status.status).to.equal('Succeeded');
    expect(emu.org().permissionSet('Quick_PS')).to.not.equal(undefined);
  });

  it('deploys through the REST deployRequest resource', async () => {
    emu.clearRequests();
    const { status } = await deployPs('Rest_PS', GOOD.replace('Emu PS', 'Rest'), { rest: true });
    expect(status).to.equal('Succeeded');
    expect(
      emu.requests.some((r) => r.method === 'POST' && r.path === '/services/data/v66.0/metadata/deployRequest'),
    ).to.equal(true);
    expect(emu.org().permissionSet('Rest_PS')).to.not.equal(undefined);
  });

  it('retrieves the permission set the org holds, in schema order', async () => {
    const out = join(dir, 'retrieved');
    mkdirSync(out, { recursive: true });
    const cs = new sdr.ComponentSet([
      { fullName: 'Emu_PS', type: 'PermissionSet' },
      { fullName: 'Admin', type: 'Profile' },
    ]);
    const retrieve = await cs.retrieve({ usernameOrConnection: conn, output: out, merge: false });
    const result = await retrieve.pollStatus(10, 30);
    const files = result.getFileResponses() as Array<Resp & { filePath: string }>;
    const ps = files.find((f) => f.type === 'PermissionSet')!;
    expect(ps.state).to.not.equal('Failed');
    const xml = readFileSync(ps.filePath, 'utf8');
    expect(xml).to.include('<license>SalesforceAPIIntegrationPsl</license>');
    expect(xml.indexOf('<fieldPermissions>')).to.be.lessThan(xml.indexOf('<label>'));
    expect(xml.indexOf('<objectPermissions>')).to.be.lessThan(xml.indexOf('<userPermissions>'));
    const profile = files.find((f) => f.type === 'Profile')!;
    expect(readFileSync(profile.filePath, 'utf8')).to.include('<userLicense>Salesforce</userLicense>');
  });

  it('lists and reads metadata with jsforce', async () => {
    const list = await conn.metadata.list({ type: 'PermissionSet' });
    expect(list.map((l) => l.fullName)).to.include('Emu_PS');
    expect(list.find((l) => l.fullName === 'Emu_PS')!.id).to.match(/^0PS/);
    const ps = (await conn.metadata.read('PermissionSet', 'Emu_PS')) as unknown as {
      fullName: string;
      label: string;
      userPermissions: Array<{ name: string }>;
    };
    expect(ps.fullName).to.equal('Emu_PS');
    expect(ps.userPermissions.map((u) => u.name)).to.deep.equal(['ApiEnabled', 'ViewSetup']);
    const missing = (await conn.metadata.read('PermissionSet', 'Nope')) as unknown as { fullName?: string };
    expect(missing.fullName).to.equal(undefined);
    const profiles = await conn.metadata.list({ type: 'Profile' });
    expect(profiles.map((p) => p.fullName)).to.include.members(['Admin', 'Minimum Access - API Only Integrations']);
  });

  it('answers 404 for the SourceMember describe of a production org', async () => {
    const err = await failure(conn.request('/services/data/v62.0/tooling/sobjects/SourceMember/describe'));
    expect(err.name).to.equal('NOT_FOUND');
  });

  it('answers an unknown session with a SOAP INVALID_SESSION_ID fault', async () => {
    const bad = await connect(emu);
    bad.accessToken = `${emu.org().id}!bad`;
    const err = await failure(bad.metadata.list({ type: 'PermissionSet' }));
    expect(err.name).to.equal('sf:INVALID_SESSION_ID');
  });
});
