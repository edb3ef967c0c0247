import type { Connection } from '@salesforce/core';
import { Messages, SfError } from '@salesforce/core';
import type { PermissionSetDoc } from '../permissions/model.js';
import { deployPermissionSets, type DeployOutcome } from '../metadata/deploy.js';
import { findFieldSecurity, findMissingTargets } from '../org/access-check.js';
import { readProfileFile } from '../profile/read-profile.js';
import { applyFieldSecurity, convertedFields, type SecuredInput } from './field-security.js';
import { checkOrgPermissionSets, type OrgState } from './org-permission-sets.js';
import {
  assignPermissionSetLicense,
  assignPermissionSets,
  findPermissionSets,
  getAssignedPermissionSetNames,
  hasLicenseAssignment,
  isLicenseRefusal,
  type PermissionSetRef,
} from '../org/assignments.js';
import { connectionLostError, isConnectionError, mapAssignError, mapCreateUserError, mapDeployError } from '../org/errors.js';
import { getIntegrationSeats, getPslAllowedPermissions, type SeatCount } from '../org/licenses.js';
import { findIntegrationProfile, findRole, type ProfileRef, type RoleRef } from '../org/profile.js';
import { createUser, isEmailShaped, lookupUsers, userRecord, type ExistingUser, type NewUser } from '../org/users.js';
import type { ConversionInput } from '../permissions/convert.js';
import type { Comparison } from '../compare/compare.js';
import { compareWithNewUser, readFromUser, type FromUser, type FromUserComparison } from './from-user.js';
import { wantsGeneratedAccess, type CreateRequest } from './request.js';
import { runConnect, type ConnectResult } from '../connect/connect.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('sf-integration-user', 'integration-user.create');

export const STEP_NAMES = [
  'preflight',
  'generate',
  'validate',
  'create-user',
  'deploy',
  'assign-license',
  'assign-permission-sets',
  'connect',
  'compare',
  'next-steps',
] as const;
export type StepName = (typeof STEP_NAMES)[number];
export type StepStatus = 'done' | 'already done' | 'skipped' | 'failed' | 'planned';
export type Step = { name: StepName; status: StepStatus; detail: string };

/** Exit code for a partial result, as Salesforce's plugins use for partial success. */
export const PARTIAL_EXIT_CODE = 68;

export type GeneratedSets = {
  /** the licensed set first, then the companion set when one is needed */
  docs: PermissionSetDoc[];
  warnings: string[];
  /** label: a user permission's admin-facing label, when known */
  omitted: Array<{ section: string; name: string; reason: string; label?: string }>;
  /** the API version the sets are written (and deployed) for */
  apiVersion?: string;
};

/** What the org tells the generator: the user permissions the PSL can carry (else the built-in table). */
export type GenerateContext = {
  licensedUserPermissions?: ReadonlySet<string>;
  /** the API version of the org connection (--api-version, or the org's) */
  orgApiVersion?: string;
  /** --from-user: the old user's effective access, converted instead of a profile file */
  baseInput?: ConversionInput;
};

/** Permission set generation, injected so this module stays independent of the converter's internals. */
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
export type PlannedSet = { fullName: string; state: 'new' | 'unchanged' | 'differs'; files: string[]; differing: string[] };

export type Progress = {
  start?(name: StepName): void;
  end?(step: Step): void;
  deploy?(status: { status: string; deployed: number; total: number; errors: number }): void;
};

export type CreateContext = {
  conn: Connection;
  request: CreateRequest;
  generator: Generator;
  dryRun?: boolean;
  /** replace generated permission set files that differ from what this run generates (e.g. edited by hand) */
  force?: boolean;
  waitMinutes?: number;
  pollFrequencyMs?: number;
  progress?: Progress;
  /** create --connect: an External Client App running as the user, its files written below baseDir */
  connect?: { appName: string; scopes?: string[]; baseDir: string };
};

/** The steps of a run: connect only when asked for. */
export const stepNames = (connect: boolean, fromUser = false): StepName[] =>
  STEP_NAMES.filter((n) => (n !== 'connect' || connect) && (n !== 'compare' || fromUser));

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
  warnings: string[];
  nextSteps: string[];
};

