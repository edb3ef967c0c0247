/**
 * Sandboxes and scratch orgs: a sandbox refreshed from a production org (its records copied, usernames suffixed with
 * the sandbox name, emails made unusable with `.invalid`), and the My Domain host each kind of org has.
 *
 * Sources (docs/salesforce-behaviour.md, "Sandboxes and scratch orgs"):
 * - Salesforce Help "Users and Contacts" (platform.data_sandbox_users_and_contacts.htm): "the sandbox name is appended
 *   to the username. For example, the username user@acme.com for a sandbox named test becomes user@acme.com.test";
 *   "User email addresses are appended with .invalid"; KB 000386507: the user who starts the refresh keeps the email.
 * - Salesforce Help "Move a My Domain Name" (xcloud.domain_name_move.htm): production `MyDomainName.my.salesforce.com`,
 *   sandbox `MyDomainName--SandboxName.sandbox.my.salesforce.com`; scratch orgs `MyDomainName.scratch.my.salesforce.com`.
 * - Record ids stay the same in the copy; only the org id is new (as in a real sandbox copy).
 */
import type { OrgState, Rec, ServerContext } from './state.js';
import { OrgState as State } from './state.js';
import { fieldText } from './field-text.js';

/** The org's My Domain URL (https), from its kind, My Domain name and sandbox name. */
export function myDomainUrl(org: OrgState): string {
  const name = (org.seed.myDomain ?? 'emu').toLowerCase();
  if (org.orgType === 'sandbox')
    return `https://${name}--${(org.seed.sandboxName ?? 'sandbox').toLowerCase()}.sandbox.my.salesforce.com`;
  if (org.orgType === 'scratch') return `https://${name}.scratch.my.salesforce.com`;
  return `https://${name}.my.salesforce.com`;
}

/**
 * A sandbox copy of `source` named `name` (up to 10 letters and digits, as Salesforce requires): every table copied with
 * the same record ids, the Organization made a sandbox, usernames given `.<name>` and emails `.invalid` (except the
 * user who started the refresh, the source's admin), the copy's users registered as taken usernames.
 */
export function refreshSandbox(ctx: ServerContext, source: OrgState, name: string): OrgState {
  if (!/^[A-Za-z][A-Za-z0-9]{0,9}$/.test(name))
    throw new Error(`sandbox name "${name}": up to 10 letters and digits, starting with a letter`);
  const sandbox = new State(ctx, { ...source.seed, type: 'sandbox', sandboxName: name });
  for (const table of source.tableNames()) {
    const target = sandbox.table(table);
    for (const rec of source.table(table).values()) target.set(rec.Id, structuredClone(rec));
  }
  const org = sandbox.all('Organization')[0];
  sandbox.table('Organization').delete(org.Id);
  sandbox.table('Organization').set(sandbox.id, { ...org, Id: sandbox.id, IsSandbox: true, TrialExpirationDate: null });
  for (const user of sandbox.all('User')) renameUser(sandbox, user, name, user.Id === source.adminUserId);
  sandbox.adminUserId = source.adminUserId;
  sandbox.adminUsername = fieldText(sandbox.get(source.adminUserId)?.Username ?? `${source.adminUsername}.${name}`);
  for (const [k, v] of source.permissionSetMeta) sandbox.permissionSetMeta.set(k, structuredClone(v));
  for (const [k, v] of source.setupEntityIds) sandbox.setupEntityIds.set(k, v);
  for (const [k, v] of source.profileMeta)
    sandbox.profileMeta.set(k, {
      ...v,
      raw: new Map(v.raw),
      zeroObjects: new Set(v.zeroObjects),
      zeroFields: new Set(v.zeroFields),
    });
  Object.assign(sandbox.config, structuredClone(source.config));
  return sandbox;
}

function renameUser(sandbox: OrgState, user: Rec, name: string, startedRefresh: boolean): void {
  let username = `${String(user.Username)}.${name}`;
  // "If the resulting username isn't unique, ... some characters and digits are prepended" (Help, same page)
  for (let i = 0; sandbox.usernameTaken(username); i++) username = `00x${i}${String(user.Username)}.${name}`;
  user.Username = username;
  if (!startedRefresh && typeof user.Email === 'string' && !user.Email.endsWith('.invalid'))
    user.Email = `${user.Email}.invalid`;
  sandbox.registerUsername(user);
}
