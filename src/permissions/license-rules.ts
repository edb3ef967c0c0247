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
 * Sources cited below:
 * - [PS-2C9] ../shared/corpus/permsets/Epic-ATS__NightlyBackup__TwoCloudNineIntegrationUser.permissionset-meta.xml:
 *   a permission set retrieved from a real org with `<license>SalesforceAPIIntegrationPsl</license>` and 59 enabled
 *   user permissions, i.e. 59 permissions an org accepted under that license.
 * - [REF] ../shared/reference/integration-users.md ("Licenses": API access is inherent to the license, ApiEnabled and
 *   ApiUserOnly are set and locked on the profile).
 * - [PROF-INT] ../shared/corpus/profiles/GSA__SF_WorkSpace__Salesforce API Only System Integrations.profile-meta.xml and
 *   ArlanisSOU__edenred-fullcopy__Salesforce API Only System Integrations.profile-meta.xml: profiles of the
 *   Salesforce Integration user license, each enabling exactly ApiEnabled, ApiUserOnly and ChatterInternalUser.
 * - [HELP] Salesforce Help, "User Permissions and Access" descriptions of the permission (what it does, where).
 */

/** Where a table entry comes from. */
export type RuleSource = 'PS-2C9' | 'REF' | 'PROF-INT' | 'HELP';

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
    ].map((name) => [name, 'PS-2C9' as RuleSource])
  )
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
 * User permissions that only change the Salesforce user interface [HELP]: they do nothing for an API-only user.
 * Omitted, or put in the companion set with `--include-ui`.
 */
export const UI_ONLY_USER_PERMISSIONS: Readonly<Record<string, RuleSource>> = {
  CanUseNewDashboardBuilder: 'HELP', // dashboard builder in the browser
  ChangeDashboardColors: 'HELP', // dashboard colors in the browser
  EnableNotifications: 'HELP', // desktop and mobile notifications
  HideReadByList: 'HELP', // hides the "read by" list on Chatter posts
  LightningConsoleAllowedForUser: 'HELP', // Lightning console apps
  LightningExperienceUser: 'HELP', // switches the user to the Lightning Experience UI
  SelectFilesFromSalesforce: 'HELP', // file picker in the UI
  ShowCompanyNameAsUserBadge: 'HELP', // community badge in the UI
  ViewHelpLink: 'HELP', // the Help link in the UI header
};

/**
 * High-risk user permissions: carried when the profile grants them, but flagged, since an integration holding them
 * can read or change everything, or change who can. Whether the license carries them does not matter here.
 */
export const HIGH_RISK_USER_PERMISSIONS: Readonly<Record<string, string>> = {
  AssignPermissionSets: 'can assign any permission set, including to itself',
  AuthorApex: 'can write and run Apex, which runs in system mode',
  BulkApiHardDelete: 'can delete records permanently, bypassing the recycle bin',
  CreateAuditFields: 'can forge CreatedBy/LastModifiedBy audit fields',
  CustomizeApplication: 'can change the org setup and metadata',
  DelegatedTwoFactor: 'can manage multi-factor authentication for users',
  EditReadonlyFields: 'can edit read-only fields',
  FreezeUsers: 'can freeze users',
  InstallPackaging: 'can install and uninstall packages',
  ManageAuthProviders: 'can change authentication providers',
  ManageCertificates: 'can manage certificates and keys',
  ManageEncryptionKeys: 'can manage encryption keys',
  ManageInternalUsers: 'can create and edit internal users',
  ManageIpAddresses: 'can change trusted IP ranges',
  ManageLoginAccessPolicies: 'can change login access policies',
  ManagePasswordPolicies: 'can change password policies',
  ManageProfilesPermissionsets: 'can change any profile or permission set',
  ManageRemoteAccess: 'can manage connected apps',
  ManageRoles: 'can change the role hierarchy (record access)',
  ManageSandboxes: 'can create and refresh sandboxes',
  ManageSessionPermissionSets: 'can activate session-based permission sets',
  ManageSharing: 'can change sharing rules and org-wide defaults',
  ManageTwoFactor: 'can manage multi-factor authentication',
  ManageUsers: 'can create, edit and deactivate users and reset passwords',
  ModifyAllData: 'can read, edit and delete all records of every object',
  ModifyMetadata: 'can change any metadata through the Metadata API',
  PasswordNeverExpires: 'password never expires',
  ResetPasswords: "can reset users' passwords",
  TransferAnyEntity: 'can change the owner of any record',
  UpdateWithInactiveOwner: 'can update records owned by inactive users',
  ViewAllData: 'can read all records of every object',
  ViewAllUsers: 'can see every user',
  ViewEncryptedData: 'can see encrypted field values in clear text',
  ViewEventLogFiles: 'can read event monitoring logs of all users',
};

/** Profile sections (element names) and what becomes of them. */
export const SECTION_RULES = {
  /** carried by the licensed permission set */
  licensed: [
    'agentAccesses',
    'classAccesses',
    'customMetadataTypeAccesses',
    'customPermissions',
    'customSettingAccesses',
    'externalCredentialPrincipalAccesses',
    'externalDataSourceAccesses',
    'fieldPermissions',
    'flowAccesses',
    'objectPermissions',
    'recordTypeVisibilities',
  ],
  /** valid in a permission set but not known to be carried by the PSL: companion set */
  companion: ['emailRoutingAddressAccesses', 'genComputingSummaryDefAccesses', 'servicePresenceStatusAccesses'],
  /** user-interface access: omitted, or companion with --include-ui */
  ui: ['applicationVisibilities', 'pageAccesses', 'tabSettings', 'tabVisibilities'],
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
