import { Messages } from '@salesforce/core';
import { wantsGeneratedAccess } from '../request.js';
import { preOf, type RunState, type StepOutcome, type WrittenSets } from '../types.js';
import { isHighRiskOmission } from '../../permissions/least-privilege.js';
import { isNotUsedOmission } from '../../permissions/narrow-to-usage.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('sf-integration-user', 'integration-user.create');

/** Step 2: the permission set source, written to the project (a dry run plans it). */
export async function generateStep(state: RunState): Promise<StepOutcome> {
  const outcome = await generateSets(state);
  const pre = preOf(state);
  state.result.permissionSets.push(
    ...state.request.permissionSets.map((name) => ({
      name: pre.namedSets.get(name.toLowerCase())?.name ?? name,
      generated: false,
    })),
  );
  return outcome;
}

async function generateSets(state: RunState): Promise<StepOutcome> {
  const { request, result, ctx } = state;
  const pre = preOf(state);
  if (!wantsGeneratedAccess(request))
    return { status: 'skipped', detail: 'no object, field or user permission requested' };
  const generated = await ctx.generator.generate(request, {
    licensedUserPermissions: pre.licensedUserPermissions,
    baseInput: pre.conversion?.input,
    orgApiVersion: ctx.conn.getApiVersion(),
  });
  state.sourceApiVersion = generated.apiVersion;
  state.docs = generated.docs;
  state.omitted = [...(pre.fromUser?.omitted ?? []), ...(pre.conversion?.omitted ?? []), ...generated.omitted];
  result.highRisk = generated.highRisk;
  result.usage = pre.fromUser?.usage;
  result.warnings.push(
    ...(pre.conversion?.warnings ?? []),
    ...generated.warnings,
    // high-risk and unused access left out are said once, in their own blocks
    ...state.omitted
      .filter((o) => !isHighRiskOmission(o) && !isNotUsedOmission(o))
      .map((o) => `Left out ${o.section} ${o.label ? `${o.name} (${o.label})` : o.name}: ${o.reason}`),
  );
  result.permissionSets.push(...state.docs.map((d) => ({ name: d.fullName, generated: true, license: d.license })));
  return state.dryRun ? planFiles(state) : writeFiles(state);
}

async function planFiles(state: RunState): Promise<StepOutcome> {
  const { ctx, result, docs } = state;
  result.permissionSetXml = docs.map((d) => ({ name: d.fullName, xml: ctx.generator.toXml(d) }));
  const planned = await ctx.generator.plan(docs, state.request.outputDir);
  const differs = planned.filter((p) => p.state === 'differs');
  if (differs.length > 0 && !ctx.force) {
    result.warnings.push(messages.getMessage('plan.filesDiffer', [differs.flatMap((p) => p.differing).join(', ')]));
  }
  const plan = planned.map((p) =>
    p.state === 'new'
      ? `would write ${p.fullName}`
      : p.state === 'unchanged'
        ? `${p.fullName} unchanged`
        : messages.getMessage(ctx.force ? 'plan.wouldReplace' : 'plan.wouldNeedForce', [
            p.fullName,
            p.differing.join(', '),
          ]),
  );
  return { status: 'planned', detail: plan.join('; ') };
}

async function writeFiles(state: RunState): Promise<StepOutcome> {
  const { ctx, result } = state;
  const written = await ctx.generator.write(state.docs, state.request.outputDir, { force: ctx.force });
  result.files = written.files;
  const byAction = (action: WrittenSets['sets'][number]['action']): string[] =>
    written.sets.filter((w) => w.action === action).map((w) => w.fullName);
  const unchanged = byAction('unchanged');
  if (unchanged.length === written.sets.length)
    return { status: 'already done', detail: `unchanged: ${result.files.join(', ')}` };
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
}
