/**
 * Aggregate queries (GROUP BY, COUNT/COUNT_DISTINCT/MIN/MAX/SUM/AVG): rows are put in buckets by their group
 * keys in one pass, then HAVING, ORDER BY, OFFSET and LIMIT apply to the groups; rows are AggregateResults.
 */
import type { Condition, HavingClause, OrderByClause, Query } from 'soql-parser-js';
import type { ObjectDef } from '../schema.js';
import type { Compiler } from './compiler.js';
import { malformed } from './errors.js';
import { selectedPath, type FormattedRecord, type Predicate, type Resolved } from './types.js';
import { byKeys, format, keyOf, sortDirection } from './values.js';

type Group = { path: string; res: Resolved };
type Agg = { fn: string; res?: Resolved; key: string; raw: string };
type OutColumn = { kind: 'group' | 'agg'; idx: number; key: string };
type Acc = { n: number; v: unknown; set?: Set<unknown> };
type Bucket = { keys: unknown[]; acc: Acc[] };

const FUNCTIONS = ['COUNT', 'COUNT_DISTINCT', 'MAX', 'MIN', 'SUM', 'AVG'];

export function aggregateRows(
  c: Compiler,
  q: Query,
  obj: ObjectDef,
  pred: Predicate,
  groupBy: Array<{ field?: string; fn?: unknown }>,
): FormattedRecord[] {
  const groups = groupKeys(c, obj, groupBy, q.sObjectAlias);
  const { aggs, columns } = selectColumns(c, q, obj, groups);
  let list = [...buckets(c, obj, pred, groups, aggs).values()];
  if (q.having) list = list.filter(compileHaving(c, q.having, aggs));
  if (q.orderBy) list.sort(groupOrder(c, q.orderBy, groups, aggs));
  if (q.offset) list = list.slice(q.offset);
  if (q.limit !== undefined) list = list.slice(0, q.limit);
  return list.map((b) => {
    const out: FormattedRecord = { attributes: { type: 'AggregateResult' } };
    for (const col of columns) {
      out[col.key] =
        col.kind === 'group'
          ? format(groups[col.idx].res.field, b.keys[col.idx])
          : value(aggs[col.idx], b.acc[col.idx]);
    }
    return out;
  });
}

function groupKeys(c: Compiler, obj: ObjectDef, groupBy: Array<{ field?: string }>, alias?: string): Group[] {
  return groupBy.map((g) => {
    if (!g.field)
      throw malformed(
        c.soql,
        'GROUP BY functions (ROLLUP, CUBE, date functions) are not supported by the emulator',
        'GROUP BY',
      );
    return { path: g.field.toLowerCase(), res: c.resolve(obj, g.field, alias) };
  });
}

/** The SELECT list: aggregate functions (expr0, expr1 ... unless aliased) and grouped fields, in order. */
function selectColumns(c: Compiler, q: Query, obj: ObjectDef, groups: Group[]): { aggs: Agg[]; columns: OutColumn[] } {
  const alias = q.sObjectAlias;
  const aggs: Agg[] = [];
  const columns: OutColumn[] = [];
  let expr = 0;
  for (const item of q.fields ?? []) {
    if (item.type === 'FieldFunctionExpression' && item.isAggregateFn) {
      const fn = item.functionName.toUpperCase();
      if (!FUNCTIONS.includes(fn)) throw malformed(c.soql, `aggregate ${fn} not supported`, fn);
      const param = item.parameters[0];
      if (typeof param === 'object') throw malformed(c.soql, 'nested functions are not supported by the emulator', fn);
      const res = param ? c.resolve(obj, param, alias) : undefined;
      const key = item.alias ?? `expr${expr++}`;
      aggs.push({ fn, res, key, raw: normalized(item.rawValue ?? `${fn}(${param ?? ''})`) });
      columns.push({ kind: 'agg', idx: aggs.length - 1, key });
    } else if (item.type === 'Field' || item.type === 'FieldRelationship') {
      const path = selectedPath(item);
      const idx = groups.findIndex(
        (g) =>
          g.path === path.toLowerCase() ||
          (g.res.field === c.resolve(obj, path, alias).field && g.path.endsWith(path.toLowerCase())),
      );
      if (idx === -1) throw malformed(c.soql, `Field must be grouped or aggregated: ${path.split('.').pop()}`, path);
      columns.push({ kind: 'group', idx, key: (item as { alias?: string }).alias ?? groups[idx].res.field.name });
    } else {
      throw malformed(c.soql, 'unsupported item in an aggregate query', 'SELECT');
    }
  }
  return { aggs, columns };
}

