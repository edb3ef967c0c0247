import { expect } from 'chai';
import { computeSavings } from '../../../src/audit/savings.js';
import type { Candidate, SavingsAssumptions } from '../../../src/audit/types.js';

function cand(movable: boolean, extraSeats = 0, license = 'Salesforce'): Candidate {
  return {
    userId: 'u',
    username: 'u@x.com',
    name: 'u',
    license,
    class: movable ? 'api-only-full-license' : 'person-and-integration',
    traits: [],
    risks: [],
    apps: [],
    apiLogins: 1,
    uiLogins: 0,
    movable,
    extraSeats,
    nextCommands: [],
    notes: [],
  };
}
const A = (free: number, over: Partial<SavingsAssumptions> = {}): SavingsAssumptions => ({
  fullLicensePerYear: 1200,
  integrationLicensePerMonth: 10,
  freeIntegrationSeats: free,
  freeSeatsSource: 'org',
  ...over,
});

describe('audit savings', () => {
  it('is zero with no candidates', () => {
    const s = computeSavings([], A(5));
    expect(s).to.include({
      movableUsers: 0,
      freeSeatsUsed: 0,
      paidSeats: 0,
      netSavingsPerYear: 0,
      netSavingsPerYearAfterSplit: 0,
    });
  });

  it('uses free seats first: 3 movers, 5 free seats → 3 × 1,200 saved, nothing paid', () => {
    const s = computeSavings([cand(true), cand(true), cand(true)], A(5));
    expect(s).to.include({ movableUsers: 3, freeSeatsUsed: 3, paidSeats: 0 });
    expect(s.fullLicenseSavingsPerYear).to.equal(3600);
    expect(s.integrationCostPerYear).to.equal(0);
    expect(s.netSavingsPerYear).to.equal(3600);
  });

  it('pays for seats beyond the free ones at monthly × 12: 7 movers, 5 free → 2 paid', () => {
    const s = computeSavings(
      Array.from({ length: 7 }, () => cand(true)),
      A(5),
    );
    expect(s).to.include({ freeSeatsUsed: 5, paidSeats: 2 });
    expect(s.fullLicenseSavingsPerYear).to.equal(8400);
    expect(s.integrationCostPerYear).to.equal(240);
    expect(s.netSavingsPerYear).to.equal(8160);
  });

  it('with no free seats every seat is paid; a negative free count is treated as none', () => {
    const s = computeSavings([cand(true), cand(true)], A(-1));
    expect(s).to.include({ freeSeatsUsed: 0, paidSeats: 2, netSavingsPerYear: 2400 - 240 });
  });

  it('costs split-out seats with the free seats the moves left', () => {
    // 2 movers (one shared by 3 apps: 2 extra seats), 1 person with 2 apps: 2 extra seats. Free: 3.
    const s = computeSavings([cand(true, 2), cand(true), cand(false, 2)], A(3));
    expect(s).to.include({ movableUsers: 2, freeSeatsUsed: 2, paidSeats: 0, netSavingsPerYear: 2400 });
    expect(s.splitOut).to.deep.equal({ seats: 4, freeSeatsUsed: 1, paidSeats: 3, costPerYear: 360 });
    expect(s.netSavingsPerYearAfterSplit).to.equal(2040);
  });

  it('is exact with fractional prices and counts movers by license', () => {
    const s = computeSavings(
      [cand(true, 0, 'Salesforce'), cand(true, 0, 'Salesforce Platform'), cand(true)],
      A(1, { fullLicensePerYear: 999.99, integrationLicensePerMonth: 12.35 }),
    );
    expect(s.fullLicenseSavingsPerYear).to.equal(2999.97);
    expect(s.integrationCostPerYear).to.equal(296.4);
    expect(s.netSavingsPerYear).to.equal(2703.57);
    expect(s.movableByLicense).to.deep.equal({ Salesforce: 2, 'Salesforce Platform': 1 });
  });

  it('does not count people mixing UI and API as savings', () => {
    const s = computeSavings([cand(false, 1)], A(5));
    expect(s.movableUsers).to.equal(0);
    expect(s.netSavingsPerYear).to.equal(0);
    expect(s.splitOut).to.deep.equal({ seats: 1, freeSeatsUsed: 1, paidSeats: 0, costPerYear: 0 });
  });
});
