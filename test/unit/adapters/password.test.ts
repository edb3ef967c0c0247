/**
 * src/password/password.ts against the REST sObject User Password resource, with the bodies of Salesforce's own page
 * "Manage User Passwords" (https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/dome_sobject_user_password.htm):
 * POST sets (204, no body), DELETE resets and answers {NewPassword}, a weak password is INVALID_NEW_PASSWORD,
 * a session without the right gets 403 INSUFFICIENT_ACCESS. The page prints error bodies as one object; the REST API
 * sends the array form (wire-formats.md §2): both are tried.
 */
import { expect } from 'chai';
import type { Connection } from '@salesforce/core';
import { TestContext } from '@salesforce/core/testSetup';
import { changePassword } from '../../../src/password/password.js';
import { DATA, JSON_HEADERS, nockConnection, org, queryAnswer, useNock } from './nock-org.js';

const USER_ID = '005D0000001KyEIIA0';
const PASSWORD_URL = `${DATA}/sobjects/User/${USER_ID}/password`;

// the command checks first that the user is an active API-only user (its profile says so: no second query)
const userFound = (): void => {
  org()
    .get(`${DATA}/query`)
    .query({
      q:
        'SELECT Id, Username, IsActive, Email, Profile.Name, Profile.PermissionsApiUserOnly, Profile.UserLicense.Name ' +
        "FROM User WHERE Username = 'marketo.sync@acme.com'",
    })
    .reply(
      200,
      queryAnswer('User', [
        {
          Id: USER_ID,
          Username: 'marketo.sync@acme.com',
          IsActive: true,
          Email: 'it@acme.com',
          Profile: {
            Name: 'Minimum Access - API Only Integrations',
            PermissionsApiUserOnly: true,
            UserLicense: { Name: 'Salesforce Integration' },
          },
        },
      ]),
      JSON_HEADERS,
    );
};

// the page's bodies, word for word
const INVALID_NEW_PASSWORD = {
  message: 'Your password must have a mix of letters and numbers.',
  errorCode: 'INVALID_NEW_PASSWORD',
};
const INSUFFICIENT_ACCESS = {
  message: 'You do not have permission to view this record.',
  errorCode: 'INSUFFICIENT_ACCESS',
};

async function refusal(conn: Connection, action: 'generate' | 'reset'): Promise<Error & { actions?: string[] }> {
  return changePassword({ conn, username: 'marketo.sync@acme.com', action }).then(
    () => {
      throw new Error('expected a refusal');
    },
    (e: Error & { actions?: string[] }) => e,
  );
}

describe('adapters: password (REST sObject User Password)', () => {
  const $$ = new TestContext();
  let conn: Connection;
  useNock();
  beforeEach(async () => {
    conn = await nockConnection($$);
  });

  it('sets a generated password with POST {NewPassword} (HTTP 204, no body) and returns the password sent', async () => {
    userFound();
    let sent: { NewPassword?: string } = {};
    org()
      .post(PASSWORD_URL, (body: typeof sent) => {
        sent = body;
        return true;
      })
      .reply(204);
    const outcome = await changePassword({ conn, username: 'marketo.sync@acme.com', action: 'generate', length: 24 });
    expect(outcome).to.include({ userId: USER_ID, action: 'generate' });
    expect(outcome.password).to.have.length(24).and.equal(sent.NewPassword);
  });

  for (const [form, body] of [
    ['array (as the API sends it)', [INVALID_NEW_PASSWORD]],
    ['object (as the page prints it)', INVALID_NEW_PASSWORD],
  ] as const) {
    it(`turns INVALID_NEW_PASSWORD (HTTP 400, ${form}) into InvalidNewPassword, with the org's text and never the password`, async () => {
      userFound();
      let sent = '';
      org()
        .post(PASSWORD_URL, (b: { NewPassword: string }) => {
          sent = b.NewPassword;
          return true;
        })
        .reply(400, body, JSON_HEADERS);
      const e = await refusal(conn, 'generate');
      expect(e.name).to.equal('InvalidNewPasswordError');
      expect(e.message).to.contain('Your password must have a mix of letters and numbers.');
      expect(sent).to.have.length.greaterThan(0);
      expect(`${e.message}\n${(e.actions ?? []).join('\n')}\n${JSON.stringify(e)}`).not.to.contain(sent);
    });
  }

  it('turns HTTP 403 INSUFFICIENT_ACCESS into InsufficientAccess', async () => {
    userFound();
    org().post(PASSWORD_URL).reply(403, [INSUFFICIENT_ACCESS], JSON_HEADERS);
    const e = await refusal(conn, 'generate');
    expect(e.name).to.equal('InsufficientAccessError');
    expect(e.message).to.contain('You do not have permission to view this record.');
  });

  it('resets with DELETE and returns the password Salesforce answers, marked expired', async () => {
    userFound();
    org().delete(PASSWORD_URL).reply(200, { NewPassword: '2sv0xHAuM' }, JSON_HEADERS);
    const outcome = await changePassword({ conn, username: 'marketo.sync@acme.com', action: 'reset' });
    expect(outcome).to.include({ password: '2sv0xHAuM', expired: true, userId: USER_ID });
  });

  it('refuses a reset the session may not do (403) without retrying it', async () => {
    userFound();
    // once: jsforce retries DELETE only on 420/429/5xx, and a reset must never be sent twice
    org().delete(PASSWORD_URL).once().reply(403, [INSUFFICIENT_ACCESS], JSON_HEADERS);
    expect((await refusal(conn, 'reset')).name).to.equal('InsufficientAccessError');
  });

  it('stops at UserNotFound when the query answers no user, before any password request', async () => {
    org().get(`${DATA}/query`).query(true).reply(200, { totalSize: 0, done: true, records: [] }, JSON_HEADERS);
    expect((await refusal(conn, 'generate')).name).to.equal('UserNotFoundError');
  });
});
