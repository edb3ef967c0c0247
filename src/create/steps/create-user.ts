import { mapCreateUserError } from '../../org-api/errors.js';
import type { PermissionSetRef } from '../../org-api/assignments.js';
import { createUserWithAccess } from '../../org-api/user-with-access.js';
import { createUser, userRecord } from '../../org-api/users.js';
import { preOf, type RunState, type StepOutcome } from '../types.js';
import { resolvePermissionSetIds } from './assign-permission-sets.js';

/**
 * Step 4: the user, on the integration profile (found by preflight when a run is resumed). A new user goes in one
 * transaction with its license and permission sets (one round trip); when the org refuses that combination, the user
 * alone, and the next steps assign as before.
 */
export async function createUserStep(state: RunState): Promise<StepOutcome> {
  const pre = preOf(state);
  const { request, result, ctx } = state;
  if (pre.existing) return { status: 'already done', detail: `${pre.existing.username} (${pre.existing.id})` };
  if (state.dryRun) {
    result.userRecord = userRecord(pre.newUser);
    return { status: 'planned', detail: `create ${request.username} on profile "${pre.profile.name}"` };
  }
  const sets = await knownSetIds(state);
  const combined = await createUserWithAccess(ctx.conn, pre.newUser, pre.pslId, sets);
  if (combined.outcome === 'created') {
    result.userId = combined.userId;
    state.writtenWithUser = { license: true, assigned: sets.map((s) => s.name) };
    return {
      status: 'done',
      detail: `${request.username} (${result.userId}), with its license and ${sets.length} permission set(s) in one transaction`,
    };
  }
  if (combined.outcome === 'user-refused')
    throw mapCreateUserError(combined.error, request.username, ctx.conn.instanceUrl);
  try {
    result.userId = await createUser(ctx.conn, pre.newUser);
  } catch (e) {
    throw mapCreateUserError(e, request.username, ctx.conn.instanceUrl);
  }
  return { status: 'done', detail: `${request.username} (${result.userId})` };
}

/** The Ids of the sets to assign; none when one can't be found (the assign step then reports it, as before). */
async function knownSetIds(state: RunState): Promise<PermissionSetRef[]> {
  const wanted = [...state.docs.map((d) => d.fullName), ...state.request.permissionSets];
  if (wanted.length === 0) return [];
  try {
    return await resolvePermissionSetIds(state.ctx.conn, wanted, preOf(state).namedSets, state.deployed);
  } catch {
    return [];
  }
}
