/**
 * Runs create's steps in order and owns the partial-failure policy. Every org step first checks what exists, so
 * running the command again resumes: existing records are reported as "already done", never duplicated.
 *
 * A failure throws the step's error when the user doesn't exist (nothing a re-run must finish: at most permission
 * sets the org holds as generated, which the re-run reuses), and a PartialFailure error (exit code 68, the result as
 * data) when the user exists: a re-run finishes it.
 */
import { Messages, SfError } from '@salesforce/core';
import { connectionLostError, isConnectionError, PARTIAL_EXIT_CODE } from '../org-api/errors.js';
import { GeneratedFileDiffersError } from './generate-errors.js';
import { assignLicenseStep } from './steps/assign-license.js';
import { assignPermissionSetsStep } from './steps/assign-permission-sets.js';
import { compareStep } from './steps/compare.js';
import { connectStep } from './steps/connect.js';
import { createUserStep } from './steps/create-user.js';
import { deployStep } from './steps/deploy.js';
import { generateStep } from './steps/generate.js';
import { nextStepsStep } from './steps/next-steps.js';
import { preflightStep } from './steps/preflight.js';
import {
  stepNames,
  type CreateContext,
  type CreateResult,
  type RunState,
  type Step,
  type StepModule,
  type StepName,
} from './types.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('sf-integration-user', 'integration-user.create');

const STEPS: Record<StepName, StepModule> = {
  preflight: preflightStep,
  generate: generateStep,
  deploy: deployStep,
  'create-user': createUserStep,
  'assign-license': assignLicenseStep,
  'assign-permission-sets': assignPermissionSetsStep,
  connect: connectStep,
  compare: compareStep,
  'next-steps': nextStepsStep,
};

/** Runs the create plan step by step; see the module comment for what a failure throws. */
export async function runCreate(ctx: CreateContext): Promise<CreateResult> {
  const state = initialState(ctx);
  const names = stepNames(Boolean(ctx.connect), Boolean(ctx.request.fromUser));
  let current: StepName = names[0];
  try {
    for (const name of names) {
      current = name;
      ctx.progress?.start?.(name);
      const step: Step = { name, ...(await STEPS[name](state)) };
      state.result.steps.push(step);
      ctx.progress?.end?.(step);
    }
  } catch (e) {
    throw failure(state, names, current, e);
  }
  state.result.success = true;
  return state.result;
}

function initialState(ctx: CreateContext): RunState {
  const dryRun = ctx.dryRun ?? false;
  return {
    ctx,
    request: ctx.request,
    dryRun,
    docs: [],
    omitted: [],
    result: {
      username: ctx.request.username,
      orgId: ctx.conn.getAuthInfoFields().orgId,
      dryRun,
      success: false,
      steps: [],
      permissionSets: [],
      files: [],
      warnings: [],
      nextSteps: [],
    },
  };
}

/** The error a failed step ends the run with: the step's own, or a resumable partial failure (exit 68). */
function failure(state: RunState, names: StepName[], current: StepName, e: unknown): Error {
  const { result, ctx } = state;
  // a lost connection surfaces as a TypeError from fetch: name it, and keep it out of the cause chain
  // (the CLI would report any TypeError in the chain as exit code 10, hiding the partial result)
  const error = isConnectionError(e) ? connectionLostError(current, e) : e instanceof Error ? e : new Error(String(e));
  const failed: Step = { name: current, status: 'failed', detail: error.message };
  result.steps.push(failed);
  ctx.progress?.end?.(failed);
  for (const name of names.slice(names.indexOf(current) + 1))
    result.steps.push({ name, status: 'skipped', detail: `not run: ${current} failed` });
  // the user is what a re-run must finish; files that differ stop the run before it changed anything
  const userInOrg = Boolean(result.userId) && !state.dryRun;
  if (!userInOrg || error instanceof GeneratedFileDiffersError) return error;
  const doneSoFar = result.steps.filter((s) => s.status === 'done' || s.status === 'already done').map((s) => s.name);
  const partial = messages.createError(
    'error.PartialFailure',
    [current, error.message, doneSoFar.join(', ') || 'nothing'],
    [],
    PARTIAL_EXIT_CODE,
  );
  if (error instanceof SfError && error.actions) partial.actions = [...error.actions, ...(partial.actions ?? [])];
  partial.setData(result);
  return partial;
}
