/**
 * An --api-version the org doesn't serve: Salesforce answers every request under /services/data/vXX.X/ with
 * 404 NOT_FOUND "The requested resource does not exist", which names neither the version nor what to do.
 * This turns that answer into ApiVersionNotSupported when --api-version was given (small on purpose: the
 * version-range validation of --api-version lives beside it and may absorb it).
 */
import { Messages, SfError } from '@salesforce/core';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('sf-integration-user', 'api-version');

/** The --api-version value of a command line, if given. */
export function apiVersionArg(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--api-version') return argv[i + 1];
    const m = /^--api-version=(.+)$/.exec(argv[i]);
    if (m) return m[1];
  }
  return undefined;
}

const isResourceNotFound = (e: unknown): boolean => {
  const err = e as { errorCode?: string; name?: string; message?: string; cause?: unknown } | undefined;
  if (!err) return false;
  const code = String(err.errorCode ?? err.name ?? '');
  if (/NOT_FOUND/.test(code) && /requested resource does not exist/i.test(String(err.message))) return true;
  return err.cause !== undefined && err.cause !== e && isResourceNotFound(err.cause);
};

/** The error to show: ApiVersionNotSupported for a 404 on an explicit --api-version, else the error itself. */
export function explainApiVersionError<E extends Error>(error: E, argv: readonly string[]): E | SfError {
  const version = apiVersionArg(argv);
  if (!version || !isResourceNotFound(error)) return error;
  return messages.createError('error.ApiVersionNotSupported', [version, error.message]);
}
