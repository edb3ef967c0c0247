/**
 * What the Salesforce API Integration permission set license (PSL) can carry: the one documented table of
 * license rules used when converting profiles (offline default).
 *
 * Salesforce publishes no list of the user permissions the PSL allows. The org knows it exactly
 * (PermissionSetLicense.MaximumPermissions<Name>), so every rule that depends on it is injectable:
 * `convertToIntegrationPermissionSets(..., { licensedUserPermissions })` replaces
 * {@link PSL_USER_PERMISSIONS} with the org's answer. The other tables are judgments about API-only users and
 * stay in force either way.
 *
 * Every entry cites its source (RULE_SOURCES below). A permission is classified on what a source says it does,
 * never on what its API name seems to say: where no source says what a permission does, it is not UI-only, it is
 * carried. Admin-facing labels (what Setup shows) are in permission-labels.json, each with its own source.
 */
import { sectionsTo } from './registry.js';

/** Where a table entry comes from: a document or file, and what in it. */
export const RULE_SOURCES = {
  'PS-2C9': {
    where: '../shared/corpus/permsets/Epic-ATS__NightlyBackup__TwoCloudNineIntegrationUser.permissionset-meta.xml',
    what: 'a permission set retrieved from a real org with <license>SalesforceAPIIntegrationPsl</license> and 59 enabled user permissions: 59 permissions an org accepted under that license',
  },
  REF: {
    where: '../shared/reference/integration-users.md, "Licenses"',
    what: 'API access is inherent to the Salesforce Integration user license; ApiEnabled and ApiUserOnly are set and locked on its profile',
  },
  'PROF-INT': {
    where:
      '../shared/corpus/profiles/GSA__SF_WorkSpace__Salesforce API Only System Integrations.profile-meta.xml and ArlanisSOU__edenred-fullcopy__Salesforce API Only System Integrations.profile-meta.xml',
    what: 'profiles of the Salesforce Integration user license, each enabling exactly ApiEnabled, ApiUserOnly and ChatterInternalUser',
  },
  'SF-HELP-LEX': {
    where: 'https://help.salesforce.com/s/articleView?id=xcloud.lex_enable_users.htm&language=en_US&type=5',
    what: 'users get Lightning Experience (the user interface) "via the Lightning Experience User permission"',
  },
  'SF-HELP-CONSOLE': {
    where: 'https://help.salesforce.com/s/articleView?id=service.console_lex_access.htm&language=en_US&type=5',
    what: '"To access and use a Lightning console app, users must have the Lightning Console User permission and their profile must be added to the Lightning console app."',
  },
  'SF-KB-005232535': {
    where: 'https://help.salesforce.com/s/articleView?id=005232535&type=1',
    what: 'an Experience site shows a member\'s company name instead of the site role when the viewing user has "Show Company Name as Site Role": a display setting',
  },
  'BLOG-SEENBY': {
    where: "https://sfblog.markhammer.net/entry/2019/11/12/100000 (third party, Winter '20)",
    what: 'Hide the Seen By List: the viewing user sees only a view count under Chatter posts in Lightning Experience; display only (no Salesforce source found)',
  },
  'SF-FIELDREF-67': {
    where:
      'https://developer.salesforce.com/docs/atlas.en-us.sfFieldRef.meta/sfFieldRef/salesforce_field_reference_MutingPermissionSet.htm (API 67.0)',
    what: 'the Field Name | Field Label table of every Permissions<Name> field: the label names what the permission allows',
  },
  'SF-HELP-005321563': {
    where: 'https://help.salesforce.com/s/articleView?id=005321563&type=1',
    what: '"Salesforce is enforcing phishing-resistant Multi-Factor Authentication (MFA) for all users with the System Administrator profile, Modify All Data, View All Data, Customize Application, or Author Apex permissions": Salesforce\'s own privileged set',
  },
  'AUDITFIELDS-3P': {
    where:
      'third-party probe report in the public code index (file id 67363862249); Salesforce Help names the permission "Set Audit Fields upon Record Creation"',
    what: 'PermissionsCreateAuditFields is "Set Audit Fields upon Record Creation": lets the user set CreatedBy, CreatedDate, LastModifiedBy, LastModifiedDate on insert',
  },
  NONE: {
    where: '(no source found)',
    what: 'no source ties this API name to what it does; kept only where keeping it is the cautious choice (a warning), never to drop access',
  },
} as const satisfies Record<string, { where: string; what: string }>;

export type RuleSource = keyof typeof RULE_SOURCES;

/**
 * User permissions the PSL carries: all 59 enabled in [PS-2C9]. An org accepted every one of them under the PSL,
 * so a licensed permission set holding them deploys and can be assigned to an integration user.
 */
