import { mapCreateUserError } from '../../org/errors.js';
import { createUser, userRecord } from '../../org/users.js';
import { preOf, type RunState, type StepOutcome } from '../types.js';

/** Step 4: the user, on the integration profile (found by preflight when a run is resumed). */
export async function createUserStep(state: RunState): Promise<StepOutcome> {
  const pre = preOf(state);
  const { request, result, ctx } = state;
  if (pre.existing) return { status: 'already done', detail: `${pre.existing.username} (${pre.existing.id})` };
  if (state.dryRun) {
    result.userRecord = userRecord(pre.newUser);
    return { status: 'planned', detail: `create ${request.username} on profile "${pre.profile.name}"` };
  }
  try {
    result.userId = await createUser(ctx.conn, pre.newUser);
  } catch (e) {
    throw mapCreateUserError(e, request.username, ctx.conn.instanceUrl);
  }
  return { status: 'done', detail: `${request.username} (${result.userId})` };
}
