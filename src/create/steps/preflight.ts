import { preflight } from '../preflight.js';
import { checkCreateInput } from '../input-checks.js';
import type { RunState, StepOutcome } from '../types.js';

/** Step 1, reads only: what the org holds and whether the run can go ahead. */
export async function preflightStep(state: RunState): Promise<StepOutcome> {
  // input first: nothing Salesforce would refuse later may reach the org (dry run or not)
  await checkCreateInput(state.request, { connectAppName: state.ctx.connect?.appName });
  const pre = await preflight(state.ctx.conn, state.request);
  state.pre = pre;
  state.request = pre.request;
  const { result } = state;
  result.warnings.push(...pre.warnings);
  result.seats = pre.seats;
  result.profile = pre.profile.name;
  result.role = pre.role?.developerName;
  if (pre.existing) result.userId = pre.existing.id;
  const seats = pre.seats.userLicense;
  return {
    status: 'done',
    detail: [
      pre.existing
        ? `user ${pre.existing.username} exists (${pre.existing.id}): resuming`
        : `username ${state.request.username} is free here`,
      `profile "${pre.profile.name}"${pre.profile.legacy ? ' (legacy)' : ''}`,
      seats ? `${seats.free} of ${seats.total} Salesforce Integration seats free` : '',
    ]
      .filter(Boolean)
      .join('; '),
  };
}
