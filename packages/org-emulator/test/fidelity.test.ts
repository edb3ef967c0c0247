/**
 * Fidelity of the emulator where it used to be convenient rather than faithful: aggregate results are never paged,
 * faults can target one object's queries, objects the running user cannot read, and large seeds.
 * Every behaviour is proven through @salesforce/core Connections over HTTP.
 */
import { expect } from 'chai';
import type { Connection } from '@salesforce/core';
import { connect, failure } from './clients.js';
import { startEmulator, type EmulatedOrg, type Emulator } from '../src/index.js';

const DAY = 86_400_000;
const AGGREGATE_TEXT =
  'Aggregate query does not support queryMore(), use LIMIT to restrict the results to a single batch';
const notSupported = (name: string): string =>
  `sObject type '${name}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.`;

type Page = { totalSize: number; done: boolean; nextRecordsUrl?: string; records: Array<Record<string, unknown>> };

describe('emulator fidelity: aggregate queries are not paged', () => {
  let emu: Emulator;
  let org: EmulatedOrg;
  let conn: Connection;
  const groups = 'SELECT Name, COUNT(Id) n FROM Account GROUP BY Name';
  const get = (soql: string, headers?: Record<string, string>): Promise<Page> =>
    conn.request<Page>({ method: 'GET', url: `/services/data/v62.0/query?q=${encodeURIComponent(soql)}`, headers });

  before(async () => {
    emu = await startEmulator();
    org = emu.org();
    conn = await connect(emu);
    // 2,001 distinct names: one group more than a batch holds
    org.insertMany(
      'Account',
      Array.from({ length: 2001 }, (_, i) => ({ Name: `Acc ${String(i).padStart(4, '0')}`, NumberOfEmployees: i % 7 })),
    );
  });
  afterEach(() => {
    org.config.aggregateOverflow = 'refuse';
    org.config.queryPageSize = 2000;
    emu.faults.clear();
  });
  after(async () => emu?.stop());

  it('refuses a GROUP BY with more groups than one batch with EXCEEDED_ID_LIMIT and Salesforce text', async () => {
    const err = await failure(conn.query(groups));
    expect(err.name).to.equal('EXCEEDED_ID_LIMIT');
    expect(err.message).to.equal(AGGREGATE_TEXT);
    expect(emu.requests.at(-1)).to.include({ status: 400 });
  });

  it('answers up to 2,000 groups in one response, whatever the page size of plain queries', async () => {
    org.config.queryPageSize = 10;
    const page = await get(`${groups} ORDER BY Name LIMIT 2000`);
    expect(page).to.include({ totalSize: 2000, done: true });
    expect(page.nextRecordsUrl).to.equal(undefined);
    expect(page.records).to.have.length(2000);
    expect(page.records[0]).to.deep.equal({ attributes: { type: 'AggregateResult' }, Name: 'Acc 0000', n: 1 });
    // a plain query of the same rows is still paged
    const plain = await get('SELECT Name FROM Account');
    expect(plain).to.include({ totalSize: 2001, done: false });
    expect(plain.records).to.have.length(10);
  });

  it('applies the batchSize a client asks for to aggregates too (200 at least)', async () => {
    const small = { 'Sforce-Query-Options': 'batchSize=500' };
    const seven = await get('SELECT NumberOfEmployees, COUNT(Id) FROM Account GROUP BY NumberOfEmployees', small);
    expect(seven).to.include({ totalSize: 7, done: true });
    expect((await get(`${groups} LIMIT 500`, small)).records).to.have.length(500);
    const err = await failure(get(`${groups} LIMIT 501`, small));
    expect(err.name).to.equal('EXCEEDED_ID_LIMIT');
    const tiny = await get(`${groups} LIMIT 200`, { 'Sforce-Query-Options': 'batchSize=50' });
    expect(tiny).to.include({ totalSize: 200, done: true });
  });

  it("optionally answers the first batch with a nextRecordsUrl that then fails (aggregateOverflow: 'locator')", async () => {
    org.config.aggregateOverflow = 'locator';
    const first = await get(groups);
    expect(first).to.include({ totalSize: 2001, done: false });
    expect(first.records).to.have.length(2000);
    expect(first.nextRecordsUrl).to.match(/^\/services\/data\/v62\.0\/query\/01g\w+-2000$/);
    const more = await failure(conn.request(first.nextRecordsUrl!));
    expect(more.name).to.equal('EXCEEDED_ID_LIMIT');
    expect(more.message).to.equal(AGGREGATE_TEXT);
    // jsforce follows the locator itself and surfaces the same error
    const auto = await failure(conn.query(groups, { autoFetch: true, maxFetch: 5000 }));
    expect(auto.name).to.equal('EXCEEDED_ID_LIMIT');
  });

  it('keeps at most 10 query cursors per user: an eleventh releases the oldest', async () => {
    org.config.queryPageSize = 100;
    const firsts: Page[] = [];
    for (let i = 0; i < 11; i++) firsts.push(await get(`SELECT Id FROM Account WHERE NumberOfEmployees != ${i}`));
    const released = await failure(conn.request(firsts[0].nextRecordsUrl!));
    expect(released.name).to.equal('INVALID_QUERY_LOCATOR');
    for (const f of firsts.slice(1)) expect((await conn.request<Page>(f.nextRecordsUrl!)).records).to.have.length(100);
  });

  it('still counts COUNT() over any number of rows without paging', async () => {
    const res = await conn.query('SELECT COUNT() FROM Account');
    expect(res).to.include({ totalSize: 2001, done: true });
    expect(res.records).to.deep.equal([]);
  });
});

