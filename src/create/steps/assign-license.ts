import { assignPermissionSetLicense } from '../../org-api/assignments.js';
import { mapAssignError } from '../../org-api/errors.js';
import { preOf, type RunState, type StepOutcome } from '../types.js';

/** Step 5: the permission set license, before any permission set that needs it. */
export async function assignLicenseStep(state: RunState): Promise<StepOutcome> {
  const pre = preOf(state);
  const { result } = state;
  if (state.writtenWithUser?.license)
    return { status: 'done', detail: 'Salesforce API Integration license (with the user)' };
  if (pre.hasLicense) return { status: 'already done', detail: 'Salesforce API Integration license held' };
  if (state.dryRun || !result.userId)
    return { status: 'planned', detail: 'assign the Salesforce API Integration license' };
  try {
    const outcome = await assignPermissionSetLicense(state.ctx.conn, result.userId, pre.pslId);
    return { status: outcome, detail: 'Salesforce API Integration license' };
  } catch (e) {
    throw mapAssignError(e);
  }
}
