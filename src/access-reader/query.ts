import type { Connection } from '@salesforce/core';
import { queryPages } from '../org-api/paging.js';

/** Round trips and records of the queries one reader sent (for reports and benchmarks). */
export type ReadStats = { roundTrips: number; records: number; queries: number };

export const newStats = (): ReadStats => ({ roundTrips: 0, records: 0, queries: 0 });

/**
 * Every record of a query, page by page (queryMore until done): no record cap, unlike autoFetch's default of
 * 10,000, which a large profile's FieldPermissions exceed.
 */
export async function queryAll<T extends Record<string, unknown>>(
  conn: Connection,
  soql: string,
  stats?: ReadStats,
): Promise<T[]> {
  const records: T[] = [];
  if (stats) stats.queries++;
  for await (const page of queryPages<T>(conn, soql)) {
    if (stats) stats.roundTrips++;
    records.push(...page.records);
  }
  if (stats) stats.records += records.length;
  return records;
}

/** Splits values into IN-list chunks short enough for a GET query URL (REST limit about 16 KB). */
export function chunks<T>(values: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < values.length; i += size) out.push(values.slice(i, i + size));
  return out;
}

export { id15 } from '../org-api/ids.js';