describe('emulator fidelity: faults by SOQL or sObject', () => {
  let emu: Emulator;
  let conn: Connection;

  before(async () => {
    const now = Date.now();
    emu = await startEmulator({
      seed: {
        users: [{ username: 'api@fid.emu', lastName: 'Api' }],
        loginHistory: Array.from({ length: 12 }, (_, i) => ({
          username: 'api@fid.emu',
          loginTime: new Date(now - i * DAY).toISOString(),
          application: 'Mule',
        })),
        oauthTokens: [{ username: 'api@fid.emu', appName: 'Mule', useCount: 3 }],
      },
    });
    conn = await connect(emu);
  });
  afterEach(() => {
    emu.faults.clear();
    emu.org().config.queryPageSize = 2000;
  });
  after(async () => emu?.stop());

  it('fails only the queries whose SOQL matches', async () => {
    const fault = emu.faults.add({
      soql: /FROM\s+LoginHistory/i,
      times: Infinity,
      respond: { error: 'INSUFFICIENT_ACCESS', message: 'no access', status: 403 },
    });
    expect((await conn.query('SELECT Id FROM User')).totalSize).to.be.greaterThan(0);
    expect((await conn.query('SELECT Id FROM OauthToken')).totalSize).to.equal(1);
    const err = await failure(conn.query('select UserId, COUNT(Id) from LoginHistory GROUP BY UserId'));
    expect(err.name).to.equal('INSUFFICIENT_ACCESS');
    expect(fault.seen).to.equal(1);
    expect(fault.fired).to.equal(1);
    // substrings match case-insensitively
    emu.faults.clear();
    emu.faults.add({
      soql: 'from oauthtoken',
      respond: { error: 'REQUEST_LIMIT_EXCEEDED', message: 'TotalRequests Limit exceeded.' },
    });
    expect((await failure(conn.query('SELECT AppName FROM OauthToken'))).name).to.equal('REQUEST_LIMIT_EXCEEDED');
  });

  it('matches the FROM object by sObject name, not objects named in subqueries or literals', async () => {
    const fault = emu.faults.add({
      sobject: 'loginhistory',
      times: Infinity,
      respond: { error: 'INVALID_TYPE', message: notSupported('LoginHistory') },
    });
    const userId = emu.org().user('api@fid.emu')!.Id;
    const users = await conn.query(
      `SELECT Id FROM User WHERE Id IN (SELECT UserId FROM LoginHistory) AND LastName != 'FROM LoginHistory'`,
    );
    expect(users.records.map((r) => r.Id)).to.deep.equal([userId]);
    expect(fault.seen).to.equal(0);
    const err = await failure(conn.query(`SELECT Id FROM LoginHistory WHERE UserId = '${userId}'`));
    expect(err.name).to.equal('INVALID_TYPE');
    // the REST sObject resources of that object match too
    const describe = await failure(conn.sobject('LoginHistory').describe());
    expect(describe.name).to.equal('INVALID_TYPE');
    expect(fault.fired).to.equal(2);
    expect((await conn.sobject('User').describe()).name).to.equal('User');
  });

  it('fails the Nth page of a query: a nextRecordsUrl carries its SOQL', async () => {
    emu.org().config.queryPageSize = 5;
    const fault = emu.faults.add({
      sobject: 'LoginHistory',
      nth: 2,
      respond: { status: 503, body: 'Service Unavailable', headers: { 'content-type': 'text/html' } },
    });
    emu.clearRequests();
    const res = await conn.query('SELECT Id, LoginTime FROM LoginHistory ORDER BY LoginTime DESC', {
      autoFetch: true,
      maxFetch: 100,
    });
    expect(res.records).to.have.length(12);
    expect(fault.fired).to.equal(1);
    const log = emu.requests.filter((r) => r.sobjects?.includes('LoginHistory'));
    // page 1, page 2 failed with 503 and retried by jsforce, page 3
    expect(log.map((r) => r.status)).to.deep.equal([200, 503, 200, 200]);
    expect(log[1].path).to.match(/\/query\/01g\w+-5$/);
    expect(log[1].soql).to.equal('SELECT Id, LoginTime FROM LoginHistory ORDER BY LoginTime DESC');
  });

  it('matches the record types of an sObject collection', async () => {
    emu.faults.add({
      sobject: 'Account',
      respond: { error: 'UNABLE_TO_LOCK_ROW', message: 'unable to obtain exclusive access to this record' },
    });
    const err = await failure(conn.sobject('Account').create([{ Name: 'A' }, { Name: 'B' }]));
    expect(err.name).to.equal('UNABLE_TO_LOCK_ROW');
    const ok = await conn.sobject('Account').create([{ Name: 'A' }, { Name: 'B' }]);
    expect(ok.every((r) => r.success)).to.equal(true);
  });
});

