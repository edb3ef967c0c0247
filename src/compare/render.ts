import { access, mkdir, writeFile } from 'node:fs/promises';
import { dirname, extname } from 'node:path';
import { Messages } from '@salesforce/core';
import type { AccessCategory, CompareRow, Comparison } from './compare.js';
import { csvCell } from '../report/csv.js';
import { footnotes, outputWidth, renderTable } from '../ux/text-table.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('sf-integration-user', 'integration-user.compare');

const SHORT: Readonly<Record<string, string>> = {
  read: 'R',
  create: 'C',
  edit: 'E',
  delete: 'D',
  viewAll: 'VA',
  modifyAll: 'MA',
  viewAllFields: 'VAF',
  enabled: 'yes',
  available: 'available',
  visible: 'visible',
};

const CATEGORY_LABEL: Readonly<Record<AccessCategory, string>> = {
  object: 'Object',
  field: 'Field',
  userPermission: 'User permission',
  other: 'Other',
};

/** Rights as short text: `R C E D VA MA` for objects, `R E` for fields, `yes` for a permission, `visible` for a tab. */
export function rightsText(rights: readonly string[]): string {
  if (rights.includes('visible')) return 'visible';
  return rights.map((r) => SHORT[r] ?? r).join(' ');
}

/** How a row's entry is named to a person: a user permission with its Setup label beside its API name. */
export const displayName = (row: Pick<CompareRow, 'name' | 'label'>): string =>
  row.label && row.label.toLowerCase() !== row.name.toLowerCase() ? `${row.name} (${row.label})` : row.name;

const accessLabel = (row: CompareRow): string =>
  row.category === 'other' ? row.section : CATEGORY_LABEL[row.category];

function gapText(row: CompareRow): string {
  const parts: string[] = [];
  if (row.lacks.length) parts.push(`lacks ${rightsText(row.lacks)}`);
  if (row.beyond.length) parts.push(`beyond ${rightsText(row.beyond)}`);
  return parts.join('; ');
}

export type TableRow = { access: string; name: string; first: string; second: string; gap: string; why: string };

/** Rows for the terminal table. */
export function tableRows(c: Comparison): TableRow[] {
  return c.rows.map((r) => ({
    access: accessLabel(r),
    name: displayName(r),
    first: rightsText(r.first),
    second: rightsText(r.second),
    gap: r.status === 'same' ? '' : gapText(r),
    why: r.why ? `${r.why.kind}: ${r.why.reason}` : '',
  }));
}

/**
 * The comparison as text that reads at `width` columns: names whole, the two sides as "A" and "B" (named in the
 * legend, since usernames are long), the reasons as footnotes below the table.
 */
export function comparisonText(c: Comparison, width = outputWidth()): string[] {
  const notes = footnotes();
  const rows = tableRows(c).map((r) => ({ ...r, why: notes.ref(r.why) }));
  const table = renderTable(
    rows,
    [
      { key: 'access', name: 'Access' },
      { key: 'name', name: 'Name', whole: true },
      { key: 'first', name: 'A' },
      { key: 'second', name: 'B' },
      { key: 'gap', name: 'B vs A' },
      { key: 'why', name: 'Why' },
    ],
    width,
  );
  const why = notes.notes(width);
  return [`A: ${c.first}`, `B: ${c.second}`, '', ...table, ...(why.length ? ['', 'Why:', ...why] : [])];
}

const CSV_COLUMNS = [
  'category',
  'section',
  'name',
  'label',
  'first',
  'second',
  'lacks',
  'beyond',
  'status',
  'whyKind',
  'why',
  'firstSources',
  'secondSources',
];

