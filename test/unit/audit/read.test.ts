import { expect } from 'chai';
import type { Connection } from '@salesforce/core';
import { OrgReader, USERS_PER_LOGIN_QUERY, aggregateLoginQuery, readLogins } from '../../../src/audit/read.js';
import type { AuditUser } from '../../../src/audit/types.js';
import { FakeOrg, ago, type FakeLogin } from '../fake-org.js';

const NOW = new Date();
const id = (n: number): string => `005${String(n).padStart(12, '0')}AAA`;
const users = (n: number): AuditUser[] =>
  Array.from({ length: n }, (_, i) => ({ id: id(i + 1), username: `u${i}@x.com`, name: `u${i}`, isActive: true }));

/** A Connection whose query and queryMore go to the fake org. */
function conn(fake: FakeOrg): Connection {
  return {
    query: (soql: string) => fake.handler(`/services/data/v62.0/query?q=${encodeURIComponent(soql)}`),
    queryMore: (url: string) => fake.handler(url),
  } as unknown as Connection;
}
const appsFor = (userId: string, apps: number): FakeLogin[] =>
  Array.from({ length: apps }, (_, i) => ({
    UserId: userId,
    LoginType: 'Remote Access 2.0',
    Application: `App ${i}`,
    LoginTime: ago(NOW, 1),
  }));

describe('audit read: LoginHistory', () => {
  it('asks for the whole org in one query when its groups fit in one answer', async () => {
    const logins = [...appsFor(id(1), 3), ...appsFor(id(300), 2), ...appsFor(id(999), 1)];
    const fake = new FakeOrg({ users: [], logins, now: NOW });
    const { logins: out, stats } = await readLogins(new OrgReader(conn(fake)), users(450), {
      days: 30,
      maxLoginRows: 10,
    });
    expect(stats).to.deep.include({ mode: 'aggregate', queries: 1, rowsRead: 6, truncated: false });
    expect(fake.soql[0]).to.equal(
      'SELECT UserId, LoginType, Application, COUNT(Id) cnt, MAX(LoginTime) lastLogin FROM LoginHistory WHERE LoginTime = LAST_N_DAYS:30 GROUP BY UserId, LoginType, Application LIMIT 2000',
    );
    // user 999 is not one of the 450 users read: left out
    expect(out.map((r) => r.userId).sort()).to.deep.equal([id(1), id(1), id(1), id(300), id(300)]);
  });

  it('asks for 200 users a query when the whole org has too many groups', async () => {
    const logins = appsFor(id(999), 2000);
    const fake = new FakeOrg({ users: [], logins, now: NOW });
    const { stats } = await readLogins(new OrgReader(conn(fake)), users(450), { days: 30, maxLoginRows: 10 });
    expect(stats).to.deep.include({ mode: 'aggregate', queries: 4, rowsRead: 0, truncated: false });
    expect(fake.soql).to.have.length(4);
    expect(USERS_PER_LOGIN_QUERY).to.equal(200);
    expect(
      fake.soql
        .slice(1)
        .map((q) => (q.match(/'005/g) ?? []).length)
        .sort(),
    ).to.deep.equal([200, 200, 50]);
    expect(fake.soql[1]).to.match(/WHERE LoginTime = LAST_N_DAYS:30 AND UserId IN/);
    expect(fake.soql[1]).to.match(/GROUP BY UserId, LoginType, Application LIMIT 2000$/);
  });

  it('halves the users of a query that hits 2,000 groups, and marks a single user over the limit as truncated', async () => {
    const logins = [...appsFor(id(1), 900), ...appsFor(id(2), 900), ...appsFor(id(3), 900)];
    const fake = new FakeOrg({ users: [], logins, now: NOW });
    const { logins: out, stats } = await readLogins(new OrgReader(conn(fake)), users(3), {
      days: 30,
      maxLoginRows: 10,
    });
    expect(out).to.have.length(2700);
    expect(stats).to.deep.include({ queries: 3, rowsRead: 2700, truncated: false });

    const big = new FakeOrg({ users: [], logins: appsFor(id(1), 2100), now: NOW });
    const r = await readLogins(new OrgReader(conn(big)), users(1), { days: 30, maxLoginRows: 10 });
    expect(r.stats).to.deep.include({ queries: 1, rowsRead: 2000, truncated: true });
  });

  it('pages raw rows when asked to, counting every round trip', async () => {
    const logins = appsFor(id(1), 25);
    const fake = new FakeOrg({ users: [], logins, pageSize: 10, now: NOW });
    const reader = new OrgReader(conn(fake));
    const { logins: out, stats } = await readLogins(reader, users(1), { days: 30, maxLoginRows: 1000, mode: 'rows' });
    expect(out).to.have.length(25);
    expect(stats).to.deep.include({ mode: 'rows', queries: 3, rowsRead: 25, totalRows: 25, truncated: false });
    expect(reader.roundTrips).to.equal(3);
  });

  it('rethrows access errors so the caller can report the gap', async () => {
    const fake = new FakeOrg({ users: [], errors: { LoginHistory: 'INSUFFICIENT_ACCESS' }, now: NOW });
    try {
      await readLogins(new OrgReader(conn(fake)), users(1), { days: 30, maxLoginRows: 10 });
      expect.fail('should throw');
    } catch (e) {
      expect((e as Error).name).to.equal('INSUFFICIENT_ACCESS');
    }
  });

  it('leaves ids that are not record ids out of the SOQL', async () => {
    expect(aggregateLoginQuery(7, ['005000000000001AAA'])).to.contain("IN ('005000000000001AAA')");
    const fake = new FakeOrg({ users: [], now: NOW });
    const bad: AuditUser[] = [{ id: "x') OR (Id != '", username: 'b', name: 'b', isActive: true }, ...users(1)];
    await readLogins(new OrgReader(conn(fake)), bad, { days: 1, maxLoginRows: 10 });
    expect(fake.soql).to.have.length(1);
    expect(fake.soql[0]).to.not.contain('OR (Id');
  });
});