describe('emulator fidelity: objects the running user cannot read', () => {
  let emu: Emulator;
  let org: EmulatedOrg;
  let conn: Connection;

  before(async () => {
    emu = await startEmulator({
      seed: {
        unreadableObjects: ['LoginHistory'],
        users: [{ username: 'api@hidden.emu', lastName: 'Api' }],
        loginHistory: [{ username: 'api@hidden.emu', loginTime: new Date().toISOString() }],
        oauthTokens: [{ username: 'api@hidden.emu', appName: 'Mule' }],
      },
    });
    org = emu.org();
    conn = await connect(emu);
  });
  afterEach(() => {
    org.config.unreadableObjects = ['LoginHistory'];
  });
  after(async () => emu?.stop());

  it('answers a query of an unreadable object with INVALID_TYPE, as for an unknown object', async () => {
    const soql = 'SELECT UserId, COUNT(Id) FROM LoginHistory GROUP BY UserId';
    const err = await failure(conn.query(soql));
    expect(err.name).to.equal('INVALID_TYPE');
    expect(err.message).to.equal(
      `\n${soql}\n${' '.repeat(soql.indexOf('LoginHistory'))}^\nERROR at Row:1:Column:${soql.indexOf('LoginHistory') + 1}\n${notSupported('LoginHistory')}`,
    );
    // the same answer for a semi-join into it, and for the column metadata sf data query asks for
    const semi = await failure(conn.query('SELECT Id FROM User WHERE Id IN (SELECT UserId FROM LoginHistory)'));
    expect(semi.name).to.equal('INVALID_TYPE');
    const cols = await failure(
      conn.request(`/services/data/v62.0/query?q=${encodeURIComponent('SELECT Id FROM LoginHistory')}&columns=true`),
    );
    expect(cols.name).to.equal('INVALID_TYPE');
    // other objects answer as usual
    expect((await conn.query('SELECT AppName FROM OauthToken')).totalSize).to.equal(1);
  });

  it('leaves the object out of describeGlobal and answers its describe with NOT_FOUND', async () => {
    const global = await conn.describeGlobal();
    const names = global.sobjects.map((o) => o.name);
    expect(names).to.include('OauthToken');
    expect(names).to.not.include('LoginHistory');
    const err = await failure(conn.request('/services/data/v62.0/sobjects/LoginHistory/describe'));
    expect(err.name).to.equal('NOT_FOUND');
  });

  it('is a mutable per-org setting; in-process access still sees the rows', async () => {
    org.config.unreadableObjects = ['OauthToken'];
    expect((await conn.query('SELECT Id FROM LoginHistory')).totalSize).to.equal(1);
    const err = await failure(conn.query('SELECT AppName, UserId FROM OauthToken'));
    expect(err.name).to.equal('INVALID_TYPE');
    expect(err.message).to.contain(notSupported('OauthToken'));
    expect(org.query('SELECT AppName FROM OauthToken')).to.have.length(1);
    // another org of the same server is not affected
    const other = emu.addOrg({ admin: { username: 'admin@other-hidden.emu' } });
    const otherConn = await connect(emu, other);
    expect((await otherConn.query('SELECT Id FROM OauthToken')).totalSize).to.equal(0);
  });
});