export const PSL_USER_PERMISSIONS_TABLE: Readonly<Record<string, RuleSource>> = Object.freeze(
  Object.fromEntries(
    [
      // reports, dashboards, filters [PS-2C9]
      'CreateCustomizeDashboards',
      'CreateCustomizeFilters',
      'CreateCustomizeReports',
      'CreateDashboardFolders',
      'CreateReportFolders',
      'EditMyDashboards',
      'EditMyReports',
      'EditPublicFilters',
      'ManageDashbdsInPubFolders',
      'ManageReportsInPubFolders',
      'RunReports',
      'ViewPublicDashboards',
      'ViewPublicReports',
      // records and data [PS-2C9]
      'ConvertLeads',
      'EditEvent',
      'EditTask',
      'ImportLeads',
      'ModifyAllData',
      'SolutionImport',
      'TransferAnyEntity',
      'TransferAnyLead',
      'UseTeamReassignWizards',
      'ViewAllData',
      // topics and content [PS-2C9]
      'AssignTopics',
      'CreateTopics',
      'DeleteTopics',
      'EditTopics',
      'EditBrandTemplates',
      'EditHtmlTemplates',
      'EditPublicDocuments',
      'EditPublicTemplates',
      'ManageCategories',
      // users, security and access administration [PS-2C9]
      'AssignPermissionSets',
      'DelegatedTwoFactor',
      'FreezeUsers',
      'ManageInternalUsers',
      'ManageIpAddresses',
      'ManageLoginAccessPolicies',
      'ManagePasswordPolicies',
      'ManageProfilesPermissionsets',
      'ManageRoles',
      'ManageSessionPermissionSets',
      'ManageSharing',
      'ManageUsers',
      'MonitorLoginHistory',
      'PasswordNeverExpires',
      'ResetPasswords',
      'ViewAllUsers',
      'ViewEventLogFiles',
      'ViewRoles',
      // setup and metadata [PS-2C9]
      'ConnectOrgToEnvironmentHub',
      'CustomizeApplication',
      'InstallPackaging',
      'ManageCustomPermissions',
      'ManageNetworks',
      'ManageSandboxes',
      'ModifyMetadata',
      'ViewDeveloperName',
      'ViewSetup',
    ].map((name): [string, RuleSource] => [name, 'PS-2C9']),
  ),
);

/** Default set of user permissions the PSL carries (offline). */
export const PSL_USER_PERMISSIONS: ReadonlySet<string> = new Set(Object.keys(PSL_USER_PERMISSIONS_TABLE));

/**
 * User permissions every integration user already has through the Salesforce Integration user license and its
 * profile: a permission set need not (and should not) grant them again.
 */
export const INHERENT_USER_PERMISSIONS: Readonly<Record<string, { source: RuleSource; reason: string }>> = {
  ApiEnabled: { source: 'REF', reason: 'API access is inherent to the Salesforce Integration user license' },
  ApiUserOnly: { source: 'REF', reason: 'integration users are API only through their profile' },
  ChatterInternalUser: {
    source: 'PROF-INT',
    reason: 'enabled on the Salesforce Integration profile itself (seen on both retrieved integration profiles)',
  },
};

/**
 * User permissions that only change the Salesforce user interface, each with the source saying so: they do nothing
 * for an API-only user. Omitted, or put in the companion set with `--include-ui`. A permission with no such source
 * is carried (EnableNotifications is Send Outbound Messages, an API-side capability: it is not here).
 */
export const UI_ONLY_USER_PERMISSIONS: Readonly<Record<string, { source: RuleSource; what: string }>> = {
  HideReadByList: { source: 'BLOG-SEENBY', what: 'hides the "seen by" list under Chatter posts from the viewing user' },
  LightningConsoleAllowedForUser: {
    source: 'SF-HELP-CONSOLE',
    what: 'lets the user open Lightning console apps in the browser',
  },
  LightningExperienceUser: { source: 'SF-HELP-LEX', what: 'gives the user the Lightning Experience interface' },
  ShowCompanyNameAsUserBadge: {
    source: 'SF-KB-005232535',
    what: 'shows company names instead of site roles to the viewing user of an Experience site',
  },
};

/**
 * High-risk user permissions: carried when the profile grants them, but flagged, since an integration holding them
 * can read or change everything, or change who can. Whether the license carries them does not matter here. Each
 * cites what says what the permission does (its Setup label, SF-FIELDREF-67) and, where Salesforce calls it
 * privileged, that source too. UpdateWithInactiveOwner has no source (no label found): it stays flagged, since a
 * warning too many costs less than one too few.
 */
export const HIGH_RISK_USER_PERMISSION_RULES: Readonly<
  Record<string, { reason: string; sources: readonly RuleSource[] }>
