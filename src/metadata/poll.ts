/**
 * How often a deploy's status is checked. Salesforce's own commands check once right away, then at a fixed
 * interval (SDR: 1 s for small deploys). Ours starts fast and backs off, so a deploy that finishes in one second is
 * seen in about one second, and a long one costs few requests.
 */

/** Delays before each status check after the first (the first is immediate); the last one repeats. */
export const BACKOFF_MS: readonly number[] = [250, 250, 500, 500, 1000, 1000, 2000, 2000, 3000, 5000];

/** The delay before status check number `n` (0 = the first, immediate); `fixedMs` replaces the back-off. */
export function pollDelay(n: number, fixedMs?: number): number {
  if (n === 0) return 0;
  if (fixedMs !== undefined) return fixedMs;
  return BACKOFF_MS[Math.min(n - 1, BACKOFF_MS.length - 1)];
}

/** The environment variable the e2e harness sets for every sf run (fast polls against the emulator). */
export const POLL_ENV = 'SF_INTEGRATION_USER_POLL_MS';

/**
 * The fixed poll interval, if any: the hidden --poll-interval flag, else SF_INTEGRATION_USER_POLL_MS (read only
 * here), else undefined (back off).
 */
export function pollInterval(flag?: number): number | undefined {
  if (flag !== undefined && flag > 0) return flag;
  const value = Number(process.env[POLL_ENV]);
  return Number.isFinite(value) && value > 0 ? value : undefined;
}
