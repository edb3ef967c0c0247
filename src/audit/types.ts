/** Shapes shared by the audit's reading, classification, savings and rendering steps. */

export type AuditUser = {
  id: string;
  username: string;
  name: string;
  isActive: boolean;
  profileName?: string;
  /** The profile grants Modify All Data: an admin profile, whatever its name. */
  modifyAllData?: boolean;
  userLicenseName?: string;
  userType?: string;
  lastLoginDate?: string;
};

/** One row of `LoginHistory` grouped by user, login type and application. */
export type LoginAggregate = {
  userId: string;
  loginType: string;
  application?: string;
  count: number;
  last?: string;
};

export type OauthTokenRow = {
  userId: string;
  appName: string;
  lastUsedDate?: string;
  useCount?: number;
};

import type { SeatCount } from '../org-api/licenses.js';

export type { SeatCount } from '../org-api/licenses.js';

export type Seats = {
  /** `UserLicense` Salesforce Integration, or undefined when the org has none or it could not be read. */
  integrationUserLicense?: SeatCount;
  /** `PermissionSetLicense` SalesforceAPIIntegrationPsl. */
  integrationPsl?: SeatCount;
};

export type CandidateClass =
  | 'integration-license'
  | 'person-and-integration'
  | 'admin-integration'
  | 'shared-integration'
  | 'api-only-full-license';

export type Risk =
  'compromised-credentials' | 'untraceable-changes' | 'excess-permissions' | 'offboarding-breaks-integration';

export type AppUsage = {
  app: string;
  /** API logins from this app in the period (0 when only an OAuth token shows it). */
  logins: number;
  lastLogin?: string;
  tokenUseCount?: number;
  tokenLastUsed?: string;
  loginTypes: string[];
};

export type Candidate = {
  userId: string;
  username: string;
  name: string;
  profile?: string;
  license?: string;
  class: CandidateClass;
  /** Every class that applies; `class` is the most serious of them. */
  traits: CandidateClass[];
  risks: Risk[];
  apps: AppUsage[];
  apiLogins: number;
  uiLogins: number;
  lastApiLogin?: string;
  /** True when the user could give up a full license for an Integration license. */
  movable: boolean;
  /** Integration seats needed to give each of its integrations a user of its own, beyond a move. */
  extraSeats: number;
  nextCommands: string[];
  /** Caveats on this user's classification (for instance UI logins unknown). */
  notes: string[];
};

export type Gap = {
  source: 'LoginHistory' | 'OauthToken' | 'UserLicense' | 'PermissionSetLicense';
  errorCode: string;
  message: string;
  fix: string;
};

export type SavingsAssumptions = {
  fullLicensePerYear: number;
  integrationLicensePerMonth: number;
  /** Free Integration seats counted: from the org when readable, else the stated default allowance. */
  freeIntegrationSeats: number;
  freeSeatsSource: 'org' | 'assumed';
};

export type Savings = {
  assumptions: SavingsAssumptions;
  movableUsers: number;
  movableByLicense: Record<string, number>;
  freeSeatsUsed: number;
  paidSeats: number;
  fullLicenseSavingsPerYear: number;
  integrationCostPerYear: number;
  netSavingsPerYear: number;
  /** Giving every integration its own user (shared users split, integrations taken off people's users). */
  splitOut: {
    seats: number;
    freeSeatsUsed: number;
    paidSeats: number;
    costPerYear: number;
  };
  netSavingsPerYearAfterSplit: number;
};
