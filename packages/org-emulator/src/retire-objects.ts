/**
 * Rows of the objects `retire` reads and writes: UserLogin (freeze), AuthSession (sessions), and where "what runs as
 * this user" is read (CronTrigger/CronJobDetail, AsyncApexJob, Dashboard, EmailServicesAddress, WorkflowOutboundMessage
 * on Tooling, ExtlClntAppOauthPlcyCnfg). Their fields come from data/sobjects-supplement.json (each with its evidence)
 * or, for AuthSession and Dashboard, ../shared/reference/salesforce/sobjects.json; supported calls and key prefixes
 * from schema-rules.ts. Rows that Salesforce keeps for every user (UserLogin)
 * or derives from other state (an OauthToken's DeleteToken, an External Client App's policy) are filled in when
 * their table is read, so fixtures and seeds need not know about them.
 */
import { randomBytes } from 'node:crypto';
import type { OrgState, Rec } from './state.js';
import { externalClientApps } from './external-client-apps.js';

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
    table.set(id, {
      Id: id,
      UserId: u.Id,
      IsFrozen: false,
      IsPasswordLocked: false,
      LastModifiedDate: u.CreatedDate ?? Date.now(),
      LastModifiedById: org.adminUserId || u.Id,
    });
  }
}

/** One policy row per deployed ExtlClntAppOauthConfigurablePolicies, with its client credentials execution user. */
function syncEcaPolicies(org: OrgState, table: Map<string, Rec>): void {
  // rebuilt on each read: the deployed metadata is the truth
  table.clear();
  for (const eca of externalClientApps(org).values()) {
    if (eca.type !== 'ExtlClntAppOauthConfigurablePolicies') continue;
    const app = [...externalClientApps(org).values()].find(
      (a) => a.type === 'ExternalClientApplication' && a.fullName === eca.values.externalClientApplication,
    );
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
