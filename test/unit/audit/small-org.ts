import { ago, type FakeLogin, type FakeSeed, type FakeToken, type FakeUser } from '../fake-org.js';

export const NOW = new Date();

const u = (
  id: string,
  username: string,
  profile: string,
  license: string,
  extra: Partial<FakeUser> = {},
): FakeUser => ({
  Id: id,
  Username: username,
  Name: username.split('@')[0],
  Profile: { Name: profile, UserLicense: { Name: license } },
  ...extra,
});

/** One user of each class, plus people and idle users that must not show up. */
export const USERS: FakeUser[] = [
  u('005000000000001AAA', 'admin@acme.com', 'System Administrator', 'Salesforce'), // person admin, UI only
  u('005000000000002AAA', 'marketo@acme.com', 'Standard User', 'Salesforce'), // API-only, one app
  u('005000000000003AAA', 'integrations@acme.com', 'Standard User', 'Salesforce'), // shared: 3 apps
  u('005000000000004AAA', 'bob@acme.com', 'Standard User', 'Salesforce'), // person + Zapier
  u('005000000000005AAA', 'etl@acme.com', 'System Administrator', 'Salesforce'), // admin integration
  u('005000000000006AAA', 'mule@acme.com', 'Minimum Access - API Only Integrations', 'Salesforce Integration'), // right already
  u('005000000000007AAA', 'idle@acme.com', 'Standard User', 'Salesforce'), // no logins
  u('005000000000008AAA', 'gone@acme.com', 'Standard User', 'Salesforce', { IsActive: false }), // inactive
  u('005000000000009AAA', 'portal@acme.com', 'Customer Community User', 'Customer Community', {
    UserType: 'PowerCustomerSuccess',
  }),
];

function logins(userId: string, loginType: string, application: string, n: number, firstDay = 1): FakeLogin[] {
  return Array.from({ length: n }, (_, i) => ({
    UserId: userId,
    LoginType: loginType,
    Application: application,
    LoginTime: ago(NOW, firstDay + (i % 20), i % 24),
  }));
}

export const LOGINS: FakeLogin[] = [
  ...logins('005000000000001AAA', 'Application', 'Browser', 12),
  ...logins('005000000000002AAA', 'Remote Access 2.0', 'Marketo', 30),
  ...logins('005000000000003AAA', 'Remote Access 2.0', 'Workato', 5),
  ...logins('005000000000003AAA', 'Partner Product', 'Data Loader', 4),
  ...logins('005000000000003AAA', 'Other Apex API', 'N/A', 2),
  ...logins('005000000000004AAA', 'Application', 'Browser', 8),
  ...logins('005000000000004AAA', 'Remote Access 2.0', 'Zapier', 6),
  ...logins('005000000000005AAA', 'Partner Product', 'Informatica', 9),
  ...logins('005000000000006AAA', 'Remote Access 2.0', 'MuleSoft', 7),
  ...logins('005000000000008AAA', 'Remote Access 2.0', 'Old', 3),
  ...logins('005000000000009AAA', 'Remote Access 2.0', 'Portal App', 3),
  // outside a 90-day period
  ...logins('005000000000007AAA', 'Remote Access 2.0', 'Ancient', 2, 150),
];

export const TOKENS: FakeToken[] = [
  { UserId: '005000000000002AAA', AppName: 'Marketo', LastUsedDate: ago(NOW, 1), UseCount: 400 },
  { UserId: '005000000000007AAA', AppName: 'Stale App', LastUsedDate: ago(NOW, 400), UseCount: 2 },
];

export const smallOrg = (over: Partial<FakeSeed> = {}): FakeSeed => ({
  users: USERS,
  logins: LOGINS,
  tokens: TOKENS,
  userLicense: { TotalLicenses: 5, UsedLicenses: 1 },
  psl: { TotalLicenses: 5, UsedLicenses: 1 },
  now: NOW,
  ...over,
});
