import { isConnectionError } from '../../org-api/errors.js';
import { compareWithNewUser } from '../from-user.js';
import { preOf, type RunState, type StepOutcome } from '../types.js';

/** --from-user: what the new user will and won't be able to do, compared with the old one. */
export async function compareStep(state: RunState): Promise<StepOutcome> {
  const fromUser = preOf(state).fromUser;
  if (!fromUser) return { status: 'skipped', detail: 'no --from-user' };
  const { result, dryRun } = state;
  try {
    const compared = await compareWithNewUser(
      state.ctx.conn,
      fromUser,
      { docs: state.docs, omitted: state.omitted },
      {
        username: state.request.username,
        existsInOrg: !dryRun && Boolean(result.userId),
      },
    );
    result.fromUser = compared.from;
    result.comparison = compared.comparison;
    result.warnings.push(...compared.warnings);
    const gaps = compared.comparison.rows.filter((r) => r.lacks.length > 0).length;
    return { status: dryRun ? 'planned' : 'done', detail: `${gaps} gaps compared with ${compared.from.username}` };
  } catch (e) {
    // the user is in place: a comparison that can't be read is a warning, not a failure
    if (isConnectionError(e)) throw e;
    result.warnings.push(
      `Couldn't compare with ${fromUser.access.user.username}: ${e instanceof Error ? e.message : String(e)}`,
    );
    return { status: 'skipped', detail: 'comparison failed, see warnings' };
  }
}
