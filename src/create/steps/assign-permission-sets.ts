import type { Connection } from '@salesforce/core';
import { Messages } from '@salesforce/core';
import type { DeployOutcome } from '../../metadata/deploy.js';
import type { PermissionSetDoc } from '../../permissions/model.js';
import {
  assignPermissionSets,
  findPermissionSets,
  isLicenseRefusal,
  type PermissionSetAssignOutcome,
  type PermissionSetRef,
} from '../../org-api/assignments.js';
import { mapAssignError } from '../../org-api/errors.js';
import { preOf, type Assignment, type RunState, type StepOutcome } from '../types.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('sf-integration-user', 'integration-user.create');

type Failed = { name: string; error: Error };

/**
 * Step 6: the generated and the named permission sets. The companion set (no license) may hold permissions the
 * Salesforce Integration user license doesn't allow either: the org then refuses it, which is a warning (the set
 * stays deployed for review, the comparison shows what's missing), not a failed run. Sets named with
 * --permission-set were asked for by name: a refusal of those fails the step.
 */
export async function assignPermissionSetsStep(state: RunState): Promise<StepOutcome> {
  const pre = preOf(state);
  const { result, docs } = state;
  const wanted = [...docs.map((d) => d.fullName), ...state.request.permissionSets];
  if (wanted.length === 0) return { status: 'skipped', detail: 'no permission sets to assign' };
  // assigned with the user, in one transaction (create-user)
  const withUser = new Set((state.writtenWithUser?.assigned ?? []).map((n) => n.toLowerCase()));
  withUser.forEach((n) => mark(state, n, { status: 'done' }));
  if (withUser.size > 0 && wanted.every((n) => withUser.has(n.toLowerCase()))) {
    return { status: 'done', detail: `assigned ${wanted.join(', ')} (with the user)` };
  }
  const todo = wanted.filter((n) => !pre.assigned.has(n.toLowerCase()) && !withUser.has(n.toLowerCase()));
  const already = wanted.filter((n) => pre.assigned.has(n.toLowerCase()));
  already.forEach((n) => mark(state, n, { status: 'already done' }));
  if (todo.length === 0) return { status: 'already done', detail: `assigned: ${already.join(', ')}` };
  if (state.dryRun || !result.userId) {
    todo.forEach((n) => mark(state, n, { status: 'planned' }));
    const mayBeRefused = todo.filter((n) => companionOf(docs, n));
    return {
      status: 'planned',
      detail: [
        `assign ${todo.join(', ')}`,
        ...mayBeRefused.map((n) => messages.getMessage('plan.companionMayBeRefused', [n])),
      ].join('; '),
    };
  }
  const refs = await resolvePermissionSetIds(state.ctx.conn, todo, pre.namedSets, state.deployed);
  return recordOutcomes(state, already, await assignPermissionSets(state.ctx.conn, result.userId, refs));
}

/** Marks each set's assignment; refused companions become warnings, any other refusal fails the step. */
function recordOutcomes(state: RunState, already: string[], outcomes: PermissionSetAssignOutcome[]): StepOutcome {
  const failed = outcomes.filter((o): o is Failed => 'error' in o);
  const refused = failed.filter(
    (f) => companionOf(state.docs, f.name) && isLicenseRefusal(f.error as Error & { errorCode?: string }),
  );
  for (const { name, error } of refused) {
    mark(state, name, { status: 'skipped', reason: error.message });
    state.result.warnings.push(
      companionRefusedWarning(
        companionOf(state.docs, name)!,
        state.request.username,
        error.message,
        state.result.files,
      ),
    );
  }
  const done = outcomes.filter((o) => 'outcome' in o && o.outcome === 'done').map((o) => o.name);
  const dup = [
    ...already,
    ...outcomes.filter((o) => 'outcome' in o && o.outcome === 'already done').map((o) => o.name),
  ];
  done.forEach((n) => mark(state, n, { status: 'done' }));
  dup.forEach((n) => mark(state, n, { status: 'already done' }));
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
}

const companionOf = (docs: readonly PermissionSetDoc[], name: string): PermissionSetDoc | undefined =>
  docs.find((d) => !d.license && d.fullName.toLowerCase() === name.toLowerCase());

function mark(state: RunState, name: string, assignment: Assignment): void {
  const entry = state.result.permissionSets.find((p) => p.name.toLowerCase() === name.toLowerCase());
  if (entry) entry.assignment = assignment;
}

/** Ids from the deploy result where it gives them, then one query for the rest. */
export async function resolvePermissionSetIds(
  conn: Connection,
  names: string[],
  known: Map<string, PermissionSetRef>,
  deployed: DeployOutcome | undefined,
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
function companionRefusedWarning(
  companion: PermissionSetDoc,
  username: string,
  reason: string,
  files: readonly string[],
): string {
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