describe('emulator fidelity: large seeds', () => {
  let emu: Emulator;
  let org: EmulatedOrg;
  let conn: Connection;

  before(async () => {
    emu = await startEmulator({
      seed: {
        users: [
          { username: 'a@big.emu', lastName: 'A' },
          { username: 'b@big.emu', lastName: 'B' },
        ],
      },
    });
    org = emu.org();
    conn = await connect(emu);
  });
  after(async () => emu?.stop());

  it('stores bulk rows exactly as single inserts do', () => {
    const user = org.user('a@big.emu')!.Id;
    const values = {
      UserId: user.slice(0, 15),
      LoginTime: '2024-03-01T10:00:00.000+0000',
      LoginType: 'Remote Access 2.0',
      Status: 'Success',
    };
    const one = org.state.insert('LoginHistory', values);
    const [bulk] = org.state.insertMany('LoginHistory', [values]);
    const strip = (r: Record<string, unknown>): Record<string, unknown> =>
      Object.fromEntries(Object.entries(r).filter(([k]) => k !== 'Id'));
    expect(strip(bulk)).to.deep.equal(strip(one));
    expect(bulk.UserId).to.equal(user);
    expect(bulk.LoginTime).to.equal(Date.UTC(2024, 2, 1, 10));
    expect(Object.keys(bulk)).to.deep.equal(Object.keys(one));
    const zulu = org.state.insertMany('LoginHistory', [
      { ...values, LoginTime: '2024-03-01T10:00:00Z' },
      { ...values, LoginTime: Date.UTC(2024, 2, 1, 10) },
    ]);
    expect(zulu.map((r) => r.LoginTime)).to.deep.equal([Date.UTC(2024, 2, 1, 10), Date.UTC(2024, 2, 1, 10)]);
    expect(() => org.state.insertMany('LoginHistory', [{ Nope: 1 }])).to.throw('unknown field LoginHistory.Nope');
  });

  it('registers the usernames of bulk-inserted users (usernames stay unique)', async () => {
    const profileId = org.profile('Standard User')!.Id;
    const licenseUser = {
      LastName: 'Bulk',
      Alias: 'bulk',
      Email: 'bulk@big.emu',
      ProfileId: profileId,
      TimeZoneSidKey: 'America/Los_Angeles',
      LocaleSidKey: 'en_US',
      EmailEncodingKey: 'UTF-8',
      LanguageLocaleKey: 'en_US',
      IsActive: false,
    };
    org.insertMany('User', [{ ...licenseUser, Username: 'bulk@big.emu' }]);
    const err = await failure(conn.sobject('User').create({ ...licenseUser, Username: 'BULK@big.emu' }));
    expect(err.name).to.equal('DUPLICATE_USERNAME');
  });

  it('pages a 200,000-row query from row references, formatting only the pages asked for', async function () {
    this.timeout(30_000);
    const users = [org.user('a@big.emu')!.Id, org.user('b@big.emu')!.Id];
    const now = Date.now();
    const rows = Array.from({ length: 200_000 }, (_, i) => ({
      UserId: users[i % 2],
      LoginTime: now - (i % 100) * DAY,
      LoginType: 'Remote Access 2.0',
      Application: `App${i % 3}`,
    }));
    let t0 = performance.now();
    org.insertMany('LoginHistory', rows);
    const insertMs = performance.now() - t0;
    t0 = performance.now();
    const first = await conn.request<Page>(
      `/services/data/v62.0/query?q=${encodeURIComponent('SELECT Id, UserId, LoginTime FROM LoginHistory WHERE LoginTime = LAST_N_DAYS:30')}`,
    );
    const queryMs = performance.now() - t0;
    expect(first.done).to.equal(false);
    expect(first.records).to.have.length(2000);
    expect(first.totalSize).to.be.within(60_000, 64_000);
    const second = await conn.request<Page>(first.nextRecordsUrl!);
    expect(second.records).to.have.length(2000);
    expect(second.nextRecordsUrl).to.match(/-4000$/);
    expect(new Set([...first.records, ...second.records].map((r) => r.Id)).size).to.equal(4000);
    t0 = performance.now();
    const agg = await conn.query<{ UserId: string; cnt: number }>(
      'SELECT UserId, Application, COUNT(Id) cnt FROM LoginHistory GROUP BY UserId, Application',
    );
    const aggMs = performance.now() - t0;
    expect(agg.records.reduce((s, r) => s + r.cnt, 0)).to.be.at.least(200_000);
    if (process.env.EMU_TIMINGS)
      console.log(
        `insertMany 200k: ${insertMs.toFixed(0)} ms; first page: ${queryMs.toFixed(0)} ms; GROUP BY over HTTP: ${aggMs.toFixed(0)} ms`,
      );
    // generous bounds: the point is that neither step is proportional to formatting every row
    expect(insertMs).to.be.lessThan(5000);
    expect(queryMs).to.be.lessThan(3000);
  });
});
