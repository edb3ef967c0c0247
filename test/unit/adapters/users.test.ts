/**
 * src/org-api/users.ts against Salesforce's REST answers (query and sObject create), through the real client.
 * Sources of each answer are named beside it.
 */
import { expect } from 'chai';
import type { Connection } from '@salesforce/core';
import { TestContext } from '@salesforce/core/testSetup';
import { createUser, lookupUsers, type NewUser } from '../../../src/org-api/users.js';
import { mapCreateUserError } from '../../../src/org-api/errors.js';
import { DATA, INSTANCE_URL, JSON_HEADERS, nockConnection, org, queryAnswer, restError, useNock } from './nock-org.js';

const NEW_USER: NewUser = {
  username: 'marketo.sync@acme.com',
  email: 'integrations@acme.com',
  lastName: 'Marketo',
  alias: 'marketo',
  profileId: '00e5g000001ABCdAAO',
  defaults: {
    TimeZoneSidKey: 'Europe/Paris',
    LocaleSidKey: 'fr_FR',
    EmailEncodingKey: 'UTF-8',
    LanguageLocaleKey: 'en_US',
  },
};

// wire-formats.md §2.3, the message as Salesforce KB 000381924 shows it
const DUPLICATE_USERNAME = restError(
  'DUPLICATE_USERNAME',
  "Duplicate Username.<br>The username already exists in this or another Salesforce organization. Usernames must be unique across all Salesforce organizations. To resolve, use a different username (it doesn't need to match the user's email address). ",
  ['Username'],
);

async function rejection(promise: Promise<unknown>): Promise<Error & { errorCode?: string; actions?: string[] }> {
  try {
    await promise;
  } catch (e) {
    return e as Error & { errorCode?: string; actions?: string[] };
  }
  throw new Error('expected a rejection');
}

