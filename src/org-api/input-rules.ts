/**
 * Salesforce's rules for the names and values this plugin sends, checked on this computer before anything reaches
 * the org, so a bad value fails before the first write with an error that says what to change (not the org's raw
 * STRING_TOO_LONG after a user exists). Sources: docs/salesforce-behaviour.md, "Input rules".
 */
import { Messages, type SfError } from '@salesforce/core';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('sf-integration-user', 'input-rules');

/** User.Username and User.Alias field lengths (Field Reference, User). */
export const USERNAME_MAX = 80;
export const ALIAS_MAX = 8;
/** PermissionSet.Name ("Limit: 80 characters"). */
export const PERMISSION_SET_NAME_MAX = 80;
/** External Client App API name: no Salesforce source found for its limit; 40 as other developer names of apps. */
export const APP_NAME_MAX = 40;

// name@domain.tld with no spaces; Salesforce's own check is "in the form of an email address"
const EMAIL_SHAPE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Why `name` breaks the developer-name rule (letters, digits, underscores...), or undefined when it doesn't. */
export function apiNameProblem(name: string, max: number): string | undefined {
  if (name.length === 0) return 'it is empty';
  if (!/^[A-Za-z]/.test(name)) return 'it must begin with a letter';
  const bad = [...new Set(name.replace(/[A-Za-z0-9_]/g, ''))];
  if (bad.length) return `it contains ${bad.map((c) => (c === ' ' ? 'a space' : `"${c}"`)).join(', ')}`;
  if (name.includes('__')) return 'it contains two consecutive underscores';
  if (name.endsWith('_')) return 'it ends with an underscore';
  if (name.length > max) return `it has ${name.length} characters, more than ${max}`;
  return undefined;
}

export const isEmailShaped = (value: string): boolean => EMAIL_SHAPE.test(value) && value.length <= USERNAME_MAX;

export function checkUsername(username: string): SfError | undefined {
  if (username.length > USERNAME_MAX)
    return messages.createError('error.UsernameTooLong', [username, String(username.length), String(USERNAME_MAX)]);
  if (!EMAIL_SHAPE.test(username)) return messages.createError('error.InvalidUsername', [username]);
  return undefined;
}

export function checkEmail(email: string): SfError | undefined {
  return EMAIL_SHAPE.test(email) ? undefined : messages.createError('error.InvalidEmail', [email]);
}

export function checkAlias(alias: string): SfError | undefined {
  if (alias.trim().length === 0) return messages.createError('error.InvalidAlias', [alias, 'it is empty']);
  if (alias.length > ALIAS_MAX)
    return messages.createError('error.InvalidAlias', [
      alias,
      `it has ${alias.length} characters, more than ${ALIAS_MAX}`,
    ]);
  return undefined;
}

export function checkPermissionSetName(name: string, flag = '--permission-set-name'): SfError | undefined {
  const problem = apiNameProblem(name, PERMISSION_SET_NAME_MAX);
  return problem ? messages.createError('error.InvalidPermissionSetName', [name, problem], [flag]) : undefined;
}

export function checkAppName(name: string, flag = '--app-name'): SfError | undefined {
  const problem = apiNameProblem(name, APP_NAME_MAX);
  return problem ? messages.createError('error.InvalidAppName', [name, problem], [flag]) : undefined;
}
