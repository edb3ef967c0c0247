/**
 * The shared vocabulary of `create`: its steps, its result, the state the steps pass along, and the generator
 * interface. Types only (and the step list), so every step module and the runner can import it without cycles.
 */
import type { Connection } from '@salesforce/core';
import type { PermissionSetDoc } from '../permissions/model.js';
import type { DeployOutcome } from '../metadata/deploy.js';
import type { ConversionInput } from '../permissions/convert.js';
import type { Comparison } from '../compare/compare.js';
import type { ConnectResult } from '../connect/connect.js';
import type { IdentifiedSeatCount as SeatCount } from '../org-api/licenses.js';
import type { PermissionSetRef } from '../org-api/assignments.js';
import type { ProfileRef, RoleRef } from '../org-api/profile.js';
import type { ExistingUser, NewUser } from '../org-api/users.js';
import type { FromUser, FromUserComparison } from './from-user.js';
import type { SecuredInput } from './field-security.js';
import type { OrgState } from './org-permission-sets.js';
import type { CreateRequest } from './request.js';
import type { HighRiskOutcome } from '../permissions/least-privilege.js';
import type { UsageNarrowing } from '../permissions/narrow-to-usage.js';

/**
 * The steps, in the order they run. The permission sets are deployed before the user exists, so a set the org
 * refuses leaves no user behind; the user, its license and its assignments then go in one transaction.
 */
export const STEP_NAMES = [
  'preflight',
  'generate',
  'deploy',
  'create-user',
  'assign-license',
  'assign-permission-sets',
  'connect',
  'compare',
  'next-steps',
] as const;
export type StepName = (typeof STEP_NAMES)[number];
export type StepStatus = 'done' | 'already done' | 'skipped' | 'failed' | 'planned';
export type Step = { name: StepName; status: StepStatus; detail: string };
/** What a step module returns: its status and one line of detail. */
export type StepOutcome = Omit<Step, 'name'>;

/** The steps of a run: connect only when asked for, compare only with --from-user. */
export const stepNames = (connect: boolean, fromUser = false): StepName[] =>
  STEP_NAMES.filter((n) => (n !== 'connect' || connect) && (n !== 'compare' || fromUser));

export type GeneratedSets = {
  /** the licensed set first, then the companion set when one is needed */
  docs: PermissionSetDoc[];
  warnings: string[];
  /** label: a user permission's admin-facing label, when known */
  omitted: Array<{ section: string; name: string; reason: string; label?: string }>;
  /** the API version the sets are written (and deployed) for */
  apiVersion?: string;
  /** copied access: the high-risk permissions left out and kept */
  highRisk?: HighRiskOutcome;
};

/** What the org tells the generator: the user permissions the PSL can carry (else the built-in table). */
export type GenerateContext = {
  licensedUserPermissions?: ReadonlySet<string>;
  /** the API version of the org connection (--api-version, or the org's) */
  orgApiVersion?: string;
  /** --from-user: the old user's effective access, converted instead of a profile file */
  baseInput?: ConversionInput;
};

/** Permission set generation, injected so `create` stays independent of the converter's internals. */
export type Generator = {
  generate(request: CreateRequest, context?: GenerateContext): Promise<GeneratedSets>;
  toXml(doc: PermissionSetDoc): string;
  /** writes the sets' source; a set whose files are identical is left alone, other content needs `force` (else GeneratedFileDiffers, nothing written) */
  write(docs: PermissionSetDoc[], outputDir: string | undefined, options?: { force?: boolean }): Promise<WrittenSets>;
  /** dry run: what write would do, writing nothing */
  plan(docs: PermissionSetDoc[], outputDir: string | undefined): Promise<PlannedSet[]>;
};

export type WrittenSets = {
  /** every file of the sets, written or unchanged */
  files: string[];
  sets: Array<{ fullName: string; action: 'written' | 'replaced' | 'unchanged' }>;
};
/** A set's files compared with what would be written: differing lists the existing files that differ. */
export type PlannedSet = {
  fullName: string;
  state: 'new' | 'unchanged' | 'differs';
  files: string[];
  differing: string[];
};

