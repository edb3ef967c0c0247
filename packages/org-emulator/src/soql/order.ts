/** ORDER BY of a plain query (or a child subquery): a row comparator over the clause's fields. */
import type { OrderByClause } from 'soql-parser-js';
import type { ObjectDef } from '../schema.js';
import type { Rec } from '../state.js';
import type { Compiler } from './compiler.js';
import { malformed } from './errors.js';
import { byKeys, keyOf, sortDirection } from './values.js';

export function compileOrderBy(
  c: Compiler,
  obj: ObjectDef,
  clause: OrderByClause | OrderByClause[] | undefined,
  alias?: string,
): ((a: Rec, b: Rec) => number) | undefined {
  if (!clause) return undefined;
  const list = Array.isArray(clause) ? clause : [clause];
  return byKeys(
    list.map((o) => {
      if (!('field' in o))
        throw malformed(c.soql, 'ORDER BY a function is only supported in aggregate queries', 'ORDER BY');
      const res = c.resolve(obj, o.field, alias);
      return { get: (r: Rec) => keyOf(res.field, res.get(r)), ...sortDirection(o) };
    }),
  );
}
