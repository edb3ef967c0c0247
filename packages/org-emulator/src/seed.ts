/** JSON-describable seed of one emulated org. Every property is optional. */
import type { CustomObjectSeed } from './schema.js';
import type { EventLogFileSeed } from './event-log-files.js';

export type OrgType = 'production' | 'sandbox' | 'scratch';

export type PermissionSetSeed = {
  name: string;
  label?: string;
  description?: string;
  /** a PermissionSetLicense DeveloperName or a UserLicense Name */
  license?: string;
  userPermissions?: string[];
  objectPermissions?: Array<{
    object: string;
    allowCreate?: boolean;
    allowDelete?: boolean;
    allowEdit?: boolean;
    allowRead?: boolean;
    modifyAllRecords?: boolean;
    viewAllFields?: boolean;
    viewAllRecords?: boolean;
  }>;
  fieldPermissions?: Array<{ field: string; readable?: boolean; editable?: boolean }>;
  /** any other PermissionSet metadata section by element name, e.g. { classAccesses: [{ apexClass: 'X', enabled: true }], tabSettings: [...] } */
  sections?: Record<string, Array<Record<string, string | boolean>>>;
};

/** A permission set group: its component permission sets and, optionally, a muting permission set. */
export type PermissionSetGroupSeed = {
  /** DeveloperName */
  name: string;
  label?: string;
  /** permission set Names */
  permissionSets: string[];
  /** the group's MutingPermissionSet (its own sObject, not a PermissionSet): what it grants is removed from the group's access */
  muting?: Omit<PermissionSetSeed, 'license' | 'sections'>;
};

export type UserSeed = {
  username: string;
  lastName?: string;
  firstName?: string;
  email?: string;
  alias?: string;
  /** profile Name */
  profile?: string;
  /** role DeveloperName or Name */
  role?: string;
  isActive?: boolean;
  /** permission set Names to assign */
  permissionSets?: string[];
  /** permission set group DeveloperNames to assign */
  permissionSetGroups?: string[];
  /** permission set license DeveloperNames to assign */
  permissionSetLicenses?: string[];
  lastLoginDate?: string;
};

export type EmulatorSeed = {
  name?: string;
  type?: OrgType;
  /** Organization.OrganizationType, e.g. 'Enterprise Edition' (default 'Developer Edition') */
  edition?: string;
  instanceName?: string;
  /** My Domain name (default 'emu' + org number): the org's host name, as the identity response's urls.custom_domain gives it */
  myDomain?: string;
  /** a sandbox's name (type 'sandbox'), appended to usernames by a refresh and part of the My Domain host */
  sandboxName?: string;
  namespacePrefix?: string | null;
  /** maximum API version served (default '66.0', the newest of the reference data) */
  maxApiVersion?: string;
  admin?: { username?: string; firstName?: string; lastName?: string; email?: string };
  /** name the integration profile 'Salesforce API Only System Integrations' (older orgs) */
  legacyIntegrationProfile?: boolean;
  /** seat totals of the built-in licenses */
  licenses?: { salesforce?: number; integration?: number; integrationPsl?: number; platform?: number };
  /** extra user licenses */
  userLicenses?: Array<{ name: string; total?: number; masterLabel?: string }>;
  /** extra permission set licenses */
  permissionSetLicenses?: Array<{
    developerName: string;
    masterLabel?: string;
    total?: number;
    maximumPermissions?: string[];
  }>;
  /** user permissions SalesforceAPIIntegrationPsl allows (MaximumPermissions* = true) */
  integrationPslPermissions?: string[];
  /** extra user permission names the org knows (Permissions* fields) */
  userPermissions?: string[];
  /**
   * extra profiles, or content for a built-in one (same name). `metadataXml` / `metadataFile` (a .profile file,
   * relative to the seed file) give its whole metadata; the org's schema then includes the objects, fields and
   * user permissions the profile names, as the org it came from did.
   */
  profiles?: Array<{
    name: string;
    userLicense?: string;
    userPermissions?: string[];
    metadataXml?: string;
    metadataFile?: string;
  }>;
  roles?: Array<{ name: string; developerName?: string; parentRole?: string }>;
  users?: UserSeed[];
  permissionSets?: PermissionSetSeed[];
  permissionSetGroups?: PermissionSetGroupSeed[];
  /** a permission set or a permission set group (DeveloperName) per row */
  permissionSetAssignments?: Array<{ username: string; permissionSet?: string; permissionSetGroup?: string }>;
  /**
   * custom objects, or extra custom fields on standard objects (name of a standard object); a field may be
   * `required`, a `formula` (read-only, calculated) or a `masterDetail` reference (required)
   */
  objects?: CustomObjectSeed[];
  loginHistory?: Array<{
    username: string;
    loginTime: string;
    loginType?: string;
    loginSubType?: string;
    application?: string;
    apiType?: string;
    apiVersion?: string;
    sourceIp?: string;
    status?: string;
  }>;
  oauthTokens?: Array<{
    username: string;
    appName: string;
    lastUsedDate?: string;
    useCount?: number;
    createdDate?: string;
  }>;
  /** EventLogFile rows with their LogFile CSVs (API usage logs: ApiTotalUsage, API, RestApi …) */
  eventLogFiles?: EventLogFileSeed[];
  /** arbitrary rows, e.g. { Account: [{ Name: 'Acme' }] } */
  records?: Record<string, Array<Record<string, unknown>>>;
  /** SOQL page size (default 2000) */
  queryPageSize?: number;
  /** objects the running (API) user cannot read, e.g. ['LoginHistory'] (no Manage Users): answered as unknown types */
  unreadableObjects?: string[];
  /** what a /composite allOrNone transaction refuses as mixed DML (OrgConfig.compositeMixedDml) */
  compositeMixedDml?: 'setup-with-non-setup' | 'any-setup-mix';
  /**
   * What the org does about `<OauthSettingsName>_defaultPolicy`, the OAuth policies it generates for an External
   * Client App deployed without any (docs/salesforce-behaviour.md, "External Client Apps"; which one real orgs do
   * when policies are deployed under another name is unconfirmed, so tests run the plugin against each):
   * - 'whenAbsent' (default): generated only when the deploy creating the OAuth settings carries no policies for the app;
   * - 'beside': always generated; policies deployed under another name stand beside it;
   * - 'merged': always generated, and policies deployed under another name are stored in it (no record of their own).
   */
  ecaDefaultOauthPolicy?: 'whenAbsent' | 'beside' | 'merged';
  /** how many checkDeployStatus polls answer "InProgress" before a deploy completes (default 0) */
  deployPolls?: number;
  /** how many checkRetrieveStatus polls answer "InProgress" before a retrieve completes (default 0) */
  retrievePolls?: number;
};
