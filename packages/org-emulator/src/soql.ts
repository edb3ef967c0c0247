/**
 * SOQL engine: parses with soql-parser-js, compiles the query into closures (one pass over the table), and
 * answers with Salesforce's record shapes. Anything it cannot evaluate faithfully is MALFORMED_QUERY.
 * The parts are in soql/: name resolution (compiler), WHERE (where, comparisons, literals), SELECT (select, order),
 * aggregates, column metadata, and running a parsed query (run).
 */
import soqlParser, { type Query } from 'soql-parser-js';
import type { OrgState } from './state.js';
import { queryColumnsOf } from './soql/columns.js';
import { Compiler } from './soql/compiler.js';
import { malformed } from './soql/errors.js';
import { runCompiled } from './soql/run.js';
import type { QueryOptions, QueryOutput, ResultSet } from './soql/types.js';

export type { FormattedRecord, QueryOptions, QueryOutput, ResultSet } from './soql/types.js';
export { format } from './soql/values.js';

const { parseQuery } = soqlParser;

export function parseSoql(soql: string): Query {
  try {
    return parseQuery(soql, { allowApexBindVariables: false });
  } catch (e) {
    const msg = (e as Error).message.split('\n')[0];
    const m = /found: '([^']*)'/.exec((e as Error).message);
    throw malformed(soql, `unexpected token: ${m ? m[1] : msg}`, m?.[1]);
  }
}

/** Runs a query and keeps its answer for paging (see ResultSet). */
export function openQuery(org: OrgState, soql: string, opts: QueryOptions): ResultSet {
  return runCompiled(new Compiler(org, soql, opts), parseSoql(soql));
}

/** Runs a query and formats every row (in-process access, no paging). */
export function runQuery(org: OrgState, soql: string, opts: QueryOptions): QueryOutput {
  const out = openQuery(org, soql, opts);
  return { totalSize: out.totalSize, records: out.page(0, out.size) };
}

export function queryColumns(org: OrgState, soql: string, opts: QueryOptions): Record<string, unknown> {
  return queryColumnsOf(new Compiler(org, soql, opts), parseSoql(soql));
}
