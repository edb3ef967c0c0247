import type { Connection } from '@salesforce/core';
import { Messages } from '@salesforce/core';
import type { CreateRequest } from '../create/request.js';
import { connectionLostError, isConnectionError } from '../org-api/errors.js';
import { checkRefreshedEmail, type EmailRepair } from './email.js';
import type { OrgEnvironment } from './org-environment.js';
import { resolveUsername, type ResolvedUsername, type UsernameOverrides } from './resolve-username.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('sf-integration-user', 'environments');

/** What running a definition in this org changes about it: the username, and a refresh's `.invalid` email. */
export type OrgAdaptation = {
  username: ResolvedUsername;
  email?: EmailRepair;
  /** one line each, for the command's output */
  notes: string[];
};

/**
 * The request for this org: the definition's production username becomes the org's (sandbox: `.<sandboxname>`,
 * scratch: a per-org suffix, or the overrides), so a refreshed copy of the user is found as the same user; a `.invalid`
 * email on it is reported, and set back only with `fixEmail`.
 */
export async function adaptToOrg(
  conn: Connection,
  request: CreateRequest,
  env: OrgEnvironment,
  options: { overrides?: UsernameOverrides; fixEmail?: boolean; dryRun?: boolean } = {},
): Promise<{ request: CreateRequest; adaptation: OrgAdaptation }> {
  try {
    return await adapt(conn, request, env, options);
  } catch (e) {
    // nothing of this run is in the org yet: a lost connection is a plain "run it again"
    throw isConnectionError(e) ? connectionLostError('preflight', e) : e;
  }
}

async function adapt(
  conn: Connection,
  request: CreateRequest,
  env: OrgEnvironment,
  options: { overrides?: UsernameOverrides; fixEmail?: boolean; dryRun?: boolean },
): Promise<{ request: CreateRequest; adaptation: OrgAdaptation }> {
  const username = await resolveUsername(conn, request.username, env, options.overrides);
  const notes: string[] = [];
  if (username.username !== request.username) {
    notes.push(
      messages.getMessage('info.username', [env.kind, request.username, username.username, describeRule(username)]),
    );
  }
  const email =
    env.kind === 'production'
      ? undefined
      : await checkRefreshedEmail(conn, username.username, request.email, {
          fix: options.fixEmail,
          dryRun: options.dryRun,
        });
  return { request: { ...request, username: username.username }, adaptation: { username, email, notes } };
}

function describeRule(u: ResolvedUsername): string {
  switch (u.rule) {
    case 'sandbox-name':
      return `Salesforce appends the sandbox name "${u.sandboxName ?? ''}" to usernames${u.prefixedCopy ? '; the refresh also prefixed this copy' : ''}`;
    case 'scratch-suffix':
      return 'usernames are global: a suffix derived from this scratch org id';
    case 'suffix-override':
      return 'username suffix from --username-suffix or the definition';
    case 'explicit':
      return 'the definition names the username for this org';
    default:
      return 'production';
  }
}
