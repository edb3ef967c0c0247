import type { Connection } from '@salesforce/core';

/** Round trips and records of the queries one reader sent (for reports and benchmarks). */
export type ReadStats = { roundTrips: number; records: number; queries: number };

export const newStats = (): ReadStats => ({ roundTrips: 0, records: 0, queries: 0 });

type Page<T> = { records: T[]; done: boolean; nextRecordsUrl?: string };

/**
 * Every record of a query, page by page (queryMore until done): no record cap, unlike autoFetch's default of
 * 10,000, which a large profile's FieldPermissions exceed.
 */
export async function queryAll<T extends Record<string, unknown>>(conn: Connection, soql: string, stats?: ReadStats): Promise<T[]> {
  let page = (await conn.query<T>(soql)) as unknown as Page<T>;
  if (stats) {
    stats.queries++;
    stats.roundTrips++;
  }
  const records = [...page.records];
  while (!page.done && page.nextRecordsUrl) {
    page = (await conn.queryMore<T>(page.nextRecordsUrl)) as unknown as Page<T>;
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

/** 15-character form of an Id: Salesforce answers with either form, the first 15 characters identify it. */
export const id15 = (id: string): string => id.slice(0, 15);
