import type { AuditResult } from './audit.js';
import { CLASSES } from './audit.js';
import type { Candidate, CandidateClass, Risk, Savings, SeatCount, Seats } from './types.js';
import { csvCell } from '../report/csv.js';

export const CLASS_LABELS: Record<CandidateClass, string> = {
  'person-and-integration': "Person's user also used by an integration",
  'admin-integration': 'Integration on an admin profile',
  'shared-integration': 'Shared integration user (several apps)',
  'api-only-full-license': 'API-only user on a full license',
  'integration-license': 'Already on an Integration license',
};

export const RISK_LABELS: Record<Risk, string> = {
  'compromised-credentials': 'compromised credentials take the integration with them',
  'untraceable-changes': "changes can't be traced to a system",
  'excess-permissions': "permissions far beyond the integration's needs",
  'offboarding-breaks-integration': 'offboarding the person breaks the integration',
};

export function money(n: number): string {
  return n.toLocaleString('en-US', { minimumFractionDigits: Number.isInteger(n) ? 0 : 2, maximumFractionDigits: 2 });
}

const day = (iso?: string): string => (iso ? iso.slice(0, 10) : '');

export type SeatRow = { license: string; total: number | string; used: number | string; free: number | string };

export function seatRows(seats: Seats): SeatRow[] {
  const row = (label: string, s?: SeatCount): SeatRow =>
    s
      ? { license: label, total: s.total, used: s.used, free: s.free }
      : { license: label, total: 'n/a', used: 'n/a', free: 'n/a' };
  return [
    row('Salesforce Integration (user license)', seats.integrationUserLicense),
    row('Salesforce API Integration (permission set license)', seats.integrationPsl),
  ];
}

export function appsText(c: Candidate): string {
  return c.apps.map((a) => a.app).join(', ');
}

export type CandidateRow = {
  user: string;
  class: string;
  license: string;
  profile: string;
  apps: string;
  apiLogins: number;
  uiLogins: number;
  lastApiLogin: string;
  movable: string;
};

/** Column titles of the candidates table (oclif would title-case the keys as "Api Logins"). */
export const CANDIDATE_COLUMNS: Array<{ key: keyof CandidateRow; name: string }> = [
  { key: 'user', name: 'User' },
  { key: 'class', name: 'Class' },
  { key: 'license', name: 'License' },
  { key: 'profile', name: 'Profile' },
  { key: 'apps', name: 'Apps' },
  { key: 'apiLogins', name: 'API logins' },
  { key: 'uiLogins', name: 'UI logins' },
  { key: 'lastApiLogin', name: 'Last API login' },
  { key: 'movable', name: 'Can move' },
];

export function candidateRows(candidates: Candidate[]): CandidateRow[] {
  return candidates.map((c) => ({
    user: c.username,
    class: CLASS_LABELS[c.class],
    license: c.license ?? '',
    profile: c.profile ?? '',
    apps: appsText(c),
    apiLogins: c.apiLogins,
    uiLogins: c.uiLogins,
    lastApiLogin: day(c.lastApiLogin),
    movable: c.movable ? 'yes' : 'no',
  }));
}

export function savingsLine(s: Savings): string {
  const a = s.assumptions;
  return (
    `Moving ${s.movableUsers} user(s) to Integration licenses saves ${money(s.netSavingsPerYear)} a year ` +
    `(${money(s.fullLicenseSavingsPerYear)} in full licenses, ${s.freeSeatsUsed} free Integration seat(s) used, ` +
    `${s.paidSeats} paid at ${money(a.integrationLicensePerMonth)}/month: ${money(s.integrationCostPerYear)} a year).`
  );
}

export function splitLine(s: Savings): string | undefined {
  if (s.splitOut.seats === 0) return undefined;
  return (
    `Giving every integration its own user needs ${s.splitOut.seats} more Integration seat(s) ` +
    `(${s.splitOut.freeSeatsUsed} free, ${s.splitOut.paidSeats} paid: ${money(s.splitOut.costPerYear)} a year); ` +
    `net after that: ${money(s.netSavingsPerYearAfterSplit)} a year.`
  );
}

export function assumptionLines(r: AuditResult): string[] {
  const a = r.savings.assumptions;
  return [
    `A full license costs ${money(a.fullLicensePerYear)} a year (--license-cost); every non-Integration license is counted at that price.`,
    `An Integration license beyond the free ones costs ${money(a.integrationLicensePerMonth)} a month (--integration-license-cost).`,
    a.freeSeatsSource === 'org'
      ? `Free Integration seats: ${a.freeIntegrationSeats}, as the org reports them (TotalLicenses - UsedLicenses).`
      : `Free Integration seats: ${a.freeIntegrationSeats}, assumed from the usual allowance of 5 (the org's count could not be read).`,
    'A user that also logs in through the browser keeps its license: only its integrations move, to new users.',
    'Logins and tokens of Salesforce mobile apps and Salesforce for Outlook count as a person, not an integration.',
    'An admin profile is System Administrator or any profile with Modify All Data; Modify All Data from permission sets is not checked.',
  ];
}

export function gapLines(r: AuditResult): string[] {
  return r.gaps.map(
    (g) => `${g.source} could not be read (${g.errorCode}); to include it, run as a user with ${g.fix}.`,
  );
}

