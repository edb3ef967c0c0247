import { expect } from 'chai';
import type { Connection } from '@salesforce/core';
import { connect, failure } from './clients.js';
import { startEmulator, type EmulatedOrg, type Emulator } from '../src/index.js';
import { ApiError } from '../src/errors.js';

const DAY = 86_400_000;
const iso = (ms: number): string => new Date(ms).toISOString();

describe('emulator SOQL', () => {
  let emu: Emulator;
  let org: EmulatedOrg;
  let conn: Connection;

  before(async () => {
    const now = Date.now();
    emu = await startEmulator({
      seed: {
        objects: [
          {
            name: 'Invoice__c',
            fields: [
              { name: 'Amount__c', type: 'double' },
              { name: 'Account__c', type: 'reference', referenceTo: 'Account' },
            ],
          },
          { name: 'Account', fields: [{ name: 'Tier__c' }] },
        ],
        roles: [{ name: 'CEO' }, { name: 'Sales', parentRole: 'CEO' }],
        users: [
          {
            username: 'api1@soql.emu',
            lastName: 'Api',
            profile: 'Minimum Access - API Only Integrations',
            permissionSetLicenses: ['SalesforceAPIIntegrationPsl'],
            permissionSets: ['Reader'],
          },
          { username: 'rep@soql.emu', lastName: 'Rep', firstName: 'Rita', profile: 'Standard User', role: 'Sales' },
          { username: 'old@soql.emu', lastName: 'Old', profile: 'Standard User', isActive: false },
        ],
        permissionSets: [
          {
            name: 'Reader',
            license: 'SalesforceAPIIntegrationPsl',
            objectPermissions: [{ object: 'Account', allowRead: true }],
          },
        ],
        records: {
          Account: [
            { Name: 'Acme', Industry: 'Energy', NumberOfEmployees: 10, Tier__c: 'Gold' },
            { Name: 'Beta', Industry: 'Retail', NumberOfEmployees: 200 },
            { Name: "O'Brien & Co", Industry: null, NumberOfEmployees: 50 },
          ],
        },
        loginHistory: [
          {
            username: 'api1@soql.emu',
            loginTime: iso(now - 1 * DAY),
            loginType: 'Remote Access 2.0',
            application: 'Mule',
          },
          {
            username: 'api1@soql.emu',
            loginTime: iso(now - 2 * DAY),
            loginType: 'Remote Access 2.0',
            application: 'Mule',
          },
          {
            username: 'api1@soql.emu',
            loginTime: iso(now - 3 * DAY),
            loginType: 'Partner Product',
            application: 'Dataloader',
          },
          {
            username: 'api1@soql.emu',
            loginTime: iso(now - 200 * DAY),
            loginType: 'Remote Access 2.0',
            application: 'Mule',
          },
          { username: 'rep@soql.emu', loginTime: iso(now - 5 * DAY), loginType: 'Application' },
        ],
        oauthTokens: [{ username: 'api1@soql.emu', appName: 'Mule', useCount: 7, lastUsedDate: iso(now - DAY) }],
      },
    });
    org = emu.org();
    conn = await connect(emu);
  });
  after(async () => emu?.stop());

  const names = (soql: string): unknown[] => org.query(soql).map((r) => r.Name ?? r.Username);

  it('filters with =, !=, <, >, IN, NOT IN, LIKE, null, booleans and nested AND/OR/NOT', () => {
    expect(names("SELECT Name FROM Account WHERE Industry = 'energy'")).to.deep.equal(['Acme']);
    expect(names("SELECT Name FROM Account WHERE Industry != 'Energy' ORDER BY Name")).to.deep.equal([
      'Beta',
      "O'Brien & Co",
    ]);
    expect(
      names('SELECT Name FROM Account WHERE NumberOfEmployees > 10 ORDER BY NumberOfEmployees DESC'),
    ).to.deep.equal(['Beta', "O'Brien & Co"]);
    expect(names('SELECT Name FROM Account WHERE NumberOfEmployees <= 50 ORDER BY Name')).to.deep.equal([
      'Acme',
      "O'Brien & Co",
    ]);
    expect(names("SELECT Name FROM Account WHERE Industry IN ('Energy', 'Retail') ORDER BY Name")).to.deep.equal([
      'Acme',
      'Beta',
    ]);
    expect(names("SELECT Name FROM Account WHERE Industry NOT IN ('Energy') ORDER BY Name")).to.deep.equal([
      'Beta',
      "O'Brien & Co",
    ]);
    expect(names("SELECT Name FROM Account WHERE Name LIKE 'o\\'b%'")).to.deep.equal(["O'Brien & Co"]);
    expect(names("SELECT Name FROM Account WHERE Name LIKE '_eta'")).to.deep.equal(['Beta']);
    expect(names('SELECT Name FROM Account WHERE Industry = null')).to.deep.equal(["O'Brien & Co"]);
    expect(
      names("SELECT Name FROM Account WHERE (Industry = 'Energy' OR NumberOfEmployees > 100) AND NOT Name = 'Beta'"),
    ).to.deep.equal(['Acme']);
    expect(names("SELECT Name FROM Account WHERE NOT (Industry = 'Energy' OR Industry = 'Retail')")).to.deep.equal([
      "O'Brien & Co",
    ]);
    expect(names('SELECT Username FROM User WHERE IsActive = false')).to.deep.equal(['old@soql.emu']);
    expect(names("SELECT Name FROM Account WHERE Tier__c = 'Gold'")).to.deep.equal(['Acme']);
  });

  it('follows relationship fields in SELECT and WHERE, and matches 15-char ids', () => {
    const rows = org.query(
      "SELECT Username, Profile.Name, Profile.UserLicense.Name, UserRole.Name FROM User WHERE Profile.UserLicense.Name = 'Salesforce Integration'",
    );
    expect(rows).to.have.length(1);
    expect(rows[0].Username).to.equal('api1@soql.emu');
    const profile = rows[0].Profile as { Name: string; UserLicense: { Name: string; attributes: { type: string } } };
    expect(profile.Name).to.equal('Minimum Access - API Only Integrations');
    expect(profile.UserLicense).to.include({ Name: 'Salesforce Integration' });
    expect(profile.UserLicense.attributes.type).to.equal('UserLicense');
    expect(rows[0].UserRole).to.equal(null);
    const rep = org.query(
      "SELECT UserRole.Name, UserRole.ParentRole.Name FROM User WHERE Username = 'rep@soql.emu'",
    )[0];
    expect(rep.UserRole).to.deep.include({ Name: 'Sales' });
    expect((rep.UserRole as { ParentRole: { Name: string } }).ParentRole.Name).to.equal('CEO');
    const id15 = org.user('api1@soql.emu')!.Id.slice(0, 15);
    expect(
      org
        .query(
          `SELECT Assignee.Username, PermissionSet.Name FROM PermissionSetAssignment WHERE AssigneeId = '${id15}' AND PermissionSet.IsOwnedByProfile = false`,
        )
        .map((r) => (r.PermissionSet as { Name: string }).Name),
    ).to.deep.equal(['Reader']);
  });

  it('supports ORDER BY with NULLS, LIMIT, OFFSET and COUNT()', () => {
    expect(names('SELECT Name FROM Account ORDER BY Industry ASC NULLS LAST, Name')).to.deep.equal([
      'Acme',
      'Beta',
      "O'Brien & Co",
    ]);
    expect(names('SELECT Name FROM Account ORDER BY Industry NULLS FIRST')).to.deep.equal([
      "O'Brien & Co",
      'Acme',
      'Beta',
    ]);
    expect(names('SELECT Name FROM Account ORDER BY Name LIMIT 1 OFFSET 1')).to.deep.equal(['Beta']);
    expect(org.count('SELECT COUNT() FROM Account')).to.equal(3);
    expect(org.count("SELECT COUNT() FROM Account WHERE Name LIKE 'A%'")).to.equal(1);
  });

  it('groups with COUNT(Id), MAX() and aliases over date literals (LAST_N_DAYS)', () => {
    const rows = org.query(
      'SELECT UserId, LoginType, COUNT(Id), MAX(LoginTime) lastLogin FROM LoginHistory WHERE LoginTime = LAST_N_DAYS:90 GROUP BY UserId, LoginType ORDER BY COUNT(Id) DESC',
    );
    const api = org.user('api1@soql.emu')!.Id;
    expect(rows[0]).to.include({ UserId: api, LoginType: 'Remote Access 2.0', expr0: 2 });
    expect(rows[0].attributes).to.deep.equal({ type: 'AggregateResult' });
    expect(String(rows[0].lastLogin)).to.match(/\+0000$/);
    expect(rows).to.have.length(3);
    expect(org.query('SELECT COUNT(Id) n FROM LoginHistory WHERE LoginTime < LAST_N_DAYS:90')[0].n).to.equal(1);
    expect(
      org.query('SELECT Application, COUNT(Id) FROM LoginHistory GROUP BY Application HAVING COUNT(Id) > 1'),
    ).to.deep.equal([{ attributes: { type: 'AggregateResult' }, Application: 'Mule', expr0: 3 }]);
    expect(org.count('SELECT COUNT() FROM LoginHistory WHERE LoginTime = TODAY')).to.equal(0);
    expect(org.count('SELECT COUNT() FROM LoginHistory WHERE LoginTime > 2000-01-01T00:00:00Z')).to.equal(5);
  });

  it('supports semi-join subqueries and child relationship subqueries', () => {
    expect(
      names(
        "SELECT Username FROM User WHERE Id IN (SELECT AssigneeId FROM PermissionSetAssignment WHERE PermissionSet.Name = 'Reader')",
      ),
    ).to.deep.equal(['api1@soql.emu']);
    expect(
      names(
        'SELECT Username FROM User WHERE IsActive = true AND Id NOT IN (SELECT AssigneeId FROM PermissionSetLicenseAssign) ORDER BY Username',
      ),
    ).to.deep.equal(['admin@emu.org', 'rep@soql.emu']);
    const ps = org.query(
      "SELECT Name, (SELECT Assignee.Username FROM Assignments) FROM PermissionSet WHERE Name = 'Reader'",
    )[0];
    const sub = ps.Assignments as { totalSize: number; records: Array<{ Assignee: { Username: string } }> };
    expect(sub.totalSize).to.equal(1);
    expect(sub.records[0].Assignee.Username).to.equal('api1@soql.emu');
  });

  it('answers lowercase SOQL as sf org assign permsetlicense sends it', () => {
    const rows = org.query(
      "select Id from PermissionSetLicense where DeveloperName = 'Salesforce API Integration' or MasterLabel = 'Salesforce API Integration'",
    );
    expect(rows).to.have.length(1);
    expect(String(rows[0].Id)).to.match(/^0PL/);
  });

  it('reads OauthToken and custom objects', () => {
    expect(org.query('SELECT AppName, UseCount, User.Username FROM OauthToken')[0]).to.deep.include({
      AppName: 'Mule',
      UseCount: 7,
    });
    const acme = org.query("SELECT Id FROM Account WHERE Name = 'Acme'")[0].Id;
    org.insert('Invoice__c', { Name: 'INV-1', Amount__c: 12.5, Account__c: acme });
    expect(org.query('SELECT Name, Amount__c, Account__r.Name FROM Invoice__c')[0]).to.deep.include({
      Name: 'INV-1',
      Amount__c: 12.5,
    });
  });

  const errs: Array<[string, string, RegExp]> = [
    [
      'SELECT Foo FROM User',
      'INVALID_FIELD',
      /^\nSELECT Foo FROM User\n {7}\^\nERROR at Row:1:Column:8\nNo such column 'Foo' on entity 'User'\. If you are attempting to use a custom field/,
    ],
    ['SELECT Id FROM ScratchOrgInfo', 'INVALID_TYPE', /sObject type 'ScratchOrgInfo' is not supported\./],
    ['SELECT Nope.Name FROM User', 'INVALID_FIELD', /Didn't understand relationship 'Nope' in field path/],
    ['SELECT FROM User', 'MALFORMED_QUERY', /ERROR at Row:1/],
    ['SELECT Name, COUNT(Id) FROM Account', 'MALFORMED_QUERY', /Field must be grouped or aggregated: Name/],
    ['SELECT FIELDS(ALL) FROM Account LIMIT 10', 'MALFORMED_QUERY', /FIELDS/],
    ['SELECT Id FROM Account WHERE CALENDAR_YEAR(CreatedDate) = 2024', 'MALFORMED_QUERY', /not supported/],
    ['SELECT Id FROM LoginHistory WHERE LoginTime = THIS_FISCAL_QUARTER', 'MALFORMED_QUERY', /not supported/],
    ["SELECT Id FROM Account WHERE NumberOfEmployees = '5'", 'INVALID_QUERY_FILTER_OPERATOR', /must be of type int/],
    ['SELECT Id FROM SandboxProcess', 'INVALID_TYPE', /SandboxProcess/],
  ];
  for (const [soql, code, text] of errs) {
    it(`rejects ${soql} with ${code}`, () => {
      let err: unknown;
      try {
        org.query(soql);
      } catch (e) {
        err = e;
      }
      expect(err).to.be.instanceOf(ApiError);
      expect((err as ApiError).errorCode).to.equal(code);
      expect((err as ApiError).message).to.match(text);
    });
  }

  it('sends query errors in the REST shape jsforce understands', async () => {
    const err = await failure(conn.query('SELECT Foo FROM User'));
    expect(err.name).to.equal('INVALID_FIELD');
    expect(err.message).to.include("No such column 'Foo' on entity 'User'");
    const typeErr = await failure(conn.query('SELECT Id FROM ScratchOrgInfo limit 1'));
    expect(typeErr.name).to.equal('INVALID_TYPE');
  });

  it('groups 500,000 LoginHistory rows in well under a few seconds', function () {
    this.timeout(60_000);
    const users = [org.user('api1@soql.emu')!.Id, org.user('rep@soql.emu')!.Id, org.adminUserId];
    const types = ['Remote Access 2.0', 'Partner Product', 'Application', 'Other Apex API'];
    const now = Date.now();
    const big = emu.addOrg({ admin: { username: 'admin@big.emu' } });
    const rows = [];
    for (let i = 0; i < 500_000; i++)
      rows.push({ UserId: users[i % 3], LoginType: types[i % 4], LoginTime: now - (i % 120) * DAY, Status: 'Success' });
    big.insertMany('LoginHistory', rows);
    const t0 = performance.now();
    const res = big.query(
      'SELECT UserId, LoginType, COUNT(Id), MAX(LoginTime) FROM LoginHistory WHERE LoginTime = LAST_N_DAYS:90 GROUP BY UserId, LoginType',
    );
    const ms = performance.now() - t0;
    if (process.env.EMU_TIMINGS) console.log(`GROUP BY over 500k rows: ${ms.toFixed(0)} ms`);
    expect(res).to.have.length(12);
    const total = res.reduce((s, r) => s + Number(r.expr0), 0);
    expect(total).to.be.within(370_000, 385_000);
    expect(ms).to.be.lessThan(2500);
  });
});