export type Progress = {
  start?(name: StepName): void;
  end?(step: Step): void;
  deploy?: (status: { status: string; deployed: number; total: number; errors: number }) => void;
};

export type CreateContext = {
  conn: Connection;
  request: CreateRequest;
  generator: Generator;
  dryRun?: boolean;
  /** replace generated permission set files that differ from what this run generates (e.g. edited by hand) */
  force?: boolean;
  waitMinutes?: number;
  /** deploy status poll interval in ms (fixed); default: start fast and back off */
  pollFrequencyMs?: number;
  progress?: Progress;
  /** create --connect: an External Client App running as the user, its files written below baseDir */
  connect?: { appName: string; scopes?: string[]; baseDir: string };
};

/**
 * One permission set's assignment to the user. "skipped": the org refused the generated companion set because the
 * user license doesn't allow a permission in it (reason: the org's message); it stays deployed, for review.
 */
export type Assignment = { status: 'done' | 'already done' | 'skipped' | 'planned'; reason?: string };

export type CreateResult = {
  username: string;
  userId?: string;
  orgId?: string;
  profile?: string;
  role?: string;
  dryRun: boolean;
  /** true when every step finished (done, already done or skipped) */
  success: boolean;
  steps: Step[];
  permissionSets: Array<{ name: string; generated: boolean; license?: string; assignment?: Assignment }>;
  files: string[];
  /** dry run only: the generated permission sets' XML */
  permissionSetXml?: Array<{ name: string; xml: string }>;
  /** dry run only: the User record that would be created (no secrets in it) */
  userRecord?: Record<string, string | boolean>;
  seats?: { userLicense?: SeatCount; permissionSetLicense?: SeatCount };
  /** create --connect: the External Client App step's result */
  connect?: ConnectResult;
  /** --from-user: the old user's access compared with the new user's (every gap also a warning) */
  fromUser?: FromUserComparison['from'];
  comparison?: Comparison;
  /** copied access: the high-risk user permissions left out (least privilege by default) and those kept on request */
  highRisk?: HighRiskOutcome;
  /** --narrow-to-usage: the usage logs read and the object access kept and left out */
  usage?: UsageNarrowing;
  warnings: string[];
  nextSteps: string[];
};

/** What preflight read and decided: everything later steps need to know about the org before changing it. */
export type Preflight = {
  profile: ProfileRef;
  role?: RoleRef;
  existing?: ExistingUser;
  newUser: NewUser;
  pslId: string;
  hasLicense: boolean;
  assigned: Set<string>;
  namedSets: Map<string, PermissionSetRef>;
  seats: { userLicense?: SeatCount; permissionSetLicense?: SeatCount };
  /** the request with names spelled as the org spells them */
  request: CreateRequest;
  licensedUserPermissions?: ReadonlySet<string>;
  fromUser?: FromUser;
  /** the profile file's or the old user's access, without what field-level security can't grant */
  conversion?: SecuredInput;
  warnings: string[];
};

/**
 * The state a run passes from step to step. Each step reads what earlier steps put here and returns its outcome;
 * the runner records the outcome. `result` is what the command prints and returns.
 */
export type RunState = {
  ctx: CreateContext;
  request: CreateRequest;
  dryRun: boolean;
  result: CreateResult;
  /** set by preflight */
  pre?: Preflight;
  /** set by generate */
  docs: PermissionSetDoc[];
  omitted: GeneratedSets['omitted'];
  /** set by generate: the API version the sets are written for, which the deploy uses */
  sourceApiVersion?: string;
  /** set by deploy: whether the org holds the generated sets already, and the deploy made */
  inOrg?: OrgState;
  deployed?: DeployOutcome;
  /** set by create-user when the license and assignments went in the same transaction as the user */
  writtenWithUser?: { license: boolean; assigned: string[] };
};

/** A step: reads the state, changes the org or the files, returns its outcome. */
export type StepModule = (state: RunState) => Promise<StepOutcome>;

/** The preflight of an existing run state (steps after preflight may rely on it). */
export function preOf(state: RunState): Preflight {
  if (!state.pre) throw new Error('preflight has not run');
  return state.pre;
}
