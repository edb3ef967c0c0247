/**
 * `check` over a set of definitions: each user compared with its definition, and the users the plugin made that no
 * definition names any more. Reads only; the exit code for drift is the command's.
 */
import { basename } from 'node:path';
import type { Connection } from '@salesforce/core';
import type { LoadedDefinition } from '../create/definitions.js';
import { createGenerator } from '../create/generate.js';
import { buildRequest } from '../create/request.js';
import { findManagedUsers, withoutDefinition } from '../environments/managed-users.js';
import { readOrgEnvironment } from '../environments/org-environment.js';
import { deriveAlias } from '../org-api/users.js';
import { checkContext, checkDefinition, type UserCheck } from './check.js';
import type { CheckResult } from './render.js';

export async function checkDefinitions(
  conn: Connection,
  loaded: { definitions: LoadedDefinition[]; skipped: string[] },
  options: { usernameSuffix?: string; cwd: string },
): Promise<CheckResult> {
  const env = await readOrgEnvironment(conn);
  const ctx = await checkContext(conn, env, createGenerator({ cwd: options.cwd }));
  const users: UserCheck[] = [];
  for (const d of loaded.definitions) {
    const request = buildRequest({}, d.definition, deriveAlias);
    const overrides = {
      suffix: options.usernameSuffix ?? d.definition.usernameSuffix,
      usernames: d.definition.usernames,
    };
    users.push({ file: basename(d.file), ...(await checkDefinition(ctx, request, overrides)) });
  }
  return {
    environment: env,
    inSync: users.every((u) => u.drift.length === 0),
    users,
    withoutDefinition: withoutDefinition(
      await findManagedUsers(conn),
      users.map((u) => u.username),
    ),
    skippedFiles: loaded.skipped,
  };
}
