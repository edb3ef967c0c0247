/** `audit`'s terminal output (the files it writes are render.ts's). */
import { Messages } from '@salesforce/core';
import type { SfCommand } from '@salesforce/sf-plugins-core';
import { outputWidth, renderTable, wrapText, type Cell, type TextColumn } from '../ux/text-table.js';
import { CLASSES, type AuditResult } from './audit.js';
import {
  CANDIDATE_COLUMNS,
  CLASS_LABELS,
  RISK_LABELS,
  assumptionLines,
  candidateRows,
  gapLines,
  loginHistoryLines,
  savingsLine,
  seatRows,
  splitLine,
} from './render.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('sf-integration-user', 'integration-user.audit');

type Output = Pick<SfCommand<unknown>, 'log' | 'warn' | 'info' | 'styledHeader'>;

function printTable<K extends string>(out: Output, rows: Array<Record<K, Cell>>, columns: Array<TextColumn<K>>): void {
  for (const line of renderTable(rows, columns)) out.log(line);
}

/** The audit on the terminal: seats, classes, candidates with their risks, savings, assumptions, next commands. */
export function printAudit(out: Output, r: AuditResult): void {
  for (const line of [...gapLines(r), ...loginHistoryLines(r)]) out.warn(line);
  out.styledHeader(messages.getMessage('heading.seats'));
  printTable(out, seatRows(r.seats), [
    { key: 'license', name: 'License' },
    { key: 'total', name: 'Total' },
    { key: 'used', name: 'Used' },
    { key: 'free', name: 'Free' },
  ]);
  out.styledHeader(messages.getMessage('heading.summary'));
  printTable(
    out,
    CLASSES.map((c) => ({ class: CLASS_LABELS[c], users: r.summary[c] })),
    [
      { key: 'class', name: 'Class' },
      { key: 'users', name: 'Users' },
    ],
  );
  if (r.candidates.length === 0) {
    out.info(messages.getMessage('info.noCandidates', [r.period.days]));
  } else {
    out.styledHeader(messages.getMessage('heading.candidates', [r.period.days]));
    // usernames whole, the rest wrapped; the risks, long, below the table
    printTable(
      out,
      candidateRows(r.candidates),
      CANDIDATE_COLUMNS.map((c) => ({ ...c, whole: c.key === 'user' })),
    );
    for (const c of r.candidates.filter((x) => x.risks.length > 0)) {
      out.log('');
      for (const line of wrapText(`${c.username}: ${c.risks.map((k) => RISK_LABELS[k]).join('; ')}`, outputWidth()))
        out.log(line);
    }
  }
  out.log();
  out.log(savingsLine(r.savings));
  const split = splitLine(r.savings);
  if (split) out.log(split);
  out.styledHeader(messages.getMessage('heading.assumptions'));
  for (const line of assumptionLines(r)) out.log(`- ${line}`);
  const next = r.candidates.filter((c) => c.nextCommands.length > 0);
  if (next.length > 0) {
    out.styledHeader(messages.getMessage('heading.next'));
    for (const c of next) for (const cmd of c.nextCommands) out.log(cmd);
  }
  for (const c of r.candidates) for (const note of c.notes) out.warn(`${c.username}: ${note}`);
  out.log();
  out.log(messages.getMessage('info.stats', [r.usersRead, r.stats.roundTrips, r.stats.elapsedMs]));
}
