/**
 * src/audit/read.ts against Salesforce's REST query answers: paging through nextRecordsUrl, aggregate rows,
 * a bound on rows read, and an object the running user may not read.
 */
import { expect } from 'chai';
import type { Connection } from '@salesforce/core';
import { TestContext } from '@salesforce/core/testSetup';
import { OrgReader, readLogins, readOrg, readUsers, USERS_QUERY } from '../../../src/audit/read.js';
import type { AuditUser } from '../../../src/audit/types.js';
import { DATA, JSON_HEADERS, nockConnection, org, queryAnswer, restError, useNock } from './nock-org.js';

// Execute a SOQL Query (https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/dome_query.htm):
// an unfinished answer carries done:false and nextRecordsUrl "/services/data/vXX.X/query/<locator>-<offset>";
// jsforce asks {baseUrl}/query/<last path segment> (wire-formats.md §2.2)
const LOCATOR = '01gD0000002HU6KIAW-2000';
const NEXT = `${DATA}/query/${LOCATOR}`;
// Salesforce writes datetimes as 2026-11-26T19:28:00.000+0000
const user = (id: string, username: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  Id: id,
  Username: username,
  Name: username.split('@')[0],
  IsActive: true,
  Profile: {
    attributes: { type: 'Profile', url: `${DATA}/sobjects/Profile/00e` },
    Name: 'System Administrator',
    PermissionsModifyAllData: true,
    UserLicense: { attributes: { type: 'UserLicense', url: `${DATA}/sobjects/UserLicense/100` }, Name: 'Salesforce' },
  },
  UserType: 'Standard',
  LastLoginDate: '2026-11-26T19:28:00.000+0000',
  ...extra,
});
const isQuery =
  (from: string) =>
  (q: Record<string, unknown>): boolean =>
    String(q.q).includes(from);
// REST status codes (https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/errorcodes.htm) 403;
// body as the sObject User Password page gives it for a session without the right
const FORBIDDEN = restError('INSUFFICIENT_ACCESS', 'You do not have permission to view this record.');

