import { Messages, SfError } from '@salesforce/core';
import { classifyDeployProblem, DeployFailure } from '../metadata/deploy.js';
import { errorCode } from './api-errors.js';
import { isLicenseRefusal } from './assignments.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('sf-integration-user', 'org-errors');

type ApiError = { name?: string; errorCode?: string; message?: string };

export { errorCode, isConnectionError, PARTIAL_EXIT_CODE } from './api-errors.js';

/** Suffixes that make a username unique and recognisably yours: `.integration` and the org's My Domain. */
export function usernameSuggestions(username: string, instanceUrl?: string): string[] {
  const suggestions = [`${username}.integration`];
  const host = instanceUrl ? safeHost(instanceUrl) : undefined;
  // acme.my.salesforce.com → acme; acme--uat.sandbox.my.salesforce.com → acme.uat
  const myDomain = host && /\.my\.salesforce\.com$/i.test(host) ? host.split('.')[0].replace(/--/, '.') : undefined;
  if (myDomain) suggestions.push(`${username}.${myDomain.toLowerCase()}`);
  return suggestions;
}

const safeHost = (url: string): string | undefined => {
  try {
    return new URL(url).hostname;
  } catch {
    return undefined;
  }
};

/**
 * No free seat of a license the integration user needs (the Salesforce Integration user license, or the API
 * Integration permission set license): `used` of `total` in use, and how to free or buy one.
 */
export function seatLimitError(license: 'user' | 'permissionSet', used: string, total: string, cause?: Error): SfError {
  const key = license === 'user' ? 'error.LicenseLimitExceeded' : 'error.PermissionSetLicenseLimitExceeded';
  return messages.createError(key, [used, total], [], cause);
}

/** Maps a failed User create to an error with actions; unknown errors pass through. */
export function mapCreateUserError(e: unknown, username: string, instanceUrl?: string): Error {
  const code = errorCode(e);
  const text = (e as ApiError)?.message ?? '';
  if (code === 'DUPLICATE_USERNAME' || /DUPLICATE_USERNAME/.test(text)) {
    return messages.createError(
      'error.DuplicateUsername',
      [username],
      [usernameSuggestions(username, instanceUrl).join(' or ')],
      e as Error,
    );
  }
  if (code === 'LICENSE_LIMIT_EXCEEDED' || /LICENSE_LIMIT_EXCEEDED|License Limit Exceeded/i.test(text)) {
    return seatLimitError('user', 'all', 'the available', e as Error);
  }
  return e instanceof Error ? e : new Error(String(e));
}

/** Maps a failed assignment (license or permission set) to an error with actions. */
export function mapAssignError(e: unknown): Error {
  const code = errorCode(e);
  const text = (e as ApiError)?.message ?? String(e);
  if (isLicenseRefusal({ errorCode: code, message: text })) {
    return messages.createError('error.LicenseDoesNotAllow', [text], [], e as Error);
  }
  if (code === 'LICENSE_LIMIT_EXCEEDED' || /LICENSE_LIMIT_EXCEEDED/.test(text)) {
    return seatLimitError('permissionSet', 'all', 'the available', e as Error);
  }
  return e instanceof Error ? e : new Error(String(e));
}

/** Maps a failed deploy to an error naming each component problem and the likely fix. */
export function mapDeployError(e: unknown, files: readonly string[]): Error {
  if (!(e instanceof DeployFailure)) return e instanceof Error ? e : new Error(String(e));
  const error = messages.createError('error.DeployFailed', [e.message], [files.join(', ') || 'the generated files'], e);
  const kinds = new Set(e.failures.map((f) => classifyDeployProblem(f.problem ?? '')));
  const extra: string[] = [];
  if (kinds.has('unknown-field')) extra.push(...messages.getMessages('error.DeployUnknownField.actions'));
  if (kinds.has('unknown-object')) extra.push(...messages.getMessages('error.DeployUnknownObject.actions'));
  if (kinds.has('unknown-permission')) extra.push(...messages.getMessages('error.DeployUnknownPermission.actions'));
  if (kinds.has('license')) extra.push(...messages.getMessages('error.LicenseDoesNotAllow.actions'));
  error.actions = [...extra, ...(error.actions ?? [])];
  error.setData({ deployId: e.outcome.id, failures: e.failures });
  return error;
}

/** A lost connection as an SfError with the step and the low-level reason, and no TypeError in its chain. */
export function connectionLostError(step: string, e: unknown): SfError {
  const reasons: string[] = [];
  for (let err = e as (Error & { code?: string; cause?: unknown }) | undefined, depth = 0; err && depth < 5; depth++) {
    const text = [err.code, err.message].filter(Boolean).join(' ');
    if (text && !reasons.includes(text)) reasons.push(text);
    err = err.cause as typeof err;
  }
  return messages.createError('error.ConnectionLost', [step, reasons.join(': ') || 'no answer']);
}

export const isSfError = (e: unknown): e is SfError => e instanceof SfError;