describe('adapters: users (REST User query and create)', () => {
  const $$ = new TestContext();
  let conn: Connection;
  useNock();
  beforeEach(async () => {
    conn = await nockConnection($$);
  });

  it('finds the integration user and copies the running user locale, from one query', async () => {
    const admin = conn.getUsername()!;
    // wire-formats.md §2.2: query answer shape; a relationship field is a nested record with its own attributes
    org()
      .get(`${DATA}/query`)
      .query(
        (q) =>
          /FROM User WHERE Username IN \(.*'marketo\.sync@acme\.com'/.test(String(q.q)) && String(q.q).includes(admin),
      )
      .reply(
        200,
        queryAnswer('User', [
          {
            Id: '0055g00000AbCdEAAV',
            Username: 'Marketo.Sync@acme.com',
            IsActive: false,
            Email: 'integrations@acme.com',
            ProfileId: '00e5g000001ABCdAAO',
            Profile: {
              attributes: { type: 'Profile', url: `${DATA}/sobjects/Profile/00e5g000001ABCdAAO` },
              Name: 'Minimum Access - API Only Integrations',
            },
            UserRoleId: null,
          },
          {
            Id: '0055g00000AdMiNAAV',
            Username: admin,
            TimeZoneSidKey: 'Europe/Paris',
            LocaleSidKey: 'fr_FR',
            EmailEncodingKey: 'UTF-8',
            LanguageLocaleKey: 'fr',
          },
        ]),
        JSON_HEADERS,
      );
    const lookup = await lookupUsers(conn, 'marketo.sync@acme.com');
    expect(lookup.target).to.deep.equal({
      id: '0055g00000AbCdEAAV',
      username: 'Marketo.Sync@acme.com',
      isActive: false,
      email: 'integrations@acme.com',
      profileId: '00e5g000001ABCdAAO',
      profileName: 'Minimum Access - API Only Integrations',
      userRoleId: undefined,
    });
    expect(lookup.defaults).to.deep.equal({
      TimeZoneSidKey: 'Europe/Paris',
      LocaleSidKey: 'fr_FR',
      EmailEncodingKey: 'UTF-8',
      LanguageLocaleKey: 'fr',
    });
  });

  it('lets a refused query through with its Salesforce code (INVALID_FIELD)', async () => {
    // wire-formats.md §2.2: a query naming a field the org lacks is HTTP 400 INVALID_FIELD with the parser's text
    org()
      .get(`${DATA}/query`)
      .query(true)
      .reply(
        400,
        restError(
          'INVALID_FIELD',
          "\nSELECT Id, Username, IsActive, Email, ProfileId, Profile.Name, UserRoleId\n                                                      ^\nERROR at Row:1:Column:55\nNo such column 'UserRoleId' on entity 'User'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.",
        ),
        JSON_HEADERS,
      );
    const e = await rejection(lookupUsers(conn, 'marketo.sync@acme.com'));
    expect(e.name).to.equal('INVALID_FIELD');
    expect(e.message).to.contain("No such column 'UserRoleId' on entity 'User'");
  });

  it('creates the user with one REST POST and returns its Id (HTTP 201)', async () => {
    let sent: Record<string, unknown> = {};
    // wire-formats.md §2.3: success is 201 {id, success, errors}
    org()
      .post(`${DATA}/sobjects/User`, (body: Record<string, unknown>) => {
        sent = body;
        return true;
      })
      .reply(201, { id: '0055g00000NeWuSAAV', success: true, errors: [] }, JSON_HEADERS);
    expect(await createUser(conn, NEW_USER)).to.equal('0055g00000NeWuSAAV');
    expect(sent).to.include({
      Username: 'marketo.sync@acme.com',
      Email: 'integrations@acme.com',
      ProfileId: '00e5g000001ABCdAAO',
      TimeZoneSidKey: 'Europe/Paris',
    });
  });

  it('turns DUPLICATE_USERNAME (HTTP 400) into DuplicateUsername with usernames to try, the My Domain one included', async () => {
    org().post(`${DATA}/sobjects/User`).reply(400, DUPLICATE_USERNAME, JSON_HEADERS);
    const raw = await rejection(createUser(conn, NEW_USER));
    expect(raw.name).to.equal('DUPLICATE_USERNAME');
    const mapped = mapCreateUserError(raw, NEW_USER.username, INSTANCE_URL);
    expect(mapped.name).to.equal('DuplicateUsernameError');
    expect((mapped as { actions?: string[] }).actions?.join('\n'))
      .to.contain('marketo.sync@acme.com.integration')
      .and.contain('marketo.sync@acme.com.acme');
  });

  it('turns LICENSE_LIMIT_EXCEEDED (HTTP 400) into LicenseLimitExceeded with what to do', async () => {
    // wire-formats.md §2.3 table: "License Limit Exceeded" (SOAP LICENSE_LIMIT_EXCEEDED:License Limit Exceeded)
    org()
      .post(`${DATA}/sobjects/User`)
      .reply(400, restError('LICENSE_LIMIT_EXCEEDED', 'License Limit Exceeded'), JSON_HEADERS);
    const mapped = mapCreateUserError(await rejection(createUser(conn, NEW_USER)), NEW_USER.username, INSTANCE_URL);
    expect(mapped.name).to.equal('LicenseLimitExceededError');
    expect((mapped as { actions?: string[] }).actions).to.have.length.greaterThan(0);
  });

  it('passes an unknown refusal through with its code (a profile Id the org lacks: INVALID_CROSS_REFERENCE_KEY)', async () => {
    // wire-formats.md §2.3 table: "invalid cross reference id"
    org()
      .post(`${DATA}/sobjects/User`)
      .reply(400, restError('INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id', ['ProfileId']), JSON_HEADERS);
    const mapped = mapCreateUserError(await rejection(createUser(conn, NEW_USER)), NEW_USER.username, INSTANCE_URL);
    expect(mapped.name).to.equal('INVALID_CROSS_REFERENCE_KEY');
    expect(mapped.message).to.equal('invalid cross reference id');
  });
});
