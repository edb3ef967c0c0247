/**
 * The emulator's sObjects come from Salesforce's schema data (../shared/reference/salesforce/sobjects.json plus
 * data/sobjects-supplement.json), per API version: describe, query and DML refuse what the version lacks, with
 * Salesforce's codes and texts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import type { Connection } from '@salesforce/core';
import { startEmulator, type Emulator } from '../src/index.js';
import { referenceDir, referenceSObjects } from '../src/reference-data.js';
import { connect, failure } from './clients.js';

type Describe = {
  name: string;
  fields: Array<{ name: string }>;
  childRelationships: Array<{ relationshipName: string }>;
};
type QueryResult = { totalSize: number; records: Array<Record<string, unknown>> };

describe("emulator schema from Salesforce's schema data, per API version", function () {
  this.timeout(30_000);
  let emu: Emulator;
  let conn: Connection;
  const data = JSON.parse(readFileSync(join(referenceDir(), 'sobjects.json'), 'utf8')) as {
    sObjects: Record<string, { fields: Record<string, unknown> }>;
  };

  before(async () => {
    emu = await startEmulator({ seed: { type: 'production' } });
    conn = await connect(emu);
  });
  after(async () => emu?.stop());

  const get = <T>(path: string): Promise<T> => conn.request<T>(path);
  const soql = (version: string, q: string): Promise<QueryResult> =>
    get<QueryResult>(`/services/data/v${version}/query?q=${encodeURIComponent(q)}`);

  it('serves every object of the data, with every field, at the newest version (default max 66.0)', async () => {
    expect(emu.org().config.maxApiVersion).to.equal('66.0');
    const global = await get<{ sobjects: Array<{ name: string }> }>('/services/data/v66.0/sobjects');
    const names = global.sobjects.map((o) => o.name);
    expect(names).to.include.members(Object.keys(data.sObjects));
    const cm = await get<Describe>('/services/data/v66.0/sobjects/CampaignMember/describe');
    const expected = Object.keys(data.sObjects.CampaignMember.fields);
    expect(cm.fields.map((f) => f.name)).to.have.members(expected);
    // the supplement's tooling objects are not on the data API
    expect(names).to.not.include('SourceMember');
    expect(Object.keys(referenceSObjects())).to.include('SourceMember');
  });

  it('describe shows a field from its first version on: PermissionsViewAllFields at 63.0, not at 62.0', async () => {
    const at = async (v: string): Promise<string[]> =>
      (await get<Describe>(`/services/data/v${v}/sobjects/ObjectPermissions/describe`)).fields.map((f) => f.name);
    expect(await at('62.0')).to.not.include('PermissionsViewAllFields');
    expect(await at('63.0')).to.include('PermissionsViewAllFields');
    // a field first seen at 67.0 is absent at 66.0
    expect(
      (await get<Describe>('/services/data/v66.0/sobjects/Account/describe')).fields.map((f) => f.name),
    ).to.not.include('PersonPronouns');
  });

  it("SOQL refuses a later version's field wherever it is named: SELECT, WHERE, ORDER BY, GROUP BY", async () => {
    const text =
      "No such column 'PermissionsViewAllFields' on entity 'ObjectPermissions'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.";
    for (const q of [
      'SELECT PermissionsViewAllFields FROM ObjectPermissions',
      'SELECT Id FROM ObjectPermissions WHERE PermissionsViewAllFields = true',
      'SELECT Id FROM ObjectPermissions ORDER BY PermissionsViewAllFields',
      'SELECT PermissionsViewAllFields, COUNT(Id) FROM ObjectPermissions GROUP BY PermissionsViewAllFields',
      'SELECT Id, (SELECT PermissionsViewAllFields FROM ObjectPerms) FROM PermissionSet',
      'SELECT Parent.Name FROM ObjectPermissions WHERE Parent.Name != null AND PermissionsViewAllFields = false',
    ]) {
      const e = await failure(soql('62.0', q));
      expect(e.errorCode, q).to.equal('INVALID_FIELD');
      expect(e.message, q).to.contain(text);
      expect((await soql('63.0', q)).totalSize, q).to.be.a('number');
    }
  });

  it("gives Salesforce's row/column text, and relationship paths resolve through the data's relationships", async () => {
    const e = await failure(soql('66.0', 'SELECT NamespacePrefix FROM MutingPermissionSet'));
    expect(e.errorCode).to.equal('INVALID_FIELD');
    expect(e.message).to.equal(
      "\nSELECT NamespacePrefix FROM MutingPermissionSet\n       ^\nERROR at Row:1:Column:8\nNo such column 'NamespacePrefix' on entity 'MutingPermissionSet'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.",
    );
    const ok = await soql(
      '66.0',
      'SELECT Assignee.Profile.Name, PermissionSet.License.Name FROM PermissionSetAssignment',
    );
    expect(ok.totalSize).to.be.greaterThan(0);
    const rel = await failure(soql('66.0', 'SELECT Assignee.Nope.Name FROM PermissionSetAssignment'));
    expect(rel.errorCode).to.equal('INVALID_FIELD');
    expect(rel.message).to.contain("Didn't understand relationship 'Nope' in field path.");
    const child = await failure(soql('66.0', 'SELECT Id, (SELECT Id FROM Nopes) FROM PermissionSet'));
    expect(child.message).to.contain("Didn't understand relationship 'Nopes' in FROM part of query call.");
  });

  it('an object newer than the request version is unknown: INVALID_TYPE in SOQL, 404 on its resources', async () => {
    expect((await soql('61.0', 'SELECT Id FROM AccountContactRelation')).totalSize).to.equal(0);
    const e = await failure(soql('60.0', 'SELECT Id FROM AccountContactRelation'));
    expect(e.errorCode).to.equal('INVALID_TYPE');
    expect(e.message).to.contain(
      "sObject type 'AccountContactRelation' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name.",
    );
    const nf = await failure(get('/services/data/v60.0/sobjects/AccountContactRelation/describe'));
    expect(nf.errorCode).to.equal('NOT_FOUND');
  });

  it('DML refuses an unknown or later field with INVALID_FIELD, and read-only setup objects', async () => {
    const bad = await failure(
      conn.request({
        method: 'POST',
        url: '/services/data/v66.0/sobjects/Account',
        body: JSON.stringify({ Name: 'A', Foo: 1 }),
        headers: { 'content-type': 'application/json' },
      }),
    );
    expect(bad.errorCode).to.equal('INVALID_FIELD');
    expect(bad.message).to.equal("No such column 'Foo' on sobject of type Account");
    const later = await failure(
      conn.request({
        method: 'POST',
        url: '/services/data/v66.0/sobjects/Account',
        body: JSON.stringify({ Name: 'A', PersonPronouns: 'x' }),
        headers: { 'content-type': 'application/json' },
      }),
    );
    expect(later.message).to.equal("No such column 'PersonPronouns' on sobject of type Account");
    const missing = await failure(conn.sobject('CampaignMember').create({ Status: 'Sent' }));
    expect(missing.errorCode).to.equal('REQUIRED_FIELD_MISSING');
    const campaign = await conn.sobject('Campaign').create({ Name: 'Spring' });
    const lead = await conn.sobject('Lead').create({ LastName: 'Lee', Company: 'Acme' });
    const created = await conn.request<{ id: string }>({
      method: 'POST',
      url: '/services/data/v66.0/sobjects/CampaignMember',
      body: JSON.stringify({ CampaignId: campaign.id, LeadId: lead.id, Status: 'Sent' }),
      headers: { 'content-type': 'application/json' },
    });
    expect(created.id.slice(0, 3)).to.equal('00v');
    const task = await conn.sobject('Task').create({ Subject: 'Call', Status: 'Not Started' });
    expect(task.success).to.equal(true);
    const ro = await failure(conn.sobject('UserLicense').create({ Name: 'X' }));
    expect(ro.errorCode).to.equal('INVALID_TYPE_FOR_OPERATION');
  });
});
