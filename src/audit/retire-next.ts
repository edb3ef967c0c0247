/**
 * When audit names `retire` for a candidate: its integrations have moved. Read as: every app seen on the old user
 * was used more recently by a user on an Integration license (the replacement runs), or the old user's last API use
 * is older than retire's own "still in use" window (30 days), so retire's check would find it quiet. retire checks
 * again before changing anything and refuses a user still in use.
 */
import { shellQuote } from './classify.js';
import type { Candidate } from './types.js';

/** retire's default --days: the same window decides "quiet" here. */
export const RETIRE_QUIET_DAYS = 30;

const lastUse = (a: Candidate['apps'][number]): string | undefined =>
  [a.lastLogin, a.tokenLastUsed]
    .filter((x): x is string => !!x)
    .sort()
    .at(-1);

export function integrationsMoved(c: Candidate, all: Candidate[], now: Date): boolean {
  if (c.traits.includes('integration-license') || c.uiLogins > 0 || c.apps.length === 0) return false;
  const quietSince = new Date(now.getTime() - RETIRE_QUIET_DAYS * 86_400_000).toISOString();
  const last = c.apps
    .map(lastUse)
    .filter((x): x is string => !!x)
    .sort()
    .at(-1);
  if (last !== undefined && last < quietSince) return true;
  const replacements = all.filter((x) => x.traits.includes('integration-license') && x.userId !== c.userId);
  return c.apps.every((app) => {
    const mine = lastUse(app) ?? '';
    return replacements.some((r) => r.apps.some((ra) => ra.app === app.app && (lastUse(ra) ?? '') > mine));
  });
}

/** Adds `sf integration-user retire` to the next commands of each candidate whose integrations have moved. */
export function addRetireCommands(candidates: Candidate[], now: Date, targetOrg: string): void {
  for (const c of candidates) {
    if (integrationsMoved(c, candidates, now)) {
      c.nextCommands.push(
        `sf integration-user retire --target-org ${shellQuote(targetOrg)} --user ${shellQuote(c.username)}`,
      );
    }
  }
}