describe('adapters: audit read (query paging, aggregates, unreadable objects)', () => {
  const $$ = new TestContext();
  let conn: Connection;
  useNock();
  beforeEach(async () => {
    conn = await nockConnection($$);
  });

  it('follows nextRecordsUrl to the last page and keeps only standard users', async () => {
    org()
      .get(`${DATA}/query`)
      .query({ q: USERS_QUERY })
      .reply(
        200,
        queryAnswer(
          'User',
          [
            user('0055g00000AAAAAAA1', 'integrations@acme.com'),
            user('0055g00000AAAAAAA2', 'autoproc@00d5g.ext', { UserType: 'AutomatedProcess' }),
          ],
          {
            done: false,
            nextRecordsUrl: NEXT,
            totalSize: 3,
          },
        ),
        JSON_HEADERS,
      )
      .get(NEXT)
      .reply(
        200,
        queryAnswer('User', [user('0055g00000AAAAAAA3', 'jane@acme.com', { LastLoginDate: null })], { totalSize: 3 }),
        JSON_HEADERS,
      );
    const reader = new OrgReader(conn, []);
    const users = await readUsers(reader);
    expect(users.map((u) => [u.username, u.lastLoginDate])).to.deep.equal([
      ['integrations@acme.com', '2026-11-26T19:28:00.000Z'],
      ['jane@acme.com', undefined],
    ]);
    expect(users[0]).to.include({
      profileName: 'System Administrator',
      modifyAllData: true,
      userLicenseName: 'Salesforce',
    });
    expect(reader.roundTrips).to.equal(2);
  });

  it('stops paging LoginHistory rows at the bound and says the counts are a lower bound', async () => {
    org()
      .get(`${DATA}/query`)
      .query(isQuery('FROM LoginHistory WHERE LoginTime = LAST_N_DAYS:30'))
      .reply(
        200,
        queryAnswer(
          'LoginHistory',
          [
            {
              Id: '0Ya5g00000AAAAAAA1',
              UserId: '0055g00000AAAAAAA1',
              LoginType: 'Remote Access 2.0',
              Application: 'Marketo',
              LoginTime: '2026-11-26T19:28:00.000+0000',
            },
            {
              Id: '0Ya5g00000AAAAAAA2',
              UserId: '0055g00000AAAAAAA1',
              LoginType: 'Remote Access 2.0',
              Application: 'Marketo',
              LoginTime: '2026-11-25T08:00:00.000+0000',
            },
          ],
          { done: false, nextRecordsUrl: NEXT, totalSize: 5000 },
        ),
        JSON_HEADERS,
      );
    // no answer declared for NEXT: a request for it would fail the test
    const users = [{ id: '0055g00000AAAAAAA1', username: 'integrations@acme.com' } as AuditUser];
    const { logins, stats } = await readLogins(new OrgReader(conn, []), users, {
      days: 30,
      maxLoginRows: 2,
      mode: 'rows',
    });
    expect(logins).to.deep.equal([
      {
        userId: '0055g00000AAAAAAA1',
        loginType: 'Remote Access 2.0',
        application: 'Marketo',
        count: 2,
        last: '2026-11-26T19:28:00.000Z',
      },
    ]);
    expect(stats).to.include({ mode: 'rows', rowsRead: 2, totalRows: 5000, truncated: true });
  });

  it('reads seats, users and aggregated logins; an OauthToken the user may not read (HTTP 403) becomes a gap', async () => {
    org()
      .get(`${DATA}/query`)
      .query(isQuery('FROM UserLicense'))
      .reply(
        200,
        queryAnswer('UserLicense', [
          {
            Id: '1005g000000AbCdAAK',
            Name: 'Salesforce Integration',
            Status: 'Active',
            TotalLicenses: 5,
            UsedLicenses: 1,
          },
        ]),
        JSON_HEADERS,
      )
      .get(`${DATA}/query`)
      .query(isQuery('FROM PermissionSetLicense'))
      .reply(200, { totalSize: 0, done: true, records: [] }, JSON_HEADERS)
      .get(`${DATA}/query`)
      .query({ q: USERS_QUERY })
      .reply(200, queryAnswer('User', [user('0055g00000AAAAAAA1', 'integrations@acme.com')]), JSON_HEADERS)
      .get(`${DATA}/query`)
      .query(isQuery('GROUP BY UserId, LoginType, Application LIMIT 2000'))
      // aggregate rows: attributes {type: AggregateResult} without url, the aliases as keys (SOQL GROUP BY answers)
      .reply(
        200,
        {
          totalSize: 1,
          done: true,
          records: [
            {
              attributes: { type: 'AggregateResult' },
              UserId: '0055g00000AAAAAAA1',
              LoginType: 'Remote Access 2.0',
              Application: 'Marketo',
              cnt: 412,
              lastLogin: '2026-11-26T19:28:00.000+0000',
            },
          ],
        },
        JSON_HEADERS,
      )
      .get(`${DATA}/query`)
      .query(isQuery('FROM OauthToken'))
      .reply(403, FORBIDDEN, JSON_HEADERS);
    const reading = await readOrg(conn, { days: 30, maxLoginRows: 1000 });
    expect(reading.seats.integrationUserLicense).to.include({ total: 5, used: 1, free: 4 });
    expect(reading.seats.integrationPsl).to.equal(undefined);
    expect(reading.logins).to.deep.equal([
      {
        userId: '0055g00000AAAAAAA1',
        loginType: 'Remote Access 2.0',
        application: 'Marketo',
        count: 412,
        last: '2026-11-26T19:28:00.000Z',
      },
    ]);
    expect(reading.oauthTokenRead).to.equal(false);
    expect(reading.gaps).to.deep.equal([
      {
        source: 'OauthToken',
        errorCode: 'INSUFFICIENT_ACCESS',
        message: 'You do not have permission to view this record.',
        fix: 'Customize Application (with View Setup and Configuration)',
      },
    ]);
  });
});
