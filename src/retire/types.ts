/** Shapes shared by retire's reading, steps, rendering and command. */
import type { Connection } from '@salesforce/core';

export type TargetUser = {
  id: string;
  username: string;
  name: string;
  isActive: boolean;
  profileName?: string;
  licenseName?: string;
  lastLoginDate?: string;
};

/** LoginHistory of the period, grouped by how and from where the user logged in, and the outcome. */
export type LoginUse = {
  loginType: string;
  app: string;
  kind: 'api' | 'ui' | 'other';
  status: string;
  count: number;
  last?: string;
};

/** An OAuth token of the user, per connected app (its DeleteToken stays in memory, never in a result). */
export type TokenUse = { app: string; lastUsed?: string; useCount?: number; recent: boolean };

export type RunsAsKind =
  'scheduled-job' | 'apex-job' | 'dashboard' | 'outbound-message' | 'email-service' | 'client-credentials';

/** Something the org itself runs as the user, and how to move it. */
export type RunsAs = { kind: RunsAsKind; name: string; detail?: string; blocksDeactivation: boolean; move: string };

/** An object the running user could not read: the check is incomplete there. */
export type ReadGap = { source: string; errorCode: string; message: string; fix: string };

export type LoginAttempt = { time: string; loginType: string; app: string; status: string };

export type RetireCheck = {
  user: TargetUser;
  period: { days: number; since: string };
  frozen: boolean;
  /** when the freeze began, as far as the org shows it (UserLogin.LastModifiedDate while IsFrozen) */
  frozenSince?: string;
  userLoginId?: string;
  logins: LoginUse[];
  tokens: TokenUse[];
  runsAs: RunsAs[];
  /** login attempts since the freeze (a frozen user's fail: something still tries) */
  attemptsSinceFreeze: LoginAttempt[];
  gaps: ReadGap[];
  /** why the user is still in use (empty: quiet) */
  inUse: string[];
  /** the commands or Setup steps that move each use */
  moves: string[];
};

export type StageName = 'check' | 'freeze' | 'revoke' | 'sessions' | 'deactivate' | 'unfreeze' | 'reactivate';
export type StageStatus = 'done' | 'already done' | 'planned' | 'skipped' | 'waiting' | 'refused' | 'failed';
export type Stage = { name: StageName; status: StageStatus; detail: string };

export type LicenseFreed = {
  license: string;
  freed: boolean;
  /** yearly savings at audit's prices; undefined when the license's price isn't known */
  savingsPerYear?: number;
  basis: string;
};

export type RetireResult = {
  username: string;
  userId?: string;
  mode: 'retire' | 'undo';
  dryRun: boolean;
  success: boolean;
  check?: RetireCheck;
  stages: Stage[];
  revokedApps: string[];
  sessionsEnded: number;
  license?: LicenseFreed;
  /** why a stage was refused, with the action for each */
  refusals: Array<{ reason: string; message: string; action: string }>;
  nextSteps: string[];
  outputFile?: string;
};

export type RetireOptions = {
  conn: Connection;
  username: string;
  targetOrg: string;
  days: number;
  frozenDays: number;
  dryRun?: boolean;
  revoke?: boolean;
  deactivate?: boolean;
  undo?: boolean;
  force?: boolean;
  prices: { fullLicensePerYear: number; integrationLicensePerMonth: number };
  now?: Date;
  progress?: { start?: (stage: StageName) => void; end?: (stage: Stage) => void };
};
