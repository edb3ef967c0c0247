/** How SOQL compares and prints stored values: comparison keys, sort order, output formatting. */
import { to18 } from '../ids.js';
import type { FieldDef } from '../schema.js';
import { formatDateTime } from '../record-values.js';

/** Comparable key of a stored value: strings compare case-insensitively, ids in 18-char form. */
export function keyOf(f: FieldDef, v: unknown): string | number | boolean | null {
  if (v === null || v === undefined) return null;
  if (f.type === 'id' || f.type === 'reference') return typeof v === 'string' ? to18(v) : (v as string);
  if (typeof v === 'string') return v.toLowerCase();
  return v as number | boolean;
}

export function compare(a: unknown, b: unknown, desc: boolean, nullsLast: boolean): number {
  const an = a === null || a === undefined;
  const bn = b === null || b === undefined;
  if (an || bn) {
    if (an && bn) return 0;
    return an === nullsLast ? 1 : -1;
  }
  const c =
    typeof a === 'string' && typeof b === 'string'
      ? a.localeCompare(b)
      : (a as number) < (b as number)
        ? -1
        : (a as number) > (b as number)
          ? 1
          : 0;
  return desc ? -c : c;
}

export type SortKey<T> = { get: (x: T) => unknown; desc: boolean; nullsLast: boolean };

/** A comparator over several ORDER BY keys: the first that differs decides. */
export function byKeys<T>(keys: Array<SortKey<T>>): (a: T, b: T) => number {
  return (a, b) => {
    for (const k of keys) {
      const c = compare(k.get(a), k.get(b), k.desc, k.nullsLast);
      if (c) return c;
    }
    return 0;
  };
}

/** Salesforce's default: NULLS FIRST ascending, NULLS LAST descending. */
export function sortDirection(c: { order?: string; nulls?: string }): { desc: boolean; nullsLast: boolean } {
  const desc = c.order === 'DESC';
  return { desc, nullsLast: c.nulls ? c.nulls === 'LAST' : desc };
}

export function format(f: FieldDef, v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (f.type === 'datetime' && typeof v === 'number') return formatDateTime(v);
  return v;
}