> = {
  AssignPermissionSets: { reason: 'can assign any permission set, including to itself', sources: ['SF-FIELDREF-67'] },
  AuthorApex: {
    reason: 'can write and run Apex, which runs in system mode',
    sources: ['SF-FIELDREF-67', 'SF-HELP-005321563'],
  },
  BulkApiHardDelete: {
    reason: 'can delete records permanently, bypassing the recycle bin',
    sources: ['SF-FIELDREF-67'],
  },
  CreateAuditFields: { reason: 'can forge CreatedBy/LastModifiedBy audit fields', sources: ['AUDITFIELDS-3P'] },
  CustomizeApplication: {
    reason: 'can change the org setup and metadata',
    sources: ['SF-FIELDREF-67', 'SF-HELP-005321563'],
  },
  DelegatedTwoFactor: {
    reason: 'can manage multi-factor authentication for users in the user interface',
    sources: ['SF-FIELDREF-67'],
  },
  EditReadonlyFields: { reason: 'can edit read-only fields', sources: ['SF-FIELDREF-67'] },
  FreezeUsers: { reason: 'can freeze users', sources: ['SF-FIELDREF-67'] },
  InstallPackaging: { reason: 'can install and uninstall packages', sources: ['SF-FIELDREF-67'] },
  ManageAuthProviders: { reason: 'can change authentication providers', sources: ['SF-FIELDREF-67'] },
  ManageCertificates: { reason: 'can manage certificates and keys', sources: ['SF-FIELDREF-67'] },
  ManageEncryptionKeys: { reason: 'can manage encryption keys', sources: ['SF-FIELDREF-67'] },
  ManageInternalUsers: { reason: 'can create and edit internal users', sources: ['SF-FIELDREF-67'] },
  ManageIpAddresses: { reason: 'can change trusted IP ranges', sources: ['SF-FIELDREF-67'] },
  ManageLoginAccessPolicies: { reason: 'can change login access policies', sources: ['SF-FIELDREF-67'] },
  ManagePasswordPolicies: { reason: 'can change password policies', sources: ['SF-FIELDREF-67'] },
  ManageProfilesPermissionsets: { reason: 'can change any profile or permission set', sources: ['SF-FIELDREF-67'] },
  ManageRemoteAccess: { reason: 'can manage connected apps', sources: ['SF-FIELDREF-67'] },
  ManageRoles: { reason: 'can change the role hierarchy (record access)', sources: ['SF-FIELDREF-67'] },
  ManageSandboxes: { reason: 'can create and refresh sandboxes', sources: ['SF-FIELDREF-67'] },
  ManageSessionPermissionSets: { reason: 'can activate session-based permission sets', sources: ['SF-FIELDREF-67'] },
  ManageSharing: { reason: 'can change sharing rules and org-wide defaults', sources: ['SF-FIELDREF-67'] },
  ManageTwoFactor: { reason: 'can manage multi-factor authentication through the API', sources: ['SF-FIELDREF-67'] },
  ManageUsers: { reason: 'can create, edit and deactivate users and reset passwords', sources: ['SF-FIELDREF-67'] },
  ModifyAllData: {
    reason: 'can read, edit and delete all records of every object',
    sources: ['SF-FIELDREF-67', 'SF-HELP-005321563'],
  },
  ModifyMetadata: { reason: 'can change any metadata through the Metadata API', sources: ['SF-FIELDREF-67'] },
  PasswordNeverExpires: { reason: 'password never expires', sources: ['SF-FIELDREF-67'] },
  ResetPasswords: { reason: "can reset users' passwords", sources: ['SF-FIELDREF-67'] },
  TransferAnyEntity: { reason: 'can change the owner of any record', sources: ['SF-FIELDREF-67'] },
  UpdateWithInactiveOwner: { reason: 'can update records owned by inactive users', sources: ['NONE'] },
  ViewAllData: { reason: 'can read all records of every object', sources: ['SF-FIELDREF-67', 'SF-HELP-005321563'] },
  ViewAllUsers: { reason: 'can see every user', sources: ['SF-FIELDREF-67'] },
  ViewEncryptedData: { reason: 'can see encrypted field values in clear text', sources: ['SF-FIELDREF-67'] },
  ViewEventLogFiles: { reason: 'can read event monitoring logs of all users', sources: ['SF-FIELDREF-67'] },
};

/** Reason per high-risk permission (what an integration holding it can do). */
export const HIGH_RISK_USER_PERMISSIONS: Readonly<Record<string, string>> = Object.freeze(
  Object.fromEntries(Object.entries(HIGH_RISK_USER_PERMISSION_RULES).map(([name, rule]) => [name, rule.reason])),
);

/** Profile sections (element names) and what becomes of them. */
export const SECTION_RULES = {
  /** carried by the licensed permission set */
  licensed: sectionsTo('licensed'),
  /** valid in a permission set but not known to be carried by the PSL: companion set */
  companion: sectionsTo('companion'),
  /** user-interface access: omitted, or companion with --include-ui (a profile's tabVisibilities become tabSettings) */
  ui: [...sectionsTo('ui'), 'tabVisibilities'],
  /** profile-only elements with no permission set equivalent */
  profileOnly: [
    'categoryGroupVisibilities',
    'layoutAssignments',
    'loginFlows',
    'loginHours',
    'loginIpRanges',
    'profileActionOverrides',
  ],
} as const;

export const PROFILE_ONLY_REASONS: Readonly<Record<string, string>> = {
  categoryGroupVisibilities: 'data category visibility is a profile setting with no permission set equivalent',
  layoutAssignments: 'page layout assignment is a profile setting; layouts do not apply to API access',
  loginFlows: 'login flows are a profile setting and run only on UI logins',
  loginHours: 'login hours are a profile setting with no permission set equivalent',
  loginIpRanges: 'login IP ranges are a profile setting with no permission set equivalent',
  profileActionOverrides: 'action overrides are a profile setting for the UI',
};
