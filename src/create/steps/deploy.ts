import { deployPermissionSets } from '../../metadata/deploy.js';
import { mapDeployError } from '../../org-api/errors.js';
import { checkOrgPermissionSets } from '../org-permission-sets.js';
import type { RunState, StepOutcome } from '../types.js';

/**
 * Step 3: one real deploy of the generated sets, before the user exists, so a set the org refuses leaves no user
 * behind (a deploy rolls back on any error). None when the org holds the sets as generated. A set deployed while
 * the user creation then fails stays in the org and the re-run finds it as generated: nothing is deployed twice.
 */
export async function deployStep(state: RunState): Promise<StepOutcome> {
  const { ctx, docs, result } = state;
  if (docs.length === 0) return { status: 'skipped', detail: 'nothing to deploy' };
  const inOrg = await checkOrgPermissionSets(ctx.conn, docs);
  state.inOrg = inOrg;
  if (inOrg.upToDate) return { status: 'already done', detail: inOrg.reason };
  const why = `${inOrg.reason}; `;
  if (state.dryRun) return { status: 'planned', detail: `${why}deploy ${docs.map((d) => d.fullName).join(', ')}` };
  try {
    state.deployed = await deployPermissionSets(ctx.conn, result.files, {
      waitMinutes: ctx.waitMinutes,
      pollFrequencyMs: ctx.pollFrequencyMs,
      onProgress: ctx.progress?.deploy,
      sourceApiVersion: state.sourceApiVersion,
    });
  } catch (e) {
    throw mapDeployError(e, result.files);
  }
  const deployed = state.deployed;
  return {
    status: deployed.changed ? 'done' : 'already done',
    detail: `${why}deploy ${deployed.id}: ${deployed.components.map((c) => `${c.fullName} ${c.state}`).join(', ')}`,
  };
}
