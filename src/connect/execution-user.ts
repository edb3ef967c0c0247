import type { Connection } from '@salesforce/core';
import { Messages } from '@salesforce/core';
import { INTEGRATION_USER_LICENSE } from '../permissions/model.js';
import { soqlLiteral } from '../org-api/soql.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('sf-integration-user', 'integration-user.connect');

/** The user an External Client App's client credentials flow runs as. */
export type ExecutionUser = {
  id: string;
  username: string;
  email?: string;
  profileName?: string;
  userLicense?: string;
  /** API only through the profile or an assigned permission set */
  apiOnly: boolean;
  isActive: boolean;
};

type UserRow = {
  Id: string;
  Username: string;
  IsActive?: boolean;
  Email?: string;
  Profile?: { Name?: string; PermissionsApiUserOnly?: boolean; UserLicense?: { Name?: string } | null } | null;
};

/** Reads the user and whether it is API only (profile, else any assigned permission set granting ApiUserOnly). */
export async function readExecutionUser(conn: Connection, username: string): Promise<ExecutionUser | undefined> {
  const { records } = await conn.query<UserRow>(
    'SELECT Id, Username, IsActive, Email, Profile.Name, Profile.PermissionsApiUserOnly, Profile.UserLicense.Name ' +
      `FROM User WHERE Username = ${soqlLiteral(username)}`,
  );
  const row = records.find((r) => r.Username.toLowerCase() === username.toLowerCase()) ?? records[0];
  if (!row) return undefined;
  let apiOnly = row.Profile?.PermissionsApiUserOnly === true;
  if (!apiOnly) {
    const granted = await conn.query<{ Id: string }>(
      `SELECT Id FROM PermissionSetAssignment WHERE AssigneeId = ${soqlLiteral(row.Id)} AND PermissionSet.PermissionsApiUserOnly = true LIMIT 1`,
    );
    apiOnly = granted.records.length > 0;
  }
  return {
    id: row.Id,
    username: row.Username,
    email: row.Email,
    profileName: row.Profile?.Name ?? undefined,
    userLicense: row.Profile?.UserLicense?.Name ?? undefined,
    apiOnly,
    isActive: row.IsActive !== false,
  };
}

/**
 * The checks Salesforce makes of an execution user, made before anything is written or deployed: the user exists,
 * is active and is API only. A user on another license than Salesforce Integration passes with a warning.
 *
 * @throws SfError UserNotFound | UserInactive | UserNotApiOnly
 */
export async function checkExecutionUser(
  conn: Connection,
  username: string,
): Promise<{ user: ExecutionUser; warnings: string[] }> {
  const user = await readExecutionUser(conn, username);
  if (!user) throw messages.createError('error.UserNotFound', [username]);
  if (!user.isActive) throw messages.createError('error.UserInactive', [user.username]);
  if (!user.apiOnly) {
    throw messages.createError('error.UserNotApiOnly', [
      user.username,
      user.profileName ?? 'unknown',
      user.userLicense ?? 'unknown',
    ]);
  }
  const warnings =
    user.userLicense && user.userLicense !== INTEGRATION_USER_LICENSE
      ? [messages.getMessage('warning.notIntegrationLicense', [user.username, user.userLicense])]
      : [];
  return { user, warnings };
}
