/** Retire's result as table rows for the terminal and as a Markdown report for the change ticket. */
import type { RetireResult } from './types.js';

export type StageRow = { stage: string; status: string; detail: string };
export type TokenRow = { app: string; lastUsed: string; uses: string; recent: string };

export const stageRows = (r: RetireResult): StageRow[] =>
  r.stages.map((s) => ({ stage: s.name, status: s.status, detail: s.detail }));

export const tokenRows = (r: RetireResult): TokenRow[] =>
  (r.check?.tokens ?? []).map((t) => ({
    app: t.app,
    lastUsed: t.lastUsed ?? 'never',
    uses: t.useCount === undefined ? '' : String(t.useCount),
    recent: t.recent ? 'yes' : 'no',
  }));

export function savingsText(r: RetireResult): string | undefined {
  const l = r.license;
  if (!l?.freed) return undefined;
  return l.savingsPerYear === undefined
    ? `${l.license} license freed (${l.basis})`
    : `${l.license} license freed: ${l.savingsPerYear.toLocaleString('en-US')} a year (${l.basis})`;
}

const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function renderMarkdown(r: RetireResult, meta: { targetOrg: string; at: Date }): string {
  const c = r.check;
  const lines = [
    `# Retire ${r.username}${r.mode === 'undo' ? ' (undo)' : ''}`,
    '',
    `- Org: ${meta.targetOrg}`,
    `- Run at: ${meta.at.toISOString()}${r.dryRun ? ' (dry run: nothing changed)' : ''}`,
  ];
  if (c) {
    lines.push(
      `- User: ${c.user.name} (${c.user.id}), profile ${c.user.profileName ?? 'unknown'}, license ${c.user.licenseName ?? 'unknown'}, ${c.user.isActive ? 'active' : 'inactive'}`,
      `- Frozen: ${c.frozen ? `yes, since ${c.frozenSince ?? 'unknown'} (UserLogin.LastModifiedDate)` : 'no'}`,
      `- Period checked: last ${c.period.days} days (since ${c.period.since})`,
    );
  }
  lines.push(
    '',
    '## Stages',
    '',
    '| Stage | Status | Detail |',
    '|---|---|---|',
    ...r.stages.map((s) => `| ${s.name} | ${s.status} | ${cell(s.detail)} |`),
  );
  if (c) {
    lines.push('', '## Still in use', '');
    lines.push(...(c.inUse.length ? c.inUse.map((u) => `- ${u}`) : [`- Nothing in the last ${c.period.days} days.`]));
    if (c.moves.length) lines.push('', '### How to move each', '', ...c.moves.map((m) => `- ${m}`));
    if (c.tokens.length) {
      lines.push('', '## OAuth tokens', '', '| App | Last used | Uses | In the period |', '|---|---|---|---|');
      lines.push(...tokenRows(r).map((t) => `| ${cell(t.app)} | ${t.lastUsed} | ${t.uses} | ${t.recent} |`));
    }
    if (c.attemptsSinceFreeze.length) {
      lines.push(
        '',
        '## Login attempts since the freeze',
        '',
        ...c.attemptsSinceFreeze.map((a) => `- ${a.time} ${a.app} (${a.loginType}): ${a.status}`),
      );
    }
    if (c.gaps.length)
      lines.push('', '## Not readable', '', ...c.gaps.map((g) => `- ${g.source}: ${g.errorCode} (needs ${g.fix})`));
  }
  if (r.revokedApps.length)
    lines.push('', `Revoked tokens: ${r.revokedApps.join(', ')}. Sessions ended: ${r.sessionsEnded}.`);
  const savings = savingsText(r);
  if (savings) lines.push('', `**${savings}**`);
  if (r.refusals.length)
    lines.push('', '## Refused', '', ...r.refusals.map((x) => `- ${x.message}\n  - Action: ${x.action}`));
  if (r.nextSteps.length) lines.push('', '## Next', '', ...r.nextSteps.map((s) => `- ${s}`));
  return `${lines.join('\n')}\n`;
}
