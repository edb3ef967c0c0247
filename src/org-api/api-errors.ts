/** What an error from the org says, read the same way by every command (no heavy imports: audit and licenses use it). */

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
