import type { Connection } from '@salesforce/core';

export type QueryPage<T> = { records: T[]; done: boolean; nextRecordsUrl?: string; totalSize: number };

/** How each request is sent: callers wrap it to count round trips or to retry a read lost on the way. */
export type Send = <R>(request: () => PromiseLike<R>) => Promise<R>;

const direct: Send = async (request) => request();

/**
 * Every page of a query in turn: queryMore with the previous page's locator until Salesforce says done. No record
 * cap, unlike jsforce's autoFetch (10,000 by default, which a large profile's FieldPermissions exceed). A caller
 * that stops iterating stops asking for more.
 */
export async function* queryPages<T extends Record<string, unknown>>(
  conn: Connection,
  soql: string,
  send: Send = direct,
): AsyncGenerator<QueryPage<T>> {
  let page = await send(() => conn.query<T>(soql));
  yield page;
  // each page needs the previous page's locator
  while (!page.done && page.nextRecordsUrl) {
    const locator = page.nextRecordsUrl;
    page = await send(() => conn.queryMore<T>(locator));
    yield page;
  }
}
