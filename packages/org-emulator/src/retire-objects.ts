/**
 * The objects `retire` reads and writes that the hand-written schema lacked: UserLogin (freeze), AuthSession
 * (sessions), and where "what runs as this user" is read (CronTrigger/CronJobDetail, AsyncApexJob, Dashboard,
 * EmailServicesAddress, WorkflowOutboundMessage on Tooling, ExtlClntAppOauthPlcyCnfg). Fields and supported calls
 * follow the Object Reference; each object with its evidence is in data/sobjects-supplement.json (or, for AuthSession
 * and Dashboard, in shared/reference/salesforce/sobjects.json). Rows that Salesforce keeps for every user (UserLogin)
 * or derives from other state (an OauthToken's DeleteToken, an External Client App's policy) are filled in when
 * their table is read, so fixtures and seeds need not know about them.
 */
import { randomBytes } from 'node:crypto';
import type { ObjectDef, StdSpec } from './schema.js';
import type { OrgState, Rec } from './state.js';
import { externalClientApps } from './external-client-apps.js';

const LAST_MODIFIED = ['LastModifiedDate:datetime!', 'LastModifiedById:reference:User/LastModifiedBy!'];
const AUDIT_READ_ONLY = ['CreatedDate:datetime!', 'CreatedById:reference:User/CreatedBy!', ...LAST_MODIFIED];

export const RETIRE_SPECS: Record<string, StdSpec> = {
  // supported calls: describeSObjects, query, retrieve, update (no create, no delete); UserId can't be updated
  UserLogin: { prefix: '060', audit: false, noDelete: true, fields: ['UserId:reference:User!', 'IsFrozen:boolean', 'IsPasswordLocked:boolean', ...LAST_MODIFIED] },
  // supported calls: delete, describeSObjects, query, retrieve
  AuthSession: {
    prefix: '0Ak',
    readOnly: true,
    audit: false,
    fields: ['UsersId:reference:User/Users', 'SessionType', 'LoginType', 'SourceIp', 'LoginHistoryId:reference:LoginHistory', 'NumSecondsValid:int', 'IsCurrent:boolean',
      'ParentId:reference:AuthSession/Parent', 'SessionSecurityLevel', 'UserType', 'LogoutUrl', 'CreatedDate:datetime', 'LastModifiedDate:datetime'],
  },
  CronJobDetail: { prefix: '08a', readOnly: true, audit: false, fields: ['Name', 'JobType:picklist'] },
  CronTrigger: {
    prefix: '08e',
    readOnly: true,
    audit: false,
    fields: ['CronExpression', 'CronJobDetailId:reference:CronJobDetail', 'EndTime:datetime', 'NextFireTime:datetime', 'OwnerId:reference:User/Owner', 'PreviousFireTime:datetime',
      'StartTime:datetime', 'State', 'TimeZoneSidKey', 'TimesTriggered:int', ...AUDIT_READ_ONLY],
  },
  AsyncApexJob: {
    prefix: '707',
    readOnly: true,
    audit: false,
    fields: ['ApexClassId:reference:ApexClass', 'CompletedDate:datetime', 'CronTriggerId:reference:CronTrigger', 'ExtendedStatus', 'JobItemsProcessed:int', 'JobType:picklist', 'MethodName',
      'NumberOfErrors:int', 'Status:picklist', 'TotalJobItems:int', 'CreatedDate:datetime', 'CreatedById:reference:User/CreatedBy'],
  },
  // read-only through the API
  Dashboard: {
    prefix: '01Z',
    readOnly: true,
    audit: false,
    fields: ['Title', 'DeveloperName', 'FolderId', 'FolderName', 'RunningUserId:reference:User/RunningUser', 'Type:picklist', 'NamespacePrefix', ...AUDIT_READ_ONLY],
  },
  EmailServicesAddress: {
    prefix: '093',
    fields: ['LocalPart', 'EmailDomainName', 'DeveloperName', 'FunctionId', 'IsActive:boolean', 'RunAsUserId:reference:User/RunAsUser', 'AuthorizedSenders:textarea'],
  },
  WorkflowOutboundMessage: {
    prefix: '04k',
    tooling: true,
    toolingOnly: true,
    readOnly: true,
    audit: false,
    fields: ['Name', 'EntityDefinitionId', 'IntegrationUserId:reference:User/IntegrationUser', 'ApiVersion:double', 'NamespacePrefix'],
  },
  // read-only view of each External Client App's OAuth policies (the org fills it from the deployed metadata)
  ExtlClntAppOauthPlcyCnfg: {
    prefix: '0xP',
    readOnly: true,
    audit: false,
    fields: ['ExternalClientApplicationId', 'DeveloperName', 'MasterLabel', 'IsClientCredentialsFlowEnabled:boolean', 'ClientCredentialsFlowUser:email', 'ExecuteHandlerAsId:reference:User/ExecuteHandlerAs',
      'PermittedUsersPolicyType:picklist'],
  },
};

