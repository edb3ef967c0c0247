import type { Connection } from '@salesforce/core';
import { soqlInList } from './soql.js';

/** The locale settings a new user copies from the admin running the command. */
export type UserDefaults = {
  TimeZoneSidKey: string;
  LocaleSidKey: string;
  EmailEncodingKey: string;
  LanguageLocaleKey: string;
};

export type ExistingUser = {
  id: string;
  username: string;
  isActive: boolean;
  profileId?: string;
  profileName?: string;
  userRoleId?: string;
  email?: string;
};

export type UserLookup = {
  /** the integration user, when a user with that username already exists in this org */
  target?: ExistingUser;
  /** locale defaults from the running user */
  defaults: UserDefaults;
};

/** Used when the running user can't be read (fresh sandboxes copy these from the org). */
export const FALLBACK_DEFAULTS: UserDefaults = {
  TimeZoneSidKey: 'America/Los_Angeles',
  LocaleSidKey: 'en_US',
  EmailEncodingKey: 'UTF-8',
  LanguageLocaleKey: 'en_US',
};

type UserRecord = {
  Id: string;
  Username: string;
  IsActive?: boolean;
  Email?: string;
  ProfileId?: string;
  Profile?: { Name?: string } | null;
  UserRoleId?: string | null;
} & Partial<UserDefaults>;

export { isEmailShaped } from './input-rules.js';

/** Alias: up to 8 characters, from first initial + last name, else the username's local part. */
export function deriveAlias(options: { firstName?: string; lastName?: string; username: string }): string {
  const clean = (s: string | undefined): string =>
    (s ?? '')
      .normalize('NFKD')
      .replace(/[^A-Za-z0-9]/g, '')
      .toLowerCase();
  const fromName = clean(options.firstName).slice(0, 1) + clean(options.lastName);
  const candidate = fromName || clean(options.username.split('@')[0]);
  return (candidate || 'intuser').slice(0, 8);
}

/**
 * One query for both the target username and the running user: whether the integration user exists
 * (the re-run case) and which locale defaults to copy. Usernames compare case-insensitively, as in Salesforce.
 */
export async function lookupUsers(conn: Connection, username: string): Promise<UserLookup> {
  const admin = conn.getUsername();
  const names = admin ? [username, admin] : [username];
  const { records } = await conn.query<UserRecord>(
    'SELECT Id, Username, IsActive, Email, ProfileId, Profile.Name, UserRoleId, TimeZoneSidKey, LocaleSidKey, ' +
      `EmailEncodingKey, LanguageLocaleKey FROM User WHERE Username IN ${soqlInList(names)}`,
  );
  const find = (name: string | undefined): UserRecord | undefined =>
    name ? records.find((r) => r.Username.toLowerCase() === name.toLowerCase()) : undefined;
  const target = find(username);
  const running = find(admin);
  return {
    target: target
      ? {
          id: target.Id,
          username: target.Username,
          isActive: target.IsActive !== false,
          email: target.Email,
          profileId: target.ProfileId,
          profileName: target.Profile?.Name ?? undefined,
          userRoleId: target.UserRoleId ?? undefined,
        }
      : undefined,
    defaults: {
      TimeZoneSidKey: running?.TimeZoneSidKey ?? FALLBACK_DEFAULTS.TimeZoneSidKey,
      LocaleSidKey: running?.LocaleSidKey ?? FALLBACK_DEFAULTS.LocaleSidKey,
      EmailEncodingKey: running?.EmailEncodingKey ?? FALLBACK_DEFAULTS.EmailEncodingKey,
      LanguageLocaleKey: running?.LanguageLocaleKey ?? FALLBACK_DEFAULTS.LanguageLocaleKey,
    },
  };
}

export type NewUser = {
  username: string;
  email: string;
  lastName: string;
  firstName?: string;
  alias: string;
  profileId: string;
  userRoleId?: string;
  marketingUser?: boolean;
  defaults: UserDefaults;
};

/** The REST body of the User create (exported so dry-run can show exactly what would be sent). */
export function userRecord(user: NewUser): Record<string, string | boolean> {
  const record: Record<string, string | boolean> = {
    Username: user.username,
    Email: user.email,
    LastName: user.lastName,
    Alias: user.alias,
    ProfileId: user.profileId,
    ...user.defaults,
  };
  if (user.firstName) record.FirstName = user.firstName;
  if (user.userRoleId) record.UserRoleId = user.userRoleId;
  if (user.marketingUser) record.UserPermissionsMarketingUser = true;
  return record;
}

/** REST sObject create (not SCIM, which only scratch orgs allow). Returns the new user's Id. */
export async function createUser(conn: Connection, user: NewUser): Promise<string> {
  const result = await conn.sobject('User').create(userRecord(user));
  if (!result.success || !result.id) {
    const errors =
      (result as { errors?: Array<{ statusCode?: string; errorCode?: string; message?: string }> }).errors ?? [];
    const first = errors[0];
    const error = new Error(first?.message ?? 'User create failed');
    error.name = first?.statusCode ?? first?.errorCode ?? 'UNKNOWN_ERROR';
    throw error;
  }
  return result.id;
}
