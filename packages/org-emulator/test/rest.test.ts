import { expect } from 'chai';
import { connect, failure, USER_FIELDS as USER } from './clients.js';
import { startEmulator, type Emulator } from '../src/index.js';
import type { Connection } from '@salesforce/core';

describe('emulator REST through @salesforce/core', () => {
  let emu: Emulator;
  let conn: Connection;

  before(async () => {
    emu = await startEmulator({ seed: { name: 'Acme', type: 'scratch', edition: 'Enterprise Edition' } });
    conn = await connect(emu);
  });
  after(async () => emu?.stop());

  it('logs in with an access token: userinfo, User lookup, org fields, max API version', async () => {
    const org = emu.org();
    expect(conn.getUsername()).to.equal('admin@emu.org');
    // an org serves the newest release the schema data knows; core connects at the org's highest version
    expect(conn.getApiVersion()).to.equal('66.0');
    const paths = emu.requests.map((r) => r.path);
    expect(paths).to.include('/services/oauth2/userinfo');
    expect(paths).to.include(`/services/data/v51.0/sobjects/User/${org.adminUserId}`);
    const orgRow = await conn.singleRecordQuery<{
      IsSandbox: boolean;
      TrialExpirationDate: string | null;
      OrganizationType: string;
      Name: string;
    }>('SELECT Name, IsSandbox, TrialExpirationDate, OrganizationType FROM Organization');
    expect(orgRow.Name).to.equal('Acme');
    expect(orgRow.IsSandbox).to.equal(true);
    expect(orgRow.TrialExpirationDate).to.match(/^\d{4}-\d\d-\d\dT.*\+0000$/);
    expect(orgRow.OrganizationType).to.equal('Enterprise Edition');
  });

  it('rejects a bad token with INVALID_SESSION_ID', async () => {
    const bad = `${emu.org().id}!nope`;
    const err = await failure(connect(emu, emu.org(), bad));
    expect(err.message).to.match(/INVALID_SESSION_ID|Session expired|retriev/i);
    const res = await fetch(`${emu.url}/services/data/v62.0/query?q=SELECT+Id+FROM+User`, {
      headers: { Authorization: `Bearer ${bad}` },
    });
    expect(res.status).to.equal(401);
    expect(await res.json()).to.deep.equal([
      { message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' },
    ]);
  });

  it('collapses repeated slashes and answers the version root', async () => {
    const res = await fetch(`${emu.url}//services/data/v51.0/query?q=Select%20Namespaceprefix%20FROM%20Organization`, {
      headers: { Authorization: `Bearer ${emu.org().accessToken}` },
    });
    expect(res.status).to.equal(200);
    const root = await conn.request<Record<string, string>>('/services/data/v62.0');
    expect(root.sobjects).to.equal('/services/data/v62.0/sobjects');
  });

  it('creates, reads, updates users; users cannot be deleted', async () => {
    const profile = await conn.singleRecordQuery<{ Id: string }>(
      "SELECT Id FROM Profile WHERE Name = 'Minimum Access - API Only Integrations'",
    );
    const created = await conn.sobject('User').create({ ...USER, Username: 'int1@emu.org', ProfileId: profile.Id });
    expect(created.success).to.equal(true);
    expect(created.id).to.match(/^005\w{15}$/);
    const rec = await conn.sobject('User').retrieve(created.id!);
    expect(rec).to.include({ Username: 'int1@emu.org', IsActive: true });
    await conn.sobject('User').update({ Id: created.id!, Title: 'Robot' });
    const q = await conn.query<{ Title: string }>(`SELECT Title FROM User WHERE Id = '${created.id!.slice(0, 15)}'`);
    expect(q.records[0].Title).to.equal('Robot');
    const del = await failure(conn.sobject('User').destroy(created.id!));
    expect(del.name).to.equal('INVALID_TYPE_FOR_OPERATION');
  });

  it('pages query results through nextRecordsUrl', async () => {
    emu.org().insertMany(
      'Account',
      Array.from({ length: 25 }, (_, i) => ({ Name: `Acc ${String(i).padStart(2, '0')}` })),
    );
    emu.org().config.queryPageSize = 10;
    try {
      emu.clearRequests();
      const res = await conn.query('SELECT Id, Name FROM Account ORDER BY Name', { autoFetch: true, maxFetch: 100 });
      expect(res.records).to.have.length(25);
      expect(res.totalSize).to.equal(25);
      expect(emu.requests.filter((r) => r.path.includes('/query'))).to.have.length(3);
      const first = await conn.request<{ done: boolean; nextRecordsUrl: string }>(
        '/services/data/v62.0/query?q=SELECT+Name+FROM+Account',
      );
      expect(first.done).to.equal(false);
      expect(first.nextRecordsUrl).to.match(/^\/services\/data\/v62\.0\/query\/01g\w+-10$/);
    } finally {
      emu.org().config.queryPageSize = 2000;
    }
  });

  it('serves sObject collections with statusCode errors and HTTP 200', async () => {
    const profile = await conn.singleRecordQuery<{ Id: string }>("SELECT Id FROM Profile WHERE Name = 'Standard User'");
    const res = await conn.sobject('User').create([
      { ...USER, Username: 'col1@emu.org', ProfileId: profile.Id },
      { ...USER, Username: 'admin@emu.org', ProfileId: profile.Id },
    ]);
    expect(res[0].success).to.equal(true);
    expect(res[1].success).to.equal(false);
    expect((res[1].errors[0] as unknown as { statusCode: string }).statusCode).to.equal('DUPLICATE_USERNAME');
  });

  it('serves the tooling query, column metadata and SourceMember', async () => {
    const t = await conn.tooling.query(
      "SELECT Id, Status FROM SandboxProcess WHERE SandboxOrganization = '00D000000000001'",
    );
    expect(t.totalSize).to.equal(0);
    const cols = await conn.request<{
      columnMetadata: Array<{
        columnName: string;
        joinColumns: Array<{ columnName: string; joinColumns: Array<{ columnName: string }> }>;
        aggregate: boolean;
      }>;
    }>(
      `/services/data/v62.0/query?q=${encodeURIComponent('SELECT Id, Profile.UserLicense.Name, COUNT(Id) c FROM User GROUP BY Id, Profile.UserLicense.Name')}&columns=true`,
    );
    expect(cols.columnMetadata.map((c) => c.columnName)).to.deep.equal(['Id', 'Profile', 'c']);
    expect(cols.columnMetadata[1].joinColumns[0].columnName).to.equal('UserLicense');
    expect(cols.columnMetadata[1].joinColumns[0].joinColumns[0].columnName).to.equal('Name');
    // a scratch org tracks source: SourceMember is described and queryable on the tooling API
    const d = await conn.request<{ name: string }>('/services/data/v62.0/tooling/sobjects/SourceMember/describe');
    expect(d.name).to.equal('SourceMember');
    expect(
      (await conn.tooling.query('SELECT MemberName FROM SourceMember WHERE RevisionCounter > 0')).totalSize,
    ).to.equal(0);
  });

  it('serves the User password resource', async () => {
    const id = emu.org().adminUserId;
    expect(await conn.request(`/services/data/v62.0/sobjects/User/${id}/password`)).to.deep.equal({ isExpired: false });
    const weak = await failure(
      conn.request({
        method: 'POST',
        url: `/services/data/v62.0/sobjects/User/${id}/password`,
        body: JSON.stringify({ NewPassword: 'short' }),
      }),
    );
    expect(weak.name).to.equal('INVALID_NEW_PASSWORD');
    const reset = await conn.request<{ NewPassword: string }>({
      method: 'DELETE',
      url: `/services/data/v62.0/sobjects/User/${id}/password`,
    });
    expect(reset.NewPassword).to.be.a('string').with.length.greaterThan(7);
  });
});
