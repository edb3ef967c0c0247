/**
 * What an error from the org says, read the same way by every command, and the exit code of a run one stopped part-way
 * (no heavy imports: audit, licenses and create's light types use it).
 */

/**
 * The exit code of a run that did part of its work and stopped (a lost connection, a step that failed): re-running
 * the same command resumes it. Salesforce's own plugins use 68 for a partial success (`sf project deploy`).
 */
export const PARTIAL_EXIT_CODE = 68;

type ApiError = { name?: string; errorCode?: string; message?: string };

/**
 * The Salesforce error code of a jsforce / core error (REST: name = errorCode; SOAP: "sf:CODE"), or `fallback`
 * when the error carries none.
 */
export function errorCode(e: unknown, fallback = ''): string {
  const err = e as ApiError;
  return String(err?.errorCode ?? err?.name ?? '').replace(/^sf:/, '') || fallback;
}

const NETWORK =
  /fetch failed|socket hang up|ECONNRESET|ECONNREFUSED|ETIMEDOUT|EPIPE|UND_ERR_SOCKET|other side closed|network|terminated/i;

/**
 * Whether an error is a lost connection or a reset socket, as opposed to an answer from Salesforce (undici throws
 * `TypeError: fetch failed` with the socket error as cause).
 */
export function isConnectionError(e: unknown): boolean {
  for (let err = e as (Error & { code?: string; cause?: unknown }) | undefined, depth = 0; err && depth < 5; depth++) {
    if (
      NETWORK.test(
        `${err.name ?? ''} ${err.message ?? ''} ${err.code ?? ''} ${(err as { errorCode?: string }).errorCode ?? ''}`,
      )
    )
      return true;
    err = err.cause as typeof err;
  }
  return false;
}
