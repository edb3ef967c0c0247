/** /query and /queryAll (REST and Tooling): a query's first page, its column metadata, or a cursor's next page. */
import { ApiError } from '../errors.js';
import { openQuery, queryColumns } from '../soql.js';
import type { QueryCursors } from './query-cursors.js';
import { json, type Reply } from './reply.js';
import type { RestCall } from './request.js';

export function isQueryPath(seg: string[]): boolean {
  return (
    seg[0] === 'query' ||
    seg[0] === 'queryAll' ||
    (seg[0] === 'tooling' && (seg[1] === 'query' || seg[1] === 'queryAll'))
  );
}

export function queryRoute(cursors: QueryCursors, call: RestCall): Reply {
  const { org, seg, url, version } = call;
  const tooling = seg[0] === 'tooling';
  const locator = tooling ? seg[2] : seg[1];
  if (locator) return cursors.nextPage(org, locator);
  const q = url.searchParams.get('q');
  if (!q) throw new ApiError('MALFORMED_QUERY', 'q parameter is required', []);
  const opts = { tooling, apiVersion: version, unreadable: org.unreadable() };
  if (url.searchParams.get('columns') === 'true') return json(200, queryColumns(org, q, opts));
  const result = openQuery(org, q, opts);
  // Sforce-Query-Options: batchSize=N asks for smaller pages
  const batchSize = Number(call.headers['sforce-query-options']?.toString().match(/batchSize=(\d+)/)?.[1] ?? 0);
  return cursors.firstPage(org, result, { soql: q, tooling, version, batchSize });
}
