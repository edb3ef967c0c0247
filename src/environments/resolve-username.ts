import { createHash } from 'node:crypto';
import type { Connection } from '@salesforce/core';
import { Messages } from '@salesforce/core';
import { soqlLiteral } from '../org-api/soql.js';
import type { OrgEnvironment } from './org-environment.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('sf-integration-user', 'environments');

/** How a definition's production username changes per org: a definition field or flag, over the convention. */
export type UsernameOverrides = {
  /** --username-suffix / `usernameSuffix`: used instead of the sandbox name (sandbox) or the generated suffix (scratch) */
  suffix?: string;
  /** `usernames`: an explicit username per org, keyed by sandbox name, org id (15 or 18 characters), "production" or "scratch" */
  usernames?: Record<string, string>;
};

export type UsernameRule = 'production' | 'sandbox-name' | 'scratch-suffix' | 'suffix-override' | 'explicit';

export type ResolvedUsername = {
  /** the username the definition names (production's) */
  definitionUsername: string;
  /** the username in this org */
  username: string;
  kind: OrgEnvironment['kind'];
  sandboxName?: string;
  rule: UsernameRule;
  /** the user found under a name Salesforce prefixed on the copy because the plain one was taken (e.g. 00x7Vquser@acme.com.uat) */
  prefixedCopy?: boolean;
};

const MAX_USERNAME = 80;

/** Deterministic per org: the same scratch org gives the same username on a re-run, another scratch org another. */
export const scratchSuffix = (orgId: string): string =>
  `s${createHash('sha256').update(orgId.slice(0, 15)).digest('hex').slice(0, 8)}`;

function explicitFor(env: OrgEnvironment, usernames: Record<string, string> | undefined): string | undefined {
  if (!usernames) return undefined;
  const keys = [env.sandboxName, env.orgId.slice(0, 15), env.orgId, env.kind]
    .filter((k): k is string => Boolean(k))
    .map((k) => k.toLowerCase());
  const entry = Object.entries(usernames).find(
    ([k]) => keys.includes(k.toLowerCase()) || (k.length >= 15 && keys.includes(k.slice(0, 15).toLowerCase())),
  );
  return entry?.[1];
}

/** The username this org should hold for a definition's production username, by rule; no org reads. */
export function usernameFor(
  definitionUsername: string,
  env: OrgEnvironment,
  overrides: UsernameOverrides = {},
): Omit<ResolvedUsername, 'prefixedCopy'> {
  const base = { definitionUsername, kind: env.kind, sandboxName: env.sandboxName };
  const explicit = explicitFor(env, overrides.usernames);
  if (explicit) return { ...base, username: explicit, rule: 'explicit' };
  if (env.kind === 'production') return { ...base, username: definitionUsername, rule: 'production' };
  const suffix = overrides.suffix?.replace(/^\./, '');
  let username: string;
  let rule: UsernameRule;
  if (suffix) [username, rule] = [`${definitionUsername}.${suffix}`, 'suffix-override'];
  else if (env.kind === 'scratch')
    [username, rule] = [`${definitionUsername}.${scratchSuffix(env.orgId)}`, 'scratch-suffix'];
  else if (env.sandboxName)
    [username, rule] = [`${definitionUsername}.${env.sandboxName.toLowerCase()}`, 'sandbox-name'];
  else throw messages.createError('error.SandboxNameUnknown', [env.host ?? 'unknown host', definitionUsername]);
  // a username given in this org's form already (e.g. `user@acme.com.uat` in uat) is kept, not suffixed twice
  const appended = username.slice(definitionUsername.length);
  if (definitionUsername.toLowerCase().endsWith(appended.toLowerCase()))
    return { ...base, username: definitionUsername, rule };
  if (username.length > MAX_USERNAME)
    throw messages.createError('error.UsernameTooLong', [username, String(username.length)]);
  return { ...base, username, rule };
}

/**
 * The username this org holds (or will hold) for a definition: the rule's username, spelled as the org spells it when
 * the user exists (case-insensitive), or the copy a refresh made with a prefix when the plain name was taken.
 */
export async function resolveUsername(
  conn: Connection,
  definitionUsername: string,
  env: OrgEnvironment,
  overrides: UsernameOverrides = {},
): Promise<ResolvedUsername> {
  const planned = usernameFor(definitionUsername, env, overrides);
  if (planned.rule === 'production' || planned.rule === 'explicit') return planned;
  // LIKE is case-insensitive; `_` and `%` in a username only widen the match, the exact test below decides
  const { records } = await conn.query<{ Username: string }>(
    `SELECT Username FROM User WHERE Username LIKE ${soqlLiteral(`%${planned.username}`)}`,
  );
  const wanted = planned.username.toLowerCase();
  const exact = records.find((r) => r.Username.toLowerCase() === wanted);
  if (exact) return { ...planned, username: exact.Username };
  const prefixed = records.filter(
    (r) =>
      r.Username.toLowerCase().endsWith(wanted) &&
      /^[a-z0-9]+$/i.test(r.Username.slice(0, r.Username.length - wanted.length)),
  );
  if (prefixed.length === 1) return { ...planned, username: prefixed[0].Username, prefixedCopy: true };
  return planned;
}
