/** SOQL literals in a field's stored form: strings, numbers, booleans, dates, and date literals as time ranges. */
import { ApiError } from '../errors.js';
import { looksLikeId, to18 } from '../ids.js';
import type { FieldDef } from '../schema.js';
import { located, malformed } from './errors.js';

const DAY = 86_400_000;
const NOT_QUOTED_TYPES = new Set(['boolean', 'int', 'long', 'double', 'currency', 'datetime', 'date']);
const NUMBER_TYPES = ['int', 'long', 'double', 'currency'];

/** A date literal: the instants from start (inclusive) to end (exclusive), epoch ms. */
export class Range {
  public constructor(
    public readonly start: number,
    public readonly end: number,
  ) {}
}

/** Converts a literal to the field's stored form (or a Range for date literals). */
export function literal(
  soql: string,
  f: FieldDef,
  raw: string,
  type: string | undefined,
  n: number | undefined,
): unknown {
  const bad = (): ApiError =>
    new ApiError(
      'INVALID_QUERY_FILTER_OPERATOR',
      located(
        soql,
        raw,
        `value of filter criterion for field '${f.name}' must be of type ${f.type} and should not be enclosed in quotes`,
      ),
    );
  const expect = (ok: boolean): void => {
    if (!ok) throw bad();
  };
  switch (type) {
    case 'NULL':
      return null;
    case 'STRING': {
      expect(!NOT_QUOTED_TYPES.has(f.type));
      const s = unquote(raw);
      return (f.type === 'id' || f.type === 'reference') && looksLikeId(s) ? to18(s) : s;
    }
    case 'BOOLEAN':
      expect(f.type === 'boolean');
      return raw.toUpperCase() === 'TRUE';
    case 'INTEGER':
    case 'DECIMAL':
      expect(NUMBER_TYPES.includes(f.type));
      return Number(raw);
    case 'DATETIME':
      expect(f.type === 'datetime');
      return Date.parse(raw.replace(/([+-]\d\d)(\d\d)$/, '$1:$2'));
    case 'DATE':
      expect(f.type === 'date');
      return raw;
    case 'DATE_LITERAL':
    case 'DATE_N_LITERAL':
      expect(f.type === 'date' || f.type === 'datetime');
      return dateRange(soql, raw, n);
    default:
      throw malformed(soql, `unsupported literal ${raw}`, raw);
  }
}

/** The bounds date literals are built from, at the moment the query runs (UTC). */
function calendar(): {
  today: number;
  weekStart: number;
  month: (offset: number) => number;
  year: (offset: number) => number;
} {
  const now = new Date();
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return {
    today,
    weekStart: today - new Date(today).getUTCDay() * DAY, // weeks start on Sunday (en_US)
    month: (offset) => Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + offset, 1),
    year: (offset) => Date.UTC(now.getUTCFullYear() + offset, 0, 1),
  };
}

type Bounds = (c: ReturnType<typeof calendar>, k: number) => [number, number];

const DATE_LITERALS: Readonly<Record<string, Bounds>> = {
  TODAY: ({ today }) => [today, today + DAY],
  YESTERDAY: ({ today }) => [today - DAY, today],
  TOMORROW: ({ today }) => [today + DAY, today + 2 * DAY],
  LAST_WEEK: ({ weekStart }) => [weekStart - 7 * DAY, weekStart],
  THIS_WEEK: ({ weekStart }) => [weekStart, weekStart + 7 * DAY],
  NEXT_WEEK: ({ weekStart }) => [weekStart + 7 * DAY, weekStart + 14 * DAY],
  LAST_MONTH: ({ month }) => [month(-1), month(0)],
  THIS_MONTH: ({ month }) => [month(0), month(1)],
  NEXT_MONTH: ({ month }) => [month(1), month(2)],
  LAST_90_DAYS: ({ today }) => [today - 90 * DAY, today + DAY],
  NEXT_90_DAYS: ({ today }) => [today + DAY, today + 91 * DAY],
  THIS_YEAR: ({ year }) => [year(0), year(1)],
  LAST_YEAR: ({ year }) => [year(-1), year(0)],
  NEXT_YEAR: ({ year }) => [year(1), year(2)],
  LAST_N_DAYS: ({ today }, k) => [today - k * DAY, today + DAY],
  NEXT_N_DAYS: ({ today }, k) => [today + DAY, today + (k + 1) * DAY],
  N_DAYS_AGO: ({ today }, k) => [today - k * DAY, today - (k - 1) * DAY],
  LAST_N_WEEKS: ({ weekStart }, k) => [weekStart - k * 7 * DAY, weekStart],
  NEXT_N_WEEKS: ({ weekStart }, k) => [weekStart + 7 * DAY, weekStart + (k + 1) * 7 * DAY],
  LAST_N_MONTHS: ({ month }, k) => [month(-k), month(0)],
  NEXT_N_MONTHS: ({ month }, k) => [month(1), month(k + 1)],
  LAST_N_YEARS: ({ year }, k) => [year(-k), year(0)],
  NEXT_N_YEARS: ({ year }, k) => [year(1), year(k + 1)],
};

function dateRange(soql: string, raw: string, n: number | undefined): Range {
  const bounds = DATE_LITERALS[raw.split(':')[0].toUpperCase()];
  if (!bounds) throw malformed(soql, `date literal ${raw} is not supported by the emulator`, raw);
  const [start, end] = bounds(calendar(), n ?? Number(raw.split(':')[1]));
  return new Range(start, end);
}

function unquote(raw: string): string {
  const s = raw.startsWith("'") && raw.endsWith("'") ? raw.slice(1, -1) : raw;
  return s.replace(/\\(.)/g, (_m, c: string) => ({ n: '\n', t: '\t', r: '\r', b: '\b', f: '\f' })[c] ?? c);
}

/** A LIKE pattern as a regular expression: % any run, _ one character, \ escapes; case-insensitive. */
export function likeRegex(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\' && i + 1 < pattern.length) re += pattern[++i].replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    else if (c === '%') re += '.*';
    else if (c === '_') re += '.';
    else re += c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`, 'is');
}