/** Salesforce's supported calls beyond what a StdSpec says: UserLogin has no create, AuthSession can be deleted. */
export function adjustRetireObjects(get: (name: string) => ObjectDef | undefined): void {
  const userLogin = get('UserLogin');
  if (userLogin) userLogin.createable = false;
  const session = get('AuthSession');
  if (session) session.deletable = true;
}

/** Called when a table is read: fills in the rows Salesforce keeps derived from other state. */
export function syncDerivedRows(org: OrgState, key: string, table: Map<string, Rec>): void {
  if (key === 'userlogin') syncUserLogins(org, table);
  else if (key === 'oauthtoken') {
    for (const t of table.values()) if (!t.DeleteToken) t.DeleteToken = newDeleteToken();
  } else if (key === 'extlclntappoauthplcycnfg') syncEcaPolicies(org, table);
}

/** Every user has exactly one UserLogin; a new one is not frozen and was last modified when the user was created. */
function syncUserLogins(org: OrgState, table: Map<string, Rec>): void {
  const users = org.table('User');
  if (table.size === users.size) return;
  const have = new Set([...table.values()].map((r) => r.UserId));
  for (const u of users.values()) {
    if (have.has(u.Id)) continue;
    const id = org.ctx.ids.next('060');
    table.set(id, { Id: id, UserId: u.Id, IsFrozen: false, IsPasswordLocked: false, LastModifiedDate: u.CreatedDate ?? Date.now(), LastModifiedById: org.adminUserId || u.Id });
  }
}

/** One policy row per deployed ExtlClntAppOauthConfigurablePolicies, with its client credentials execution user. */
function syncEcaPolicies(org: OrgState, table: Map<string, Rec>): void {
  // rebuilt on each read: the deployed metadata is the truth
  table.clear();
  for (const eca of externalClientApps(org).values()) {
    if (eca.type !== 'ExtlClntAppOauthConfigurablePolicies') continue;
    const app = [...externalClientApps(org).values()].find((a) => a.type === 'ExternalClientApplication' && a.fullName === eca.values.externalClientApplication);
    table.set(eca.id, {
      Id: eca.id,
      ExternalClientApplicationId: app?.id ?? null,
      DeveloperName: eca.fullName,
      MasterLabel: eca.values.label ?? eca.fullName,
      IsClientCredentialsFlowEnabled: eca.values.isClientCredentialsFlowEnabled === 'true',
      ClientCredentialsFlowUser: eca.values.clientCredentialsFlowUser ?? null,
      ExecuteHandlerAsId: null,
      PermittedUsersPolicyType: eca.values.permittedUsersPolicyType ?? null,
    });
  }
}

/** An opaque value that `/services/oauth2/revoke?token=` accepts to revoke the token (never shown elsewhere). */
export function newDeleteToken(): string {
  return randomBytes(24).toString('base64url');
}
