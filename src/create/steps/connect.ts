import { runConnect } from '../../connect/connect.js';
import { preOf, type RunState, type StepOutcome } from '../types.js';

/** create --connect: the External Client App running as the user (API only: preflight allows no other user). */
export async function connectStep(state: RunState): Promise<StepOutcome> {
  const wanted = state.ctx.connect;
  if (!wanted) return { status: 'skipped', detail: 'no --connect' };
  const { ctx, request, result } = state;
  const outcome = await runConnect({
    conn: ctx.conn,
    username: request.username,
    appName: wanted.appName,
    scopes: wanted.scopes,
    baseDir: wanted.baseDir,
    dryRun: state.dryRun || !result.userId,
    knownUser: {
      id: result.userId ?? '',
      username: request.username,
      email: request.email,
      profileName: preOf(state).profile.name,
      apiOnly: true,
      isActive: true,
    },
    deploy: { waitMinutes: ctx.waitMinutes, pollFrequencyMs: ctx.pollFrequencyMs, onProgress: ctx.progress?.deploy },
  });
  result.connect = outcome;
  result.files.push(...outcome.components.filter((c) => c.file === 'written').map((c) => c.path));
  result.warnings.push(...outcome.warnings);
  return {
    status: outcome.status,
    detail: `External Client App ${outcome.appName}${outcome.deployId ? ` (deploy ${outcome.deployId})` : ''}`,
  };
}
