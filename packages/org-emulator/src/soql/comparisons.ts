/** WHERE comparisons as row predicates: IN, LIKE, date-literal ranges, and =, !=, <, <=, >, >= on stored keys. */
import type { FieldDef } from '../schema.js';
import type { Rec } from '../state.js';
import { malformed } from './errors.js';
import { likeRegex, Range } from './literals.js';
import type { Accessor, Predicate } from './types.js';
import { keyOf } from './values.js';
import { fieldText } from '../field-text.js';

export function inPredicate(f: FieldDef, get: Accessor, literals: unknown[], negated: boolean): Predicate {
  const set = new Set(literals.map((l) => keyOf(f, l)));
  return negated ? (r): boolean => !set.has(keyOf(f, get(r))) : (r): boolean => set.has(keyOf(f, get(r)));
}

export function likePredicate(soql: string, get: Accessor, lit: unknown, field: string): Predicate {
  if (typeof lit !== 'string') throw malformed(soql, 'LIKE needs a string', field);
  const re = likeRegex(lit);
  return (r): boolean => {
    const v = get(r);
    return typeof v === 'string' && re.test(v);
  };
}

/** Which instants an operator keeps against a date literal's range [start, end). */
const RANGE_TESTS: Readonly<Record<string, (v: number, start: number, end: number) => boolean>> = {
  '=': (v, start, end) => v >= start && v < end,
  '<': (v, start) => v < start,
  '<=': (v, _start, end) => v < end,
  '>': (v, _start, end) => v >= end,
  '>=': (v, start) => v >= start,
};

export function rangePredicate(soql: string, get: Accessor, op: string, range: Range): Predicate {
  const { start, end } = range;
  const num = (r: Rec): number | null => {
    const v = get(r);
    if (v === null || v === undefined) return null;
    return typeof v === 'number' ? v : Date.parse(fieldText(v));
  };
  if (op === '!=')
    return (r): boolean => {
      const v = num(r);
      return v === null || v < start || v >= end;
    };
  const test = RANGE_TESTS[op];
  if (!test) throw malformed(soql, `operator ${op} not supported with date literals`, op);
  return (r): boolean => {
    const v = num(r);
    return v !== null && test(v, start, end);
  };
}

/** Which orderings (-1, 0, 1 of the row's value against the literal) an operator keeps. */
const ORDER_TESTS: Readonly<Record<string, ReadonlySet<number>>> = {
  '<': new Set([-1]),
  '<=': new Set([-1, 0]),
  '>': new Set([1]),
  '>=': new Set([1, 0]),
};

export function comparePredicate(soql: string, f: FieldDef, get: Accessor, op: string, lit: unknown): Predicate {
  const key = keyOf(f, lit);
  if (op === '=') return (r): boolean => keyOf(f, get(r)) === key;
  if (op === '!=') return (r): boolean => keyOf(f, get(r)) !== key;
  const keep = ORDER_TESTS[op];
  if (!keep) throw malformed(soql, `unsupported operator ${op}`, op);
  if (key === null) throw malformed(soql, `operator ${op} cannot compare with null`, op);
  return (r): boolean => {
    const v = keyOf(f, get(r));
    if (v === null || v === undefined) return false;
    return keep.has(v < key ? -1 : v > key ? 1 : 0);
  };
}