type Preflight = {
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
 * Runs the create plan step by step. Every org step first checks what exists, so running it again
 * resumes: existing records are reported as "already done", never duplicated.
 *
 * Throws the step's error when the org was not changed yet (the user can simply fix and re-run), and
 * a PartialFailure error (exit code 68, the result as data) when it was.
 */
export async function runCreate(ctx: CreateContext): Promise<CreateResult> {
  const { conn, generator, progress } = ctx;
  let request = ctx.request;
  const dryRun = ctx.dryRun ?? false;
  const result: CreateResult = {
    username: request.username,
    orgId: conn.getAuthInfoFields().orgId,
    dryRun,
    success: false,
    steps: [],
    permissionSets: [],
    files: [],
    warnings: [],
    nextSteps: [],
  };
  // whether anything of ours is in the org: decides between a plain error and a resumable partial failure
  let orgTouched = false;
  let current: StepName = 'preflight';

  const run = async (name: StepName, body: () => Promise<Omit<Step, 'name'>>): Promise<void> => {
    current = name;
    progress?.start?.(name);
    const outcome = await body();
    const step: Step = { name, ...outcome };
    result.steps.push(step);
    progress?.end?.(step);
  };

  try {
    // 1. preflight: reads only
    let pre!: Preflight;
    await run('preflight', async () => {
      pre = await preflight(conn, request);
      request = pre.request;
      result.warnings.push(...pre.warnings);
      result.seats = pre.seats;
      result.profile = pre.profile.name;
      result.role = pre.role?.developerName;
      if (pre.existing) {
        result.userId = pre.existing.id;
        orgTouched = true;
      }
      const seats = pre.seats.userLicense;
      return {
        status: 'done',
        detail: [
          pre.existing ? `user ${pre.existing.username} exists (${pre.existing.id}): resuming` : `username ${request.username} is free here`,
          `profile "${pre.profile.name}"${pre.profile.legacy ? ' (legacy)' : ''}`,
          seats ? `${seats.free} of ${seats.total} Salesforce Integration seats free` : '',
        ]
          .filter(Boolean)
          .join('; '),
      };
    });

    // 2. generate the permission set source
    let docs: PermissionSetDoc[] = [];
    let omitted: GeneratedSets['omitted'] = [];
    let sourceApiVersion: string | undefined;
    await run('generate', async () => {
      if (!wantsGeneratedAccess(request)) return { status: 'skipped', detail: 'no object, field or user permission requested' };
      const generated = await generator.generate(request, { licensedUserPermissions: pre.licensedUserPermissions, baseInput: pre.conversion?.input, orgApiVersion: conn.getApiVersion() });
      sourceApiVersion = generated.apiVersion;
      docs = generated.docs;
      omitted = [...(pre.fromUser?.omitted ?? []), ...(pre.conversion?.omitted ?? []), ...generated.omitted];
      result.warnings.push(
        ...(pre.conversion?.warnings ?? []),
        ...generated.warnings,
        ...omitted.map((o) => `Left out ${o.section} ${o.label ? `${o.name} (${o.label})` : o.name}: ${o.reason}`)
      );
      result.permissionSets.push(...docs.map((d) => ({ name: d.fullName, generated: true, license: d.license })));
      if (dryRun) {
        result.permissionSetXml = docs.map((d) => ({ name: d.fullName, xml: generator.toXml(d) }));
        const planned = await generator.plan(docs, request.outputDir);
        const differs = planned.filter((p) => p.state === 'differs');
        if (differs.length > 0 && !ctx.force) {
          result.warnings.push(messages.getMessage('plan.filesDiffer', [differs.flatMap((p) => p.differing).join(', ')]));
        }
        const plan = planned.map((p) =>
          p.state === 'new'
            ? `would write ${p.fullName}`
            : p.state === 'unchanged'
              ? `${p.fullName} unchanged`
              : messages.getMessage(ctx.force ? 'plan.wouldReplace' : 'plan.wouldNeedForce', [p.fullName, p.differing.join(', ')])
        );
        return { status: 'planned', detail: plan.join('; ') };
      }
      const written = await generator.write(docs, request.outputDir, { force: ctx.force });
      result.files = written.files;
      const byAction = (action: WrittenSets['sets'][number]['action']): string[] =>
        written.sets.filter((w) => w.action === action).map((w) => w.fullName);
      const unchanged = byAction('unchanged');
      if (unchanged.length === written.sets.length) return { status: 'already done', detail: `unchanged: ${result.files.join(', ')}` };
      return {
        status: 'done',
        detail: [
          byAction('written').length ? `wrote ${byAction('written').join(', ')}` : '',
          byAction('replaced').length ? `replaced (--force) ${byAction('replaced').join(', ')}` : '',
          unchanged.length ? `unchanged ${unchanged.join(', ')}` : '',
          `files: ${result.files.join(', ')}`,
        ]
          .filter(Boolean)
          .join('; '),
      };
    });
    result.permissionSets.push(
      ...request.permissionSets.map((name) => ({ name: pre.namedSets.get(name.toLowerCase())?.name ?? name, generated: false }))
    );

    const deployOptions = {
      waitMinutes: ctx.waitMinutes,
      pollFrequencyMs: ctx.pollFrequencyMs,
      onProgress: progress?.deploy,
    };

    // 3. validate first when the user is new, so a bad permission set never leaves a user behind;
    // first, whether the org holds the generated sets already (a re-run then deploys nothing)
    let inOrg: OrgState | undefined;
    await run('validate', async () => {
      if (docs.length === 0) return { status: 'skipped', detail: 'nothing to deploy' };
      inOrg = await checkOrgPermissionSets(conn, docs);
      if (inOrg.upToDate) return { status: 'skipped', detail: inOrg.reason };
      if (pre.existing) return { status: 'skipped', detail: 'the user exists: deploying directly' };
      if (dryRun) return { status: 'planned', detail: 'check-only deploy of the generated permission sets' };
      try {
        const outcome = await deployPermissionSets(conn, result.files, { ...deployOptions, sourceApiVersion, checkOnly: true });
        return { status: 'done', detail: `check-only deploy ${outcome.id} succeeded` };
      } catch (e) {
        throw mapDeployError(e, result.files);
      }
    });

    // 4. create the user
    await run('create-user', async () => {
      if (pre.existing) return { status: 'already done', detail: `${pre.existing.username} (${pre.existing.id})` };
      if (dryRun) {
        result.userRecord = userRecord(pre.newUser);
        return { status: 'planned', detail: `create ${request.username} on profile "${pre.profile.name}"` };
      }
      try {
        result.userId = await createUser(conn, pre.newUser);
      } catch (e) {
        throw mapCreateUserError(e, request.username, conn.instanceUrl);
      }
      orgTouched = true;
      return { status: 'done', detail: `${request.username} (${result.userId})` };
    });

    // 5. deploy the permission sets
    let deployed: DeployOutcome | undefined;
    await run('deploy', async () => {
      if (docs.length === 0) return { status: 'skipped', detail: 'nothing to deploy' };
      if (inOrg?.upToDate) return { status: 'already done', detail: inOrg.reason };
      const why = inOrg ? `${inOrg.reason}; ` : '';
      if (dryRun) return { status: 'planned', detail: `${why}deploy ${docs.map((d) => d.fullName).join(', ')}` };
      try {
        deployed = await deployPermissionSets(conn, result.files, { ...deployOptions, sourceApiVersion });
      } catch (e) {
        throw mapDeployError(e, result.files);
      }
      orgTouched = true;
      return {
        status: deployed.changed ? 'done' : 'already done',
        detail: `${why}deploy ${deployed.id}: ${deployed.components.map((c) => `${c.fullName} ${c.state}`).join(', ')}`,
      };
    });

    // 6. the permission set license, before any permission set that needs it
    await run('assign-license', async () => {
      if (pre.hasLicense) return { status: 'already done', detail: 'Salesforce API Integration license held' };
      if (dryRun || !result.userId) return { status: 'planned', detail: 'assign the Salesforce API Integration license' };
      let outcome;
      try {
        outcome = await assignPermissionSetLicense(conn, result.userId, pre.pslId);
      } catch (e) {
        throw mapAssignError(e);
      }
      return { status: outcome, detail: 'Salesforce API Integration license' };
    });

    // 7. the generated and the named permission sets. The companion set (no license) may hold permissions the
    // Salesforce Integration user license doesn't allow either: the org then refuses it, which is a warning (the set
    // stays deployed for review, the comparison shows what's missing), not a failed run. Sets named with
    // --permission-set were asked for by name: a refusal of those fails the step.
    await run('assign-permission-sets', async () => {
      const wanted = [...docs.map((d) => d.fullName), ...request.permissionSets];
      if (wanted.length === 0) return { status: 'skipped', detail: 'no permission sets to assign' };
      const companions = docs.filter((d) => !d.license);
      const companionOf = (name: string): PermissionSetDoc | undefined => companions.find((d) => d.fullName.toLowerCase() === name.toLowerCase());
      const mark = (name: string, assignment: Assignment): void => {
        const entry = result.permissionSets.find((p) => p.name.toLowerCase() === name.toLowerCase());
        if (entry) entry.assignment = assignment;
      };
      const todo = wanted.filter((n) => !pre.assigned.has(n.toLowerCase()));
      const already = wanted.filter((n) => pre.assigned.has(n.toLowerCase()));
      already.forEach((n) => mark(n, { status: 'already done' }));
      if (todo.length === 0) return { status: 'already done', detail: `assigned: ${already.join(', ')}` };
      if (dryRun || !result.userId) {
        todo.forEach((n) => mark(n, { status: 'planned' }));
        const mayBeRefused = todo.filter((n) => companionOf(n));
        return {
          status: 'planned',
          detail: [`assign ${todo.join(', ')}`, ...mayBeRefused.map((n) => messages.getMessage('plan.companionMayBeRefused', [n]))].join('; '),
        };
      }
      const refs = await resolvePermissionSetIds(conn, todo, pre.namedSets, deployed);
      const outcomes = await assignPermissionSets(conn, result.userId, refs);
      const failed = outcomes.filter((o): o is { name: string; error: Error } => 'error' in o);
      const refused = failed.filter((f) => companionOf(f.name) && isLicenseRefusal(f.error as Error & { errorCode?: string }));
      for (const { name, error } of refused) {
        mark(name, { status: 'skipped', reason: error.message });
        result.warnings.push(companionRefusedWarning(companionOf(name)!, request.username, error.message, result.files));
      }
      const done = outcomes.filter((o) => 'outcome' in o && o.outcome === 'done').map((o) => o.name);
      const dup = [...already, ...outcomes.filter((o) => 'outcome' in o && o.outcome === 'already done').map((o) => o.name)];
      done.forEach((n) => mark(n, { status: 'done' }));
      dup.forEach((n) => mark(n, { status: 'already done' }));
      const hard = failed.filter((f) => !refused.includes(f));
      if (hard.length > 0) {
        const mapped = mapAssignError(hard[0].error);
        mapped.message = `${hard.map((f) => `${f.name}: ${f.error.message}`).join('; ')}`;
        throw mapped;
      }
      return {
        status: done.length > 0 ? 'done' : dup.length > 0 ? 'already done' : 'skipped',
        detail: [
          done.length ? `assigned ${done.join(', ')}` : '',
          dup.length ? `already assigned ${dup.join(', ')}` : '',
          ...refused.map((f) => `not assigned ${f.name}: the org refused it (${f.error.message}), see warnings`),
        ]
          .filter(Boolean)
          .join('; '),
      };
    });

    // the External Client App running as the user (API only: preflight allows no other user)
    if (ctx.connect) {
      const wanted = ctx.connect;
      await run('connect', async () => {
        const outcome = await runConnect({
          conn,
          username: request.username,
          appName: wanted.appName,
          scopes: wanted.scopes,
          baseDir: wanted.baseDir,
          dryRun: dryRun || !result.userId,
          knownUser: { id: result.userId ?? '', username: request.username, email: request.email, profileName: pre.profile.name, apiOnly: true, isActive: true },
          deploy: deployOptions,
        });
        result.connect = outcome;
        result.files.push(...outcome.components.filter((c) => c.file === 'written').map((c) => c.path));
        result.warnings.push(...outcome.warnings);
        return { status: outcome.status, detail: `External Client App ${outcome.appName}${outcome.deployId ? ` (deploy ${outcome.deployId})` : ''}` };
      });
    }

    // 8. --from-user: what the new user will and won't be able to do, compared with the old one
    // (a step only with --from-user, as connect only with --connect)
    if (pre.fromUser) await run('compare', async () => {
      if (!pre.fromUser) return { status: 'skipped', detail: 'no --from-user' };
      try {
        const compared = await compareWithNewUser(conn, pre.fromUser, { docs, omitted }, {
          username: request.username,
          existsInOrg: !dryRun && Boolean(result.userId),
        });
        result.fromUser = compared.from;
        result.comparison = compared.comparison;
        result.warnings.push(...compared.warnings);
        const gaps = compared.comparison.rows.filter((r) => r.lacks.length > 0).length;
        return { status: dryRun ? 'planned' : 'done', detail: `${gaps} gaps compared with ${compared.from.username}` };
      } catch (e) {
        // the user is in place: a comparison that can't be read is a warning, not a failure
        if (isConnectionError(e)) throw e;
        result.warnings.push(`Couldn't compare with ${pre.fromUser.access.user.username}: ${e instanceof Error ? e.message : String(e)}`);
        return { status: 'skipped', detail: 'comparison failed, see warnings' };
      }
    });

    // 9. what to do next
    await run('next-steps', () => {
      result.nextSteps = nextSteps(request, result);
      return Promise.resolve({ status: dryRun ? 'planned' : 'done', detail: result.nextSteps.join(' ') });
    });
  } catch (e) {
    // a lost connection surfaces as a TypeError from fetch: name it, and keep it out of the cause chain
    // (the CLI would report any TypeError in the chain as exit code 10, hiding the partial result)
    const error = isConnectionError(e) ? connectionLostError(current, e) : e instanceof Error ? e : new Error(String(e));
    const failed: Step = { name: current, status: 'failed', detail: error.message };
    result.steps.push(failed);
    progress?.end?.(failed);
    const names = stepNames(Boolean(ctx.connect), Boolean(request.fromUser));
    for (const name of names.slice(names.indexOf(current) + 1)) {
      result.steps.push({ name, status: 'skipped', detail: `not run: ${current} failed` });
    }
    // files that differ stop the run before this run changed anything: a plain error, not "re-run to resume"
    if (!orgTouched || (error instanceof SfError && error.name === 'GeneratedFileDiffersError')) throw error;
    const doneSoFar = result.steps.filter((s) => s.status === 'done' || s.status === 'already done').map((s) => s.name);
    const partial = messages.createError('error.PartialFailure', [current, error.message, doneSoFar.join(', ') || 'nothing'], [], PARTIAL_EXIT_CODE);
    if (error instanceof SfError && error.actions) partial.actions = [...error.actions, ...(partial.actions ?? [])];
    partial.setData(result);
    throw partial;
  }
  result.success = true;
  return result;
}

// 15- and 18-character forms of one Id share the first 15 characters
const sameId = (a: string | undefined, b: string | undefined): boolean => Boolean(a && b && a.slice(0, 15) === b.slice(0, 15));

/** All read-only checks; collects every problem so the user fixes them in one go. */
async function preflight(conn: Connection, request: CreateRequest): Promise<Preflight> {
  if (!isEmailShaped(request.username)) throw messages.createError('error.InvalidUsername', [request.username]);
  if (!isEmailShaped(request.email)) throw messages.createError('error.InvalidEmail', [request.email]);

  // independent reads go out together
  // the PSL's own list of what it carries matters only when user permissions are converted
  const wantsPslList = request.userPermissions.length > 0 || Boolean(request.fromProfileFile) || Boolean(request.fromUser);
  const warnings: string[] = [];
  const [seats, profile, role, users, missing, namedSets, licensedUserPermissions, fromUser, profileInput] = await Promise.all([
    getIntegrationSeats(conn),
    findIntegrationProfile(conn),
    request.role ? findRole(conn, request.role) : Promise.resolve(undefined),
    lookupUsers(conn, request.username),
    findMissingTargets(conn, {
      objects: request.objects.map((o) => o.object),
      fields: request.fields.map((f) => f.field),
      userPermissions: request.userPermissions,
    }),
    findPermissionSets(conn, request.permissionSets),
    wantsPslList
      ? getPslAllowedPermissions(conn, request.fromProfileFile || request.fromUser ? undefined : request.userPermissions).catch((e: unknown) => {
          warnings.push(`Couldn't read what the permission set license carries (${e instanceof Error ? e.message : String(e)}): using the built-in list.`);
          return undefined;
        })
      : Promise.resolve(undefined),
    request.fromUser ? readFromUser(conn, request.fromUser) : Promise.resolve(undefined),
    request.fromProfileFile ? readProfileFile(request.fromProfileFile) : Promise.resolve(undefined),
  ]);

  const problems: SfError[] = [];
  const existing = users.target;
  const { userLicense, permissionSetLicense: psl } = seats;
  if (!userLicense) problems.push(messages.createError('error.NoIntegrationLicense'));
  else if (!existing && userLicense.free <= 0) {
    problems.push(messages.createError('error.LicenseLimitExceeded', [String(userLicense.used), String(userLicense.total)]));
  }
  if (!profile) problems.push(messages.createError('error.NoIntegrationProfile'));
  if (request.role && !role) problems.push(messages.createError('error.RoleNotFound', [request.role]));
  if (existing && profile && !profile.integrationProfileIds.some((id) => sameId(id, existing.profileId))) {
    problems.push(messages.createError('error.UserHasOtherProfile', [existing.username, existing.profileName ?? existing.profileId ?? '?']));
  } else if (existing && !existing.isActive) {
    problems.push(messages.createError('error.UserInactive', [existing.username]));
  }
  if (missing.objects.length) problems.push(messages.createError('error.UnknownObject', [missing.objects.join(', ')]));
  if (missing.fields.length) problems.push(messages.createError('error.UnknownField', [missing.fields.join(', ')]));
  if (missing.notPermissionable.length) {
    problems.push(messages.createError('error.FieldNotPermissionable', [missing.notPermissionable.join(', ')]));
  }
  const readOnly = new Set(missing.readOnly.map((f) => f.toLowerCase()));
  const editOnReadOnly = request.fields
    .filter((f) => f.access === 'edit')
    .map((f) => missing.canonical.get(f.field.toLowerCase()) ?? f.field)
    .filter((f) => readOnly.has(f.toLowerCase()));
  if (editOnReadOnly.length) problems.push(messages.createError('error.FieldNotEditable', [editOnReadOnly.join(', ')]));
  if (missing.userPermissions.length) {
    problems.push(messages.createError('error.UnknownUserPermission', [missing.userPermissions.join(', ')]));
  }
  const absent = request.permissionSets.filter((n) => !namedSets.has(n.toLowerCase()));
  if (absent.length) problems.push(messages.createError('error.PermissionSetNotFound', [absent.join(', ')]));
  // a set tied to another license (e.g. the full Salesforce user license) can never be assigned to this user
  const okLicenses = [psl?.id, userLicense?.id].filter((id): id is string => Boolean(id));
  const wrongLicense = [...namedSets.values()].filter((ps) => ps.licenseId && !okLicenses.some((id) => sameId(id, ps.licenseId)));
  if (wrongLicense.length) {
    problems.push(messages.createError('error.PermissionSetWrongLicense', [wrongLicense.map((ps) => ps.name).join(', ')]));
  }
  if (existing && role && !sameId(existing.userRoleId, role.id)) {
    warnings.push(messages.getMessage('warning.existingDiffers', ['role', `requested ${role.developerName}`]));
  }
  if (existing && existing.email && existing.email.toLowerCase() !== request.email.toLowerCase()) {
    warnings.push(messages.getMessage('warning.existingDiffers', ['email', `${existing.email}, requested ${request.email}`]));
  }

  // the user's current assignments decide what a re-run still has to do
  let hasLicense = false;
  let assigned = new Set<string>();
  if (existing && psl) {
    [hasLicense, assigned] = await Promise.all([
      hasLicenseAssignment(conn, existing.id, psl.id),
      getAssignedPermissionSetNames(conn, existing.id),
    ]);
  }
  if (!psl) problems.push(messages.createError('error.MissingPermissionSetLicense'));
  else if (!hasLicense && psl.free <= 0) {
    problems.push(messages.createError('error.PermissionSetLicenseLimitExceeded', [String(psl.used), String(psl.total)]));
  }

  if (problems.length === 1) throw problems[0];
  if (problems.length > 1) {
    const error = messages.createError('error.PreflightFailed', [
      String(problems.length),
      problems.map((p) => `- ${p.message}`).join('\n'),
    ]);
    error.actions = problems.flatMap((p) => p.actions ?? []);
    error.setData({ problems: problems.map((p) => ({ name: p.name, message: p.message })) });
    throw error;
  }

  // converted access (profile file, old user): what field-level security can't grant is left out, not a failed deploy;
  // --field entries replace converted ones and were checked above. Objects described already aren't asked again.
  const base = profileInput ?? fromUser?.input;
  let conversion: SecuredInput | undefined;
  if (base) {
    const requested = new Set(request.fields.map((f) => f.field.toLowerCase()));
    const fields = convertedFields(base).filter((f) => !requested.has(f.toLowerCase()));
    conversion = applyFieldSecurity(base, await findFieldSecurity(conn, fields, missing.describes));
  }

  return {
    profile: profile!,
    role,
    existing,
    pslId: psl!.id,
    hasLicense,
    assigned,
    namedSets,
    seats,
    licensedUserPermissions,
    fromUser,
    conversion,
    warnings: [...warnings, ...(fromUser?.access.warnings ?? [])],
    request: canonicalize(request, missing.canonical),
    newUser: {
      username: request.username,
      email: request.email,
      firstName: request.firstName,
      lastName: request.lastName,
      alias: request.alias,
      profileId: profile!.id,
      userRoleId: role?.id,
      marketingUser: request.marketingUser,
      defaults: users.defaults,
    },
  };
}

/** The request with object, field and permission names as the org spells them (the converter matches exactly). */
function canonicalize(request: CreateRequest, canonical: Map<string, string>): CreateRequest {
  const name = (n: string): string => canonical.get(n.toLowerCase()) ?? n;
  return {
    ...request,
    objects: request.objects.map((o) => ({ ...o, object: name(o.object) })),
    fields: request.fields.map((f) => ({ ...f, field: name(f.field) })),
    userPermissions: request.userPermissions.map(name),
  };
}

/** Ids from the deploy result where it gives them, then one query for the rest. */
async function resolvePermissionSetIds(
  conn: Connection,
  names: string[],
  known: Map<string, PermissionSetRef>,
  deployed: DeployOutcome | undefined
): Promise<PermissionSetRef[]> {
  const refs = new Map<string, PermissionSetRef>(known);
  for (const c of deployed?.components ?? []) {
    if (c.type === 'PermissionSet' && c.id) refs.set(c.fullName.toLowerCase(), { id: c.id, name: c.fullName });
  }
  const unknown = names.filter((n) => !refs.has(n.toLowerCase()));
  if (unknown.length) for (const [k, v] of await findPermissionSets(conn, unknown)) refs.set(k, v);
  const stillUnknown = names.filter((n) => !refs.has(n.toLowerCase()));
  if (stillUnknown.length) throw messages.createError('error.PermissionSetNotFound', [stillUnknown.join(', ')]);
  return names.map((n) => refs.get(n.toLowerCase())!);
}

/** What to do about a companion set the org refused: the set, the refused permission, the way out. */
function companionRefusedWarning(companion: PermissionSetDoc, username: string, reason: string, files: readonly string[]): string {
  const userPermissions = (companion.sections.userPermissions ?? []).map((e) => String(e.name)).sort();
  const file = files.find((f) => f.includes(companion.fullName)) ?? companion.fullName;
  return messages.getMessage('warning.companionRefused', [
    companion.fullName,
    username,
    reason,
    userPermissions.length ? `its user permissions: ${userPermissions.join(', ')}` : 'its content',
    file,
  ]);
}

function nextSteps(request: CreateRequest, result: CreateResult): string[] {
  const steps: string[] = [];
  if (result.dryRun) steps.push(messages.getMessage('next.dryRun'));
  steps.push(messages.getMessage('next.noPassword'));
  // a dry run's connect step has only its own dry-run line, which the line above says already
  if (result.connect) steps.push(...(result.dryRun ? [] : result.connect.nextSteps));
  else steps.push(messages.getMessage('next.password', [request.username, request.email]));
  if (result.files.length) steps.push(messages.getMessage('next.commit', [result.files.join(', ')]));
  return steps;
}
