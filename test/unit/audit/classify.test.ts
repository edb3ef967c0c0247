import { expect } from 'chai';
import { classify, shellQuote, slug, type ClassifyInput } from '../../../src/audit/classify.js';
import { loginKind } from '../../../src/audit/login-types.js';
import type { AuditUser, LoginAggregate, OauthTokenRow } from '../../../src/audit/types.js';

const SINCE = new Date('2026-09-01T00:00:00.000Z');

function user(id: string, over: Partial<AuditUser> = {}): AuditUser {
  return {
    id,
    username: `${id}@acme.com`,
    name: id,
    isActive: true,
    profileName: 'Standard User',
    userLicenseName: 'Salesforce',
    ...over,
  };
}
const api = (userId: string, application: string, count = 10, last = '2026-11-01T00:00:00.000Z'): LoginAggregate => ({
  userId,
  loginType: 'Remote Access 2.0',
  application,
  count,
  last,
});
const ui = (userId: string, count = 3): LoginAggregate => ({
  userId,
  loginType: 'Application',
  application: 'Browser',
  count,
  last: '2026-11-02T00:00:00.000Z',
});

function run(
  users: AuditUser[],
  logins: LoginAggregate[] = [],
  tokens: OauthTokenRow[] = [],
  over: Partial<ClassifyInput> = {},
) {
  return classify({ users, logins, tokens, since: SINCE, loginHistoryRead: true, targetOrg: 'prod', ...over });
}