/** The groups, in first-seen order, each with one accumulator per aggregate; no GROUP BY: one group, even empty. */
function buckets(c: Compiler, obj: ObjectDef, pred: Predicate, groups: Group[], aggs: Agg[]): Map<string, Bucket> {
  const out = new Map<string, Bucket>();
  const gGets = groups.map((g) => g.res.get);
  for (const r of c.org.table(obj.name).values()) {
    if (!pred(r)) continue;
    const keys = gGets.map((g) => g(r));
    const k = keys.length === 1 ? String(keys[0]) : keys.map(String).join('\u0000');
    let b = out.get(k);
    if (!b) out.set(k, (b = { keys, acc: accumulators(aggs) }));
    for (let i = 0; i < aggs.length; i++) {
      const a = aggs[i];
      const v = a.res ? a.res.get(r) : 1;
      if (v !== null && v !== undefined) accumulate(a.fn, b.acc[i], v);
    }
  }
  if (!groups.length && out.size === 0) out.set('', { keys: [], acc: accumulators(aggs) });
  return out;
}

function accumulators(aggs: Agg[]): Acc[] {
  return aggs.map((a) => ({ n: 0, v: null, set: a.fn === 'COUNT_DISTINCT' ? new Set() : undefined }));
}

function accumulate(fn: string, acc: Acc, v: unknown): void {
  switch (fn) {
    case 'COUNT':
      acc.n++;
      break;
    case 'COUNT_DISTINCT':
      acc.set!.add(v);
      break;
    case 'MAX':
      if (acc.v === null || (v as number) > (acc.v as number)) acc.v = v;
      break;
    case 'MIN':
      if (acc.v === null || (v as number) < (acc.v as number)) acc.v = v;
      break;
    default:
      acc.n++;
      acc.v = ((acc.v as number | null) ?? 0) + Number(v);
  }
}

function value(a: Agg, acc: Acc): unknown {
  switch (a.fn) {
    case 'COUNT':
      return acc.n;
    case 'COUNT_DISTINCT':
      return acc.set!.size;
    case 'AVG':
      return acc.n ? (acc.v as number) / acc.n : null;
    case 'SUM':
      return acc.v;
    default:
      return acc.v === null ? null : format(a.res!.field, acc.v);
  }
}

const normalized = (raw: string): string => raw.replace(/\s+/g, '').toLowerCase();

/** The aggregate of the SELECT list that ORDER BY or HAVING names (the emulator needs it selected). */
function selectedAggregate(c: Compiler, aggs: Agg[], clause: string, rawValue: string | undefined): number {
  const ai = aggs.findIndex((a) => a.raw === normalized(rawValue ?? ''));
  if (ai === -1)
    throw malformed(c.soql, `${clause} ${rawValue} must be an aggregate in the SELECT list (emulator)`, rawValue);
  return ai;
}

function groupOrder(
  c: Compiler,
  orderBy: OrderByClause | OrderByClause[],
  groups: Group[],
  aggs: Agg[],
): (a: Bucket, b: Bucket) => number {
  const clauses = Array.isArray(orderBy) ? orderBy : [orderBy];
  return byKeys(
    clauses.map((o) => {
      if ('field' in o) {
        const idx = groups.findIndex((g) => g.path === o.field.toLowerCase());
        if (idx === -1) throw malformed(c.soql, `Ordered field must be grouped or aggregated: ${o.field}`, o.field);
        return { get: (b: Bucket) => keyOf(groups[idx].res.field, b.keys[idx]), ...sortDirection(o) };
      }
      const ai = selectedAggregate(c, aggs, 'ORDER BY', o.fn.rawValue);
      return { get: (b: Bucket) => value(aggs[ai], b.acc[ai]), ...sortDirection(o) };
    }),
  );
}

const HAVING_TESTS: Readonly<Record<string, (v: number, lit: number) => boolean>> = {
  '=': (v, lit) => v === lit,
  '!=': (v, lit) => v !== lit,
  '>': (v, lit) => v > lit,
  '>=': (v, lit) => v >= lit,
  '<': (v, lit) => v < lit,
};

/** HAVING: comparisons of selected aggregates with numbers, all joined by AND or all by OR. */
function compileHaving(c: Compiler, clause: HavingClause, aggs: Agg[]): (b: Bucket) => boolean {
  const parts: Array<(b: Bucket) => boolean> = [];
  const ops: string[] = [];
  let node: HavingClause | undefined = clause;
  while (node) {
    const h = node.left as Condition & { fn?: { rawValue?: string }; operator: string; value: string };
    if (!h.fn || (h as { openParen?: number }).openParen || (h as { closeParen?: number }).closeParen)
      throw malformed(c.soql, 'HAVING supports simple aggregate comparisons only (emulator)', 'HAVING');
    const ai = selectedAggregate(c, aggs, 'HAVING', h.fn.rawValue);
    const lit = Number(h.value);
    const test = HAVING_TESTS[h.operator] ?? ((v: number, l: number): boolean => v <= l);
    parts.push((b) => test(Number(value(aggs[ai], b.acc[ai])), lit));
    if ('operator' in node && node.operator) ops.push(node.operator);
    node = 'right' in node ? node.right : undefined;
  }
  if (ops.some((o) => o !== ops[0]))
    throw malformed(c.soql, 'HAVING mixing AND and OR is not supported (emulator)', 'HAVING');
  return ops[0] === 'OR' ? (b): boolean => parts.some((p) => p(b)) : (b): boolean => parts.every((p) => p(b));
}
