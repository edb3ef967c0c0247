import type { Candidate, Savings, SavingsAssumptions } from './types.js';

export const DEFAULT_FULL_LICENSE_PER_YEAR = 1200;
export const DEFAULT_INTEGRATION_LICENSE_PER_MONTH = 10;
/** Free Integration user licenses in Enterprise, Unlimited and Performance editions. */
export const DEFAULT_FREE_INTEGRATION_SEATS = 5;

// Money in cents so the sums are exact for prices like 12.5 a month.
const cents = (amount: number): number => Math.round(amount * 100);
const fromCents = (c: number): number => c / 100;

function allocate(needed: number, free: number): { freeUsed: number; paid: number } {
  const freeUsed = Math.min(Math.max(free, 0), needed);
  return { freeUsed, paid: needed - freeUsed };
}

/**
 * What moving the movable users to Integration licenses saves in a year: each frees a full license and
 * takes one Integration seat, free seats first, then paid ones at the monthly price × 12. Giving every
 * integration its own user (`extraSeats`) is costed separately with whatever free seats remain.
 */
export function computeSavings(candidates: Candidate[], assumptions: SavingsAssumptions): Savings {
  const movable = candidates.filter((c) => c.movable);
  const movableByLicense: Record<string, number> = {};
  for (const c of movable) {
    const key = c.license ?? '(unknown license)';
    movableByLicense[key] = (movableByLicense[key] ?? 0) + 1;
  }
  const seatYear = cents(assumptions.integrationLicensePerMonth) * 12;
  const moves = allocate(movable.length, assumptions.freeIntegrationSeats);
  const gross = movable.length * cents(assumptions.fullLicensePerYear);
  const moveCost = moves.paid * seatYear;

  const extra = candidates.reduce((n, c) => n + c.extraSeats, 0);
  const split = allocate(extra, assumptions.freeIntegrationSeats - moves.freeUsed);
  const splitCost = split.paid * seatYear;

  return {
    assumptions,
    movableUsers: movable.length,
    movableByLicense,
    freeSeatsUsed: moves.freeUsed,
    paidSeats: moves.paid,
    fullLicenseSavingsPerYear: fromCents(gross),
    integrationCostPerYear: fromCents(moveCost),
    netSavingsPerYear: fromCents(gross - moveCost),
    splitOut: {
      seats: extra,
      freeSeatsUsed: split.freeUsed,
      paidSeats: split.paid,
      costPerYear: fromCents(splitCost),
    },
    netSavingsPerYearAfterSplit: fromCents(gross - moveCost - splitCost),
  };
}

/** Full-license names whose price is `fullLicensePerYear` (the price audit assumes for a shared user's license). */
const FULL_LICENSES = new Set(['Salesforce']);
const INTEGRATION_LICENSE = 'Salesforce Integration';

/**
 * What freeing one user's license saves in a year at audit's prices: a full license its yearly price, an
 * Integration license its monthly price × 12 (nothing if it was a free seat, which the org doesn't say per user);
 * other licenses have no price here.
 */
export function freedLicenseSavings(
  license: string | undefined,
  prices: { fullLicensePerYear: number; integrationLicensePerMonth: number },
): { savingsPerYear?: number; basis: string } {
  if (license && FULL_LICENSES.has(license)) {
    return {
      savingsPerYear: fromCents(cents(prices.fullLicensePerYear)),
      basis: `a ${license} license at ${prices.fullLicensePerYear} a year`,
    };
  }
  if (license === INTEGRATION_LICENSE) {
    return {
      savingsPerYear: fromCents(cents(prices.integrationLicensePerMonth) * 12),
      basis: `a paid ${license} seat at ${prices.integrationLicensePerMonth} a month (nothing if it was one of the free seats)`,
    };
  }
  return {
    basis: `no price known for the ${license ?? 'unknown'} license: pass your own with --license-cost if it is a full license`,
  };
}