/** CSV, one row per compared entry; rights space-separated, sources `;`-separated. */
export function toCsv(c: Comparison): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const r of c.rows) {
    lines.push(
      [
        r.category,
        r.section,
        r.name,
        r.label ?? '',
        r.first.join(' '),
        r.second.join(' '),
        r.lacks.join(' '),
        r.beyond.join(' '),
        r.status,
        r.why?.kind ?? '',
        r.why?.reason ?? '',
        (r.firstSources ?? []).join('; '),
        (r.secondSources ?? []).join('; '),
      ]
        .map(csvCell)
        .join(','),
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}

const mdCell = (v: string): string => v.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');

/** Markdown for a change ticket: a summary, then one table per kind of access. */
export function toMarkdown(c: Comparison): string {
  const out: string[] = [`# ${mdCell(messages.getMessage('md.title', [c.first, c.second]))}`, ''];
  out.push('| Access | Compared | Same | Second lacks | Second has more | Both |', '|---|---:|---:|---:|---:|---:|');
  for (const [category, s] of Object.entries(c.summary)) {
    out.push(
      `| ${CATEGORY_LABEL[category as AccessCategory]} | ${s.compared} | ${s.same} | ${s.lacks} | ${s.beyond} | ${s.differs} |`,
    );
  }
  out.push('');
  for (const category of Object.keys(CATEGORY_LABEL) as AccessCategory[]) {
    const rows = c.rows.filter((r) => r.category === category);
    if (!rows.length) continue;
    out.push(`## ${CATEGORY_LABEL[category]}`, '');
    out.push(`| ${category === 'other' ? 'Kind | ' : ''}Name | ${mdCell(c.first)} | ${mdCell(c.second)} | Gap | Why |`);
    out.push(`|${category === 'other' ? '---|' : ''}---|---|---|---|---|`);
    for (const r of rows) {
      const cells = [
        displayName(r),
        rightsText(r.first),
        rightsText(r.second),
        gapText(r),
        r.why ? `${r.why.kind}: ${r.why.reason}` : '',
      ];
      if (category === 'other') cells.unshift(r.section);
      out.push(`| ${cells.map(mdCell).join(' | ')} |`);
    }
    out.push('');
  }
  return out.join('\n');
}

/**
 * Writes the comparison as CSV or Markdown, by the file's extension.
 *
 * @throws SfError OutputFileType, OutputFileExists
 */
export async function writeComparisonFile(path: string, c: Comparison, force = false): Promise<string> {
  const ext = extname(path).toLowerCase();
  if (ext !== '.csv' && ext !== '.md') throw messages.createError('error.OutputFileType', [path]);
  if (!force) {
    const exists = await access(path).then(
      () => true,
      () => false,
    );
    if (exists) throw messages.createError('error.OutputFileExists', [path]);
  }
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, ext === '.csv' ? toCsv(c) : toMarkdown(c), 'utf8');
  return ext === '.csv' ? 'csv' : 'markdown';
}

/**
 * One warning per gap of the second side (what it lacks and why). A kind of gap with more than `groupAbove` entries
 * in one section (typically tabs or pages, left out on purpose) becomes one warning naming a few; --json has them all.
 */
export function gapWarnings(c: Comparison, groupAbove = 20): string[] {
  const groups = new Map<string, CompareRow[]>();
  for (const r of c.rows) {
    if (!r.lacks.length) continue;
    const id = `${r.section}\u0000${r.why?.kind ?? ''}\u0000${r.why?.reason ?? ''}`;
    const list = groups.get(id) ?? [];
    list.push(r);
    groups.set(id, list);
  }
  const out: string[] = [];
  for (const rows of groups.values()) {
    const why = rows[0].why ? `${rows[0].why.kind}: ${rows[0].why.reason}` : '';
    if (rows.length > groupAbove) {
      const names = rows.slice(0, 5).map(displayName).join(', ');
      out.push(messages.getMessage('warning.gapGroup', [c.second, rows.length, accessLabel(rows[0]), names, why]));
    } else {
      for (const r of rows)
        out.push(
          messages.getMessage('warning.gap', [c.second, accessLabel(r), displayName(r), rightsText(r.lacks), why]),
        );
    }
  }
  return out;
}
