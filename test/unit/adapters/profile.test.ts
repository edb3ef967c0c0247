/**
 * src/org-api/profile.ts against Salesforce's REST query answers: the integration profile and a role.
 */
import { expect } from 'chai';
import type { Connection } from '@salesforce/core';
import { TestContext } from '@salesforce/core/testSetup';
import { findIntegrationProfile, findRole } from '../../../src/org-api/profile.js';
import { DATA, JSON_HEADERS, nockConnection, org, queryAnswer, useNock } from './nock-org.js';

const PROFILE_QUERY = "SELECT Id, Name FROM Profile WHERE UserLicense.Name = 'Salesforce Integration'";

describe('adapters: profile (Profile, UserRole)', () => {
  const $$ = new TestContext();
  let conn: Connection;
  useNock();
  beforeEach(async () => {
    conn = await nockConnection($$);
  });

  it('prefers the current integration profile over the deprecated one, and keeps both Ids', async () => {
    // integration-users.md "Licenses": the two profile names on the Salesforce Integration license
    org()
      .get(`${DATA}/query`)
      .query({ q: PROFILE_QUERY })
      .reply(
        200,
        queryAnswer('Profile', [
          { Id: '00e5g000001OLDaAAG', Name: 'Salesforce API Only System Integrations' },
          { Id: '00e5g000001ABCdAAO', Name: 'Minimum Access - API Only Integrations' },
        ]),
        JSON_HEADERS,
      );
    expect(await findIntegrationProfile(conn)).to.deep.equal({
      id: '00e5g000001ABCdAAO',
      name: 'Minimum Access - API Only Integrations',
      legacy: false,
      integrationProfileIds: ['00e5g000001OLDaAAG', '00e5g000001ABCdAAO'],
    });
  });

  it('falls back to the deprecated profile on an older org', async () => {
    org()
      .get(`${DATA}/query`)
      .query({ q: PROFILE_QUERY })
      .reply(
        200,
        queryAnswer('Profile', [{ Id: '00e5g000001OLDaAAG', Name: 'Salesforce API Only System Integrations' }]),
        JSON_HEADERS,
      );
    expect(await findIntegrationProfile(conn)).to.include({ id: '00e5g000001OLDaAAG', legacy: true });
  });

  it('finds a role by DeveloperName, and none when the org answers no record', async () => {
    org()
      .get(`${DATA}/query`)
      .query({ q: "SELECT Id, DeveloperName, Name FROM UserRole WHERE DeveloperName = 'Integrations'" })
      .reply(
        200,
        queryAnswer('UserRole', [{ Id: '00E5g000000RoLeEAK', DeveloperName: 'Integrations', Name: 'Integrations' }]),
        JSON_HEADERS,
      )
      .get(`${DATA}/query`)
      .query({ q: "SELECT Id, DeveloperName, Name FROM UserRole WHERE DeveloperName = 'O\\'Brien_Team'" })
      .reply(200, { totalSize: 0, done: true, records: [] }, JSON_HEADERS);
    expect(await findRole(conn, 'Integrations')).to.deep.equal({
      id: '00E5g000000RoLeEAK',
      developerName: 'Integrations',
      name: 'Integrations',
    });
    // the quote is escaped in the SOQL literal sent (the query above would not match otherwise)
    expect(await findRole(conn, "O'Brien_Team")).to.equal(undefined);
  });
});
