/** Runs a parsed query: COUNT(), aggregate queries, or plain rows (matched, sorted, offset, limited). */
import type { Query } from 'soql-parser-js';
import type { ObjectDef } from '../schema.js';
import type { Rec } from '../state.js';
import { aggregateRows } from './aggregate.js';
import type { Compiler } from './compiler.js';
import { malformed } from './errors.js';
import { compileOrderBy } from './order.js';
import { compileSelect } from './select.js';
import type { Predicate, ResultSet } from './types.js';
import { compileWhere } from './where.js';

export function runCompiled(c: Compiler, q: Query): ResultSet {
  if (q.withDataCategory || q.for || q.update || q.usingScope)
    throw malformed(c.soql, 'clause not supported by the emulator');
  const obj = c.object(q.sObject);
  const fields = q.fields ?? [];
  const pred = compileWhere(c, obj, q.where, q.sObjectAlias);
  const groupBy = q.groupBy ? (Array.isArray(q.groupBy) ? q.groupBy : [q.groupBy]) : [];
  const countOnly =
    fields.length === 1 &&
    fields[0].type === 'FieldFunctionExpression' &&
    fields[0].functionName?.toUpperCase() === 'COUNT' &&
    fields[0].parameters.length === 0;
  if (countOnly) {
    if (groupBy.length) throw malformed(c.soql, 'COUNT() cannot be used with GROUP BY', 'COUNT');
    return countResult(c, q, obj, pred);
  }
  if (groupBy.length || fields.some((f) => f.type === 'FieldFunctionExpression' && f.isAggregateFn)) {
    const rows = aggregateRows(c, q, obj, pred, groupBy);
    return {
      totalSize: rows.length,
      size: rows.length,
      aggregate: true,
      sObject: obj.name,
      page: (s, e) => rows.slice(s, e),
    };
  }
  return plainResult(c, q, obj, pred);
}

/** COUNT(): only the number (after OFFSET and LIMIT), no rows. */
function countResult(c: Compiler, q: Query, obj: ObjectDef, pred: Predicate): ResultSet {
  let n = 0;
  for (const r of c.org.table(obj.name).values()) if (pred(r)) n++;
  if (q.offset) n = Math.max(0, n - q.offset);
  if (q.limit !== undefined) n = Math.min(n, q.limit);
  return { totalSize: n, size: 0, aggregate: false, sObject: obj.name, page: () => [] };
}

/** The matching rows by reference; a page is formatted when it is read. */
function plainResult(c: Compiler, q: Query, obj: ObjectDef, pred: Predicate): ResultSet {
  const select = compileSelect(c, obj, q.fields ?? [], q.sObjectAlias);
  const order = compileOrderBy(c, obj, q.orderBy, q.sObjectAlias);
  let matched: Rec[] = [];
  for (const r of c.org.table(obj.name).values()) if (pred(r)) matched.push(r);
  if (order) matched.sort(order);
  if (q.offset) matched = matched.slice(q.offset);
  if (q.limit !== undefined) matched = matched.slice(0, q.limit);
  const rows = matched;
  return {
    totalSize: rows.length,
    size: rows.length,
    aggregate: false,
    sObject: obj.name,
    page: (start, end) => rows.slice(start, end).map(select),
  };
}
