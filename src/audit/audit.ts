import type { Connection } from '@salesforce/core';
import { INTEGRATION_USER_LICENSE } from '../permissions/model.js';
import { classify } from './classify.js';
import { addRetireCommands } from './retire-next.js';
import { readOrg, type LoginReadStats, type ReadOptions } from './read.js';
import {
  DEFAULT_FREE_INTEGRATION_SEATS,
  DEFAULT_FULL_LICENSE_PER_YEAR,
  DEFAULT_INTEGRATION_LICENSE_PER_MONTH,
  computeSavings,
} from './savings.js';
import type { AuditUser, Candidate, CandidateClass, Gap, Savings, SavingsAssumptions, Seats } from './types.js';

export type AuditOptions = Omit<ReadOptions, 'days'> & {
  days: number;
  fullLicensePerYear?: number;
  integrationLicensePerMonth?: number;
  targetOrg: string;
  now?: Date;
};

export type AuditResult = {
  targetOrg: string;
  period: { days: number; since: string; until: string };
  seats: Seats;
  summary: Record<CandidateClass, number>;
  candidates: Candidate[];
  savings: Savings;
  gaps: Gap[];
  loginHistory: { read: boolean } & Partial<LoginReadStats>;
  oauthTokensRead: boolean;
  usersRead: number;
  stats: { roundTrips: number; elapsedMs: number };
};

export const CLASSES: CandidateClass[] = [
  'person-and-integration',
  'admin-integration',
  'shared-integration',
  'api-only-full-license',
  'integration-license',
];

export function summarize(candidates: Candidate[]): Record<CandidateClass, number> {
  const summary = Object.fromEntries(CLASSES.map((c) => [c, 0])) as Record<CandidateClass, number>;
  for (const c of candidates) summary[c.class]++;
  return summary;
}

/** Free Integration seats: the org's own count when readable, else the edition allowance minus users on it. */
export function freeSeats(
  seats: Seats,
  users: AuditUser[],
): Pick<SavingsAssumptions, 'freeIntegrationSeats' | 'freeSeatsSource'> {
  if (seats.integrationUserLicense) {
    return { freeIntegrationSeats: seats.integrationUserLicense.free, freeSeatsSource: 'org' };
  }
  const onIt = users.filter((u) => u.isActive && u.userLicenseName === INTEGRATION_USER_LICENSE).length;
  return { freeIntegrationSeats: Math.max(0, DEFAULT_FREE_INTEGRATION_SEATS - onIt), freeSeatsSource: 'assumed' };
}

export async function runAudit(conn: Connection, opts: AuditOptions): Promise<AuditResult> {
  const started = Date.now();
  const now = opts.now ?? new Date();
  const since = new Date(now.getTime() - opts.days * 24 * 3600 * 1000);
  const reading = await readOrg(conn, opts);
  const candidates = classify({
    users: reading.users,
    logins: reading.logins,
    tokens: reading.tokens,
    since,
    loginHistoryRead: reading.loginHistoryRead,
    targetOrg: opts.targetOrg,
  });
  addRetireCommands(candidates, now, opts.targetOrg);
  const savings = computeSavings(candidates, {
    fullLicensePerYear: opts.fullLicensePerYear ?? DEFAULT_FULL_LICENSE_PER_YEAR,
    integrationLicensePerMonth: opts.integrationLicensePerMonth ?? DEFAULT_INTEGRATION_LICENSE_PER_MONTH,
    ...freeSeats(reading.seats, reading.users),
  });
  return {
    targetOrg: opts.targetOrg,
    period: { days: opts.days, since: since.toISOString(), until: now.toISOString() },
    seats: reading.seats,
    summary: summarize(candidates),
    candidates,
    savings,
    gaps: reading.gaps,
    loginHistory: { read: reading.loginHistoryRead, ...reading.stats.login },
    oauthTokensRead: reading.oauthTokenRead,
    usersRead: reading.users.length,
    stats: { roundTrips: reading.stats.roundTrips, elapsedMs: Date.now() - started },
  };
}