describe('audit classify', () => {
  it('leaves out a user with no logins and no tokens', () => {
    expect(run([user('alice')])).to.deep.equal([]);
  });

  it('leaves out a person with UI logins only', () => {
    expect(run([user('alice')], [ui('alice', 40)])).to.deep.equal([]);
  });

  it('classifies an API-only user on a full license as movable, with one create command', () => {
    const [c, ...rest] = run([user('sync')], [api('sync', 'Marketo', 120)]);
    expect(rest).to.be.empty;
    expect(c.class).to.equal('api-only-full-license');
    expect(c.traits).to.deep.equal(['api-only-full-license']);
    expect(c.risks).to.deep.equal(['excess-permissions']);
    expect(c.movable).to.be.true;
    expect(c.extraSeats).to.equal(0);
    expect(c.apiLogins).to.equal(120);
    expect(c.apps.map((a) => a.app)).to.deep.equal(['Marketo']);
    expect(c.nextCommands).to.deep.equal([
      'sf integration-user create --target-org prod --username sync.integration@acme.com --from-user sync@acme.com',
    ]);
  });

  it('sums logins of the same app across login types and keeps the latest time', () => {
    const rows: LoginAggregate[] = [
      api('sync', 'Jitterbit', 5, '2026-10-01T00:00:00.000Z'),
      {
        userId: 'sync',
        loginType: 'Partner Product',
        application: 'Jitterbit',
        count: 7,
        last: '2026-11-05T00:00:00.000Z',
      },
    ];
    const [c] = run([user('sync')], rows);
    expect(c.apps).to.have.length(1);
    expect(c.apps[0].logins).to.equal(12);
    expect(c.apps[0].lastLogin).to.equal('2026-11-05T00:00:00.000Z');
    expect(c.apps[0].loginTypes).to.deep.equal(['Remote Access 2.0', 'Partner Product']);
    expect(c.lastApiLogin).to.equal('2026-11-05T00:00:00.000Z');
  });

  it('marks a user with several apps as shared, with one create command per app', () => {
    const [c] = run(
      [user('integrations')],
      [api('integrations', 'Marketo'), api('integrations', 'Data Loader Bulk'), api('integrations', 'Workato')],
    );
    expect(c.class).to.equal('shared-integration');
    expect(c.traits).to.deep.equal(['shared-integration', 'api-only-full-license']);
    expect(c.risks).to.deep.equal(['compromised-credentials', 'untraceable-changes', 'excess-permissions']);
    expect(c.movable).to.be.true;
    expect(c.extraSeats).to.equal(2);
    expect(c.nextCommands).to.deep.equal([
      'sf integration-user create --target-org prod --username data-loader-bulk.integration@acme.com --from-user integrations@acme.com',
      'sf integration-user create --target-org prod --username marketo.integration@acme.com --from-user integrations@acme.com',
      'sf integration-user create --target-org prod --username workato.integration@acme.com --from-user integrations@acme.com',
    ]);
  });

  it('marks a person mixing UI and API logins: not movable, all four risks, one new user per app', () => {
    const [c] = run([user('bob')], [ui('bob', 30), api('bob', 'Zapier', 4)]);
    expect(c.class).to.equal('person-and-integration');
    expect(c.traits).to.deep.equal(['person-and-integration']);
    expect(c.risks).to.deep.equal([
      'compromised-credentials',
      'untraceable-changes',
      'excess-permissions',
      'offboarding-breaks-integration',
    ]);
    expect(c.movable).to.be.false;
    expect(c.extraSeats).to.equal(1);
    expect(c.uiLogins).to.equal(30);
    expect(c.nextCommands).to.have.length(1);
    expect(c.nextCommands[0]).to.contain('--username zapier.integration@acme.com --from-user bob@acme.com');
  });

  it('classifies an API-only System Administrator as an admin integration', () => {
    const [c] = run([user('admin-int', { profileName: 'System Administrator' })], [api('admin-int', 'Informatica')]);
    expect(c.class).to.equal('admin-integration');
    expect(c.traits).to.deep.equal(['admin-integration', 'api-only-full-license']);
    expect(c.risks).to.deep.equal(['compromised-credentials', 'excess-permissions']);
    expect(c.movable).to.be.true;
  });

  it('a custom profile with Modify All Data is an admin profile too', () => {
    const [c] = run([user('cust', { profileName: 'Integration Admin', modifyAllData: true })], [api('cust', 'Boomi')]);
    expect(c.class).to.equal('admin-integration');
    const [d] = run([user('std', { modifyAllData: false })], [api('std', 'Boomi')]);
    expect(d.class).to.equal('api-only-full-license');
  });

  it('ignores OAuth tokens of Salesforce mobile apps', () => {
    const tokens: OauthTokenRow[] = [
      { userId: 'p', appName: 'Salesforce for iOS', lastUsedDate: '2026-11-20T00:00:00.000Z', useCount: 9 },
    ];
    expect(run([user('p')], [ui('p')], tokens)).to.deep.equal([]);
  });

  it('an admin who also logs in through the browser is a person first, admin second', () => {
    const [c] = run([user('root', { profileName: 'System Administrator' })], [ui('root'), api('root', 'Workbench')]);
    expect(c.class).to.equal('person-and-integration');
    expect(c.traits).to.deep.equal(['person-and-integration', 'admin-integration']);
    expect(c.movable).to.be.false;
  });

  it('lists users already on the Integration license, with no command when they run one app', () => {
    const u = user('int', {
      userLicenseName: 'Salesforce Integration',
      profileName: 'Minimum Access - API Only Integrations',
    });
    const idle = user('idle-int', { userLicenseName: 'Salesforce Integration' });
    const out = run([u, idle], [api('int', 'MuleSoft')]);
    expect(out.map((c) => [c.username, c.class, c.movable, c.nextCommands.length, c.risks.length])).to.deep.equal([
      ['idle-int@acme.com', 'integration-license', false, 0, 0],
      ['int@acme.com', 'integration-license', false, 0, 0],
    ]);
  });

  it('an Integration-license user shared by two apps is shared, not movable, and needs one more seat', () => {
    const u = user('int', { userLicenseName: 'Salesforce Integration' });
    const [c] = run([u], [api('int', 'A'), api('int', 'B')]);
    expect(c.class).to.equal('shared-integration');
    expect(c.traits).to.deep.equal(['shared-integration', 'integration-license']);
    expect(c.movable).to.be.false;
    expect(c.extraSeats).to.equal(1);
    expect(c.nextCommands).to.have.length(2);
  });

  it('counts recent OAuth tokens as apps and ignores stale ones', () => {
    const tokens: OauthTokenRow[] = [
      { userId: 'svc', appName: 'Tableau', lastUsedDate: '2026-11-20T00:00:00.000Z', useCount: 55 },
      { userId: 'svc', appName: 'Old Tool', lastUsedDate: '2025-01-01T00:00:00.000Z', useCount: 3 },
      { userId: 'svc', appName: 'Never', useCount: 0 },
    ];
    const [c] = run([user('svc')], [api('svc', 'Tableau', 2)], tokens);
    expect(c.apps).to.deep.equal([
      {
        app: 'Tableau',
        logins: 2,
        lastLogin: '2026-11-01T00:00:00.000Z',
        loginTypes: ['Remote Access 2.0'],
        tokenUseCount: 55,
        tokenLastUsed: '2026-11-20T00:00:00.000Z',
      },
    ]);
    expect(c.class).to.equal('api-only-full-license');
  });

  it('a token alone makes a candidate, with a note when LoginHistory was not readable', () => {
    const tokens: OauthTokenRow[] = [
      { userId: 'svc', appName: 'Tableau', lastUsedDate: '2026-11-20T00:00:00.000Z', useCount: 1 },
    ];
    const [c] = run([user('svc')], [], tokens, { loginHistoryRead: false });
    expect(c.class).to.equal('api-only-full-license');
    expect(c.apiLogins).to.equal(0);
    expect(c.notes).to.have.length(1);
  });

  it('skips inactive users and login rows of users it does not know', () => {
    const out = run([user('gone', { isActive: false })], [api('gone', 'X'), api('stranger', 'Y')]);
    expect(out).to.deep.equal([]);
  });

  it('treats mobile app logins as a person, and other login types as neither', () => {
    expect(loginKind('Remote Access 2.0', 'Salesforce for iOS')).to.equal('ui');
    expect(loginKind('Remote Access 2.0', 'Marketo')).to.equal('api');
    expect(loginKind('Other Apex API')).to.equal('api');
    expect(loginKind('Partner Product', 'Workbench')).to.equal('api');
    expect(loginKind('SAML Sp-Initiated SSO')).to.equal('ui');
    expect(loginKind('Application', 'Browser')).to.equal('ui');
    expect(loginKind('Chatter Communities External User')).to.equal('other');
    const out = run(
      [user('m')],
      [{ userId: 'm', loginType: 'Remote Access 2.0', application: 'Salesforce for Android', count: 9 }],
    );
    expect(out).to.deep.equal([]);
  });

  it('names blank applications after their login type', () => {
    const [c] = run([user('soap')], [{ userId: 'soap', loginType: 'Partner Product', application: 'N/A', count: 1 }]);
    expect(c.apps[0].app).to.equal('(unnamed Partner Product client)');
    expect(c.nextCommands[0]).to.contain('--username soap.integration@acme.com');
    const [shared] = run([user('s2')], [{ userId: 's2', loginType: 'Other Apex API', count: 1 }, api('s2', 'X')]);
    expect(shared.nextCommands[0]).to.contain('--username other-apex-api.integration@acme.com');
  });

  it('orders candidates by class severity then username', () => {
    const out = run(
      [user('z-api'), user('a-api'), user('person'), user('int', { userLicenseName: 'Salesforce Integration' })],
      [api('z-api', 'A'), api('a-api', 'A'), ui('person'), api('person', 'B')],
    );
    expect(out.map((c) => c.username)).to.deep.equal([
      'person@acme.com',
      'a-api@acme.com',
      'z-api@acme.com',
      'int@acme.com',
    ]);
  });

  it('avoids suggesting the existing username and duplicate usernames', () => {
    const u = user('x', { username: 'marketo.integration@acme.com' });
    const [c] = run([u], [api('x', 'Marketo'), api('x', 'marketo!')]);
    expect(c.nextCommands.map((s) => s.split(' ')[6])).to.deep.equal([
      'marketo-2.integration@acme.com',
      'marketo-3.integration@acme.com',
    ]);
    const [d] = run([user('y', { username: 'y.integration' })], [api('y', 'A')]);
    expect(d.nextCommands[0]).to.contain('--username y.integration.integration@example.com');
  });

  it('quotes shell arguments that need it and slugs app names', () => {
    expect(shellQuote('my org')).to.equal("'my org'");
    expect(shellQuote("it's")).to.equal("'it'\\''s'");
    expect(shellQuote('a.b@c.com')).to.equal('a.b@c.com');
    expect(slug('  Data Loader (Bulk) ')).to.equal('data-loader-bulk');
    expect(slug('!!!')).to.equal('app');
    const [c] = run([user('s')], [api('s', 'A')], [], { targetOrg: 'my org' });
    expect(c.nextCommands[0]).to.contain("--target-org 'my org'");
  });
});
