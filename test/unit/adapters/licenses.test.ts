/**
 * src/org-api/licenses.ts against Salesforce's REST answers: the two seat queries and the PSL's MaximumPermissions* fields.
 */
import { expect } from 'chai';
import type { Connection } from '@salesforce/core';
import { TestContext } from '@salesforce/core/testSetup';
import { getIntegrationSeats, getPslAllowedPermissions } from '../../../src/org-api/licenses.js';
import { DATA, JSON_HEADERS, nockConnection, org, queryAnswer, restError, useNock } from './nock-org.js';

const isSeatQuery =
  (from: string) =>
  (q: Record<string, unknown>): boolean =>
    String(q.q).includes(from);

describe('adapters: licenses (UserLicense, PermissionSetLicense)', () => {
  const $$ = new TestContext();
  let conn: Connection;
  useNock();
  beforeEach(async () => {
    conn = await nockConnection($$);
  });

  it('reads both seat counts; a full license has no free seat', async () => {
    // integration-users.md "Licenses": names, queries and free = TotalLicenses - UsedLicenses; wire-formats.md §2.2
    org()
      .get(`${DATA}/query`)
      .query(isSeatQuery("FROM UserLicense WHERE Name = 'Salesforce Integration'"))
      .reply(
        200,
        queryAnswer('UserLicense', [
          {
            Id: '1005g000000AbCdAAK',
            Name: 'Salesforce Integration',
            MasterLabel: 'Salesforce Integration',
            Status: 'Active',
            TotalLicenses: 5,
            UsedLicenses: 5,
          },
        ]),
        JSON_HEADERS,
      )
      .get(`${DATA}/query`)
      .query(isSeatQuery("FROM PermissionSetLicense WHERE DeveloperName = 'SalesforceAPIIntegrationPsl'"))
      .reply(
        200,
        queryAnswer('PermissionSetLicense', [
          {
            Id: '0PL5g0000008OaBGAU',
            DeveloperName: 'SalesforceAPIIntegrationPsl',
            MasterLabel: 'Salesforce API Integration',
            Status: 'Active',
            TotalLicenses: 5,
            UsedLicenses: 2,
          },
        ]),
        JSON_HEADERS,
      );
    const seats = await getIntegrationSeats(conn);
    expect(seats.userLicense).to.deep.equal({
      id: '1005g000000AbCdAAK',
      name: 'Salesforce Integration',
      status: 'Active',
      total: 5,
      used: 5,
      free: 0,
    });
    expect(seats.permissionSetLicense).to.include({ id: '0PL5g0000008OaBGAU', total: 5, used: 2, free: 3 });
  });

  it('says an org without the licenses has none (empty answers), rather than failing', async () => {
    // wire-formats.md §2.2: the empty result
    const empty = { totalSize: 0, done: true, records: [] };
    org().get(`${DATA}/query`).query(true).twice().reply(200, empty, JSON_HEADERS);
    expect(await getIntegrationSeats(conn)).to.deep.equal({ userLicense: undefined, permissionSetLicense: undefined });
  });

  it('lets a refused seat query through with its code (INSUFFICIENT_ACCESS, HTTP 403)', async () => {
    // REST status codes (https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/errorcodes.htm): 403
    // is a refused request; the body as the sObject User Password page shows it for a session without the right
    org()
      .get(`${DATA}/query`)
      .query(true)
      .twice()
      .reply(403, restError('INSUFFICIENT_ACCESS', 'You do not have permission to view this record.'), JSON_HEADERS);
    const e = await getIntegrationSeats(conn).then(
      () => undefined,
      (err: Error) => err,
    );
    expect(e?.name).to.equal('INSUFFICIENT_ACCESS');
  });

  it('reads which permissions the PSL can carry with one query of the wanted fields', async () => {
    org()
      .get(`${DATA}/query`)
      .query(
        (q) =>
          String(q.q) ===
          "SELECT Id, MaximumPermissionsAuthorApex, MaximumPermissionsEnableNotifications FROM PermissionSetLicense WHERE DeveloperName = 'SalesforceAPIIntegrationPsl'",
      )
      .reply(
        200,
        queryAnswer('PermissionSetLicense', [
          {
            Id: '0PL5g0000008OaBGAU',
            MaximumPermissionsAuthorApex: false,
            MaximumPermissionsEnableNotifications: true,
          },
        ]),
        JSON_HEADERS,
      );
    const allowed = await getPslAllowedPermissions(conn, ['AuthorApex', 'EnableNotifications']);
    expect([...(allowed ?? [])]).to.deep.equal(['EnableNotifications']);
  });

  it("when a wanted field is unknown (INVALID_FIELD), reads which exist from the PSL's describe, then queries those", async () => {
    org()
      .get(`${DATA}/query`)
      .query((q) => String(q.q).includes('MaximumPermissionsNotAField'))
      .reply(
        400,
        [
          {
            message: "No such column 'MaximumPermissionsNotAField' on entity 'PermissionSetLicense'.",
            errorCode: 'INVALID_FIELD',
          },
        ],
        JSON_HEADERS,
      );
    // REST sObject Describe answer (fields[].name); field names and types from reference/salesforce/sobjects.json
    org()
      .get(`${DATA}/sobjects/PermissionSetLicense/describe`)
      .reply(
        200,
        {
          name: 'PermissionSetLicense',
          fields: [
            'Id',
            'DeveloperName',
            'MaximumPermissionsApiEnabled',
            'MaximumPermissionsAuthorApex',
            'MaximumPermissionsEnableNotifications',
            'TotalLicenses',
          ].map((name) => ({ name, type: name.startsWith('Maximum') ? 'boolean' : name === 'Id' ? 'id' : 'string' })),
        },
        JSON_HEADERS,
      )
      .get(`${DATA}/query`)
      .query(
        (q) =>
          String(q.q) ===
          "SELECT Id, MaximumPermissionsAuthorApex, MaximumPermissionsEnableNotifications FROM PermissionSetLicense WHERE DeveloperName = 'SalesforceAPIIntegrationPsl'",
      )
      .reply(
        200,
        queryAnswer('PermissionSetLicense', [
          {
            Id: '0PL5g0000008OaBGAU',
            MaximumPermissionsAuthorApex: false,
            MaximumPermissionsEnableNotifications: true,
          },
        ]),
        JSON_HEADERS,
      );
    const allowed = await getPslAllowedPermissions(conn, ['AuthorApex', 'EnableNotifications', 'NotAField']);
    expect([...(allowed ?? [])]).to.deep.equal(['EnableNotifications']);
  });
});