export function loginHistoryLines(r: AuditResult): string[] {
  const l = r.loginHistory;
  if (!l.read) return [];
  const lines: string[] = [];
  if (l.fallbackReason) {
    lines.push(`LoginHistory could not be aggregated in SOQL (${l.fallbackReason}); read row by row instead.`);
  }
  if (l.truncated) {
    lines.push(
      l.mode === 'rows'
        ? `LoginHistory: read ${l.rowsRead?.toLocaleString('en-US')} of ${l.totalRows?.toLocaleString('en-US')} rows (--max-login-rows): counts are a lower bound.`
        : 'LoginHistory: some users had more than 2,000 login groups; their counts are a lower bound.',
    );
  }
  return lines;
}

const mdCell = (s: string | number): string => String(s).replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
const mdTable = (headers: string[], rows: Array<Array<string | number>>): string =>
  [
    `| ${headers.join(' | ')} |`,
    `| ${headers.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${r.map(mdCell).join(' | ')} |`),
  ].join('\n');

export function toMarkdown(r: AuditResult): string {
  return [
    `# Integration user audit: ${r.targetOrg}`,
    '',
    `Logins of the last ${r.period.days} days (${day(r.period.since)} to ${day(r.period.until)}), ${r.usersRead} active users read.`,
    '',
    ...seatsSection(r),
    ...savingsSection(r),
    ...summarySection(r),
    ...candidatesSection(r),
    ...blindSpotsSection(r),
  ].join('\n');
}

function seatsSection(r: AuditResult): string[] {
  const rows = seatRows(r.seats).map((s) => [s.license, s.total, s.used, s.free]);
  return ['## Seats', '', mdTable(['License', 'Total', 'Used', 'Free'], rows), ''];
}

function savingsSection(r: AuditResult): string[] {
  const split = splitLine(r.savings);
  return [
    '## Savings',
    '',
    `**${savingsLine(r.savings)}**`,
    '',
    ...(split ? [split, ''] : []),
    'Assumptions:',
    '',
    ...assumptionLines(r).map((l) => `- ${l}`),
    '',
  ];
}

function summarySection(r: AuditResult): string[] {
  const rows = CLASSES.map((c) => [CLASS_LABELS[c], r.summary[c]]);
  return ['## Summary', '', mdTable(['Class', 'Users'], rows), ''];
}

/** The candidates with their risks, then the commands that move each. */
function candidatesSection(r: AuditResult): string[] {
  if (r.candidates.length === 0) return ['## Candidates', '', 'No user shows integration activity in the period.', ''];
  const table = mdTable(
    ['User', 'Class', 'License', 'Profile', 'Apps', 'API logins', 'UI logins', 'Last API login', 'Risks', 'Moves'],
    r.candidates.map((c) => [
      c.username,
      CLASS_LABELS[c.class],
      c.license ?? '',
      c.profile ?? '',
      appsText(c),
      c.apiLogins,
      c.uiLogins,
      day(c.lastApiLogin),
      c.risks.map((k) => RISK_LABELS[k]).join('; '),
      c.movable ? 'yes' : 'no',
    ]),
  );
  const next = r.candidates
    .filter((x) => x.nextCommands.length > 0)
    .flatMap((c) => [`- ${c.username} (${CLASS_LABELS[c.class]}):`, ...c.nextCommands.map((cmd) => `  - \`${cmd}\``)]);
  return ['## Candidates', '', table, '', '## Next commands', '', ...next, ''];
}

/** What the report could not see: unreadable objects, capped login history, per-user notes. */
function blindSpotsSection(r: AuditResult): string[] {
  const notes = [
    ...gapLines(r),
    ...loginHistoryLines(r),
    ...r.candidates.flatMap((c) => c.notes.map((n) => `${c.username}: ${n}`)),
  ];
  return notes.length > 0 ? ['## What this report could not see', '', ...notes.map((n) => `- ${n}`), ''] : [];
}

export const CSV_HEADERS = [
  'username',
  'name',
  'class',
  'traits',
  'license',
  'profile',
  'apps',
  'apiLogins',
  'uiLogins',
  'lastApiLogin',
  'risks',
  'movable',
  'extraSeats',
  'nextCommands',
];

export function toCsv(r: AuditResult): string {
  const rows = r.candidates.map((c) =>
    [
      c.username,
      c.name,
      c.class,
      c.traits.join(';'),
      c.license,
      c.profile,
      c.apps.map((a) => a.app).join(';'),
      c.apiLogins,
      c.uiLogins,
      c.lastApiLogin,
      c.risks.join(';'),
      c.movable,
      c.extraSeats,
      c.nextCommands.join('\n'),
    ]
      .map(csvCell)
      .join(','),
  );
  return [CSV_HEADERS.join(','), ...rows].join('\r\n') + '\r\n';
}

export type ReportFormat = 'md' | 'csv' | 'json';

export function formatForFile(file: string): ReportFormat | undefined {
  const ext = file.toLowerCase().split('.').pop();
  if (ext === 'md' || ext === 'markdown') return 'md';
  if (ext === 'csv') return 'csv';
  if (ext === 'json') return 'json';
  return undefined;
}

export function renderReport(r: AuditResult, format: ReportFormat): string {
  if (format === 'md') return toMarkdown(r);
  if (format === 'csv') return toCsv(r);
  return JSON.stringify(r, null, 2) + '\n';
}
