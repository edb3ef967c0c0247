/**
 * Query results page by page: the first page of a result, and server-side cursors (nextRecordsUrl) that keep
 * references to the matching rows, never copies, formatting each page when it is read. Aggregates are never paged.
 */
import { ApiError } from '../errors.js';
import type { IdFactory } from '../ids.js';
import type { ResultSet } from '../soql.js';
import type { OrgState } from '../state.js';
import { json, type Reply } from './reply.js';

/** A server-side query cursor: the result set (row references, formatted per page), never copies of rows. */
type Cursor = { org: OrgState; result: ResultSet; soql: string; pageSize: number; tooling: boolean; version: string };

/** Salesforce's documented limit of open query cursors per user (here: per org's token). */
const MAX_OPEN_CURSORS = 10;

/** Salesforce's REST answer to an aggregate query whose groups do not fit in one batch (see README). */
export const AGGREGATE_QUERY_MORE =
  'Aggregate query does not support queryMore(), use LIMIT to restrict the results to a single batch';

export type FirstPageRequest = { soql: string; tooling: boolean; version: string; batchSize: number };

export class QueryCursors {
  private readonly cursors = new Map<string, Cursor>();

  public constructor(private readonly ids: IdFactory) {}

  /** The SOQL of an open cursor (a nextRecordsUrl page is about its query). */
  public soqlOf(base: string): string | undefined {
    return this.cursors.get(base)?.soql;
  }

  public firstPage(org: OrgState, result: ResultSet, q: FirstPageRequest): Reply {
    const { totalSize, size } = result;
    const pageSize = this.pageSize(org, result, q.batchSize);
    if (size <= pageSize) return json(200, { totalSize, done: true, records: result.page(0, size) });
    const base = this.ids.next('01g');
    this.open(base, { org, result, soql: q.soql, pageSize, tooling: q.tooling, version: q.version });
    return json(200, {
      totalSize,
      done: false,
      nextRecordsUrl: nextUrl(q.tooling, q.version, base, pageSize),
      records: result.page(0, pageSize),
    });
  }

  public nextPage(org: OrgState, locator: string): Reply {
    const { cur, base, pos } = this.cursor(org, locator);
    if (cur.result.aggregate) throw new ApiError('EXCEEDED_ID_LIMIT', AGGREGATE_QUERY_MORE, []);
    const end = pos + cur.pageSize;
    const page = cur.result.page(pos, end);
    if (end >= cur.result.size) return json(200, { totalSize: cur.result.totalSize, done: true, records: page });
    return json(200, {
      totalSize: cur.result.totalSize,
      done: false,
      nextRecordsUrl: nextUrl(cur.tooling, cur.version, base, end),
      records: page,
    });
  }

  /** The org's page size (or the smaller batchSize asked for); an aggregate's one batch, refused when it overflows. */
  private pageSize(org: OrgState, result: ResultSet, batchSize: number): number {
    const { queryPageSize, aggregateRowLimit, aggregateOverflow } = org.config;
    if (!result.aggregate) return batchSize > 0 ? Math.min(batchSize, queryPageSize) : queryPageSize;
    // Aggregates are never paged: up to one batch (2,000 rows, or the batchSize asked for, 200 at least) in one answer.
    const pageSize = Math.min(aggregateRowLimit, batchSize > 0 ? Math.max(200, batchSize) : Infinity);
    if (result.size > pageSize && aggregateOverflow === 'refuse')
      throw new ApiError('EXCEEDED_ID_LIMIT', AGGREGATE_QUERY_MORE, []);
    return pageSize;
  }

  /** A user has at most 10 query cursors open; opening another releases the oldest (its locator then fails). */
  private open(base: string, cursor: Cursor): void {
    const mine = [...this.cursors].filter(([, c]) => c.org === cursor.org);
    if (mine.length >= MAX_OPEN_CURSORS) this.cursors.delete(mine[0][0]);
    this.cursors.set(base, cursor);
  }

  private cursor(org: OrgState, locator: string): { cur: Cursor; base: string; pos: number } {
    const [base, posText] = locator.split('-');
    const cur = this.cursors.get(base);
    const pos = Number(posText);
    if (!cur || cur.org !== org || !Number.isInteger(pos))
      throw new ApiError('INVALID_QUERY_LOCATOR', 'invalid query locator', []);
    return { cur, base, pos };
  }
}

function nextUrl(tooling: boolean, version: string, base: string, pos: number): string {
  return `/services/data/v${version}/${tooling ? 'tooling/' : ''}query/${base}-${pos}`;
}
