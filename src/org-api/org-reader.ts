import type { Connection } from '@salesforce/core';
import { isConnectionError } from './api-errors.js';
import { queryPages } from './paging.js';

type Rec = Record<string, unknown>;

const RETRY_DELAYS_MS = [200, 1000];
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Counts round trips so the report can say how much it asked of the org. */
export class OrgReader {
  public roundTrips = 0;
  public constructor(
    private readonly conn: Connection,
    private readonly retryDelaysMs: number[] = RETRY_DELAYS_MS,
  ) {}

  /** One page of a query. */
  public async page(soql: string): Promise<{ records: Rec[]; done: boolean; next?: string; totalSize: number }> {
    const r = await this.retrying(() => this.conn.query<Rec>(soql));
    return { records: r.records, done: r.done, next: r.nextRecordsUrl, totalSize: r.totalSize };
  }

  /** Queries only read: a request lost on the way is safe to send again, a couple of times. */
  private async retrying<T>(send: () => PromiseLike<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      this.roundTrips++;
      try {
        return await send();
      } catch (e) {
        if (attempt >= this.retryDelaysMs.length || !isConnectionError(e)) throw e;
        await sleep(this.retryDelaysMs[attempt]);
      }
    }
  }

  /** Every page of a query, up to `max` records, handed to `onPage` as they come (nothing kept). */
  public async each(
    soql: string,
    max: number,
    onPage: (records: Rec[], read: number, total: number) => void,
  ): Promise<{ read: number; truncated: boolean; totalSize: number }> {
    let read = 0;
    let totalSize: number | undefined;
    let more = false;
    for await (const page of queryPages<Rec>(this.conn, soql, (request) => this.retrying(request))) {
      totalSize ??= page.totalSize;
      const slice = page.records.length > max - read ? page.records.slice(0, max - read) : page.records;
      read += slice.length;
      onPage(slice, read, totalSize);
      if (read >= max && !page.done) {
        more = true;
        break;
      }
    }
    return { read, truncated: more || read < (totalSize ?? 0), totalSize: totalSize ?? 0 };
  }

  /** Every record of a query. */
  public async all(soql: string): Promise<Rec[]> {
    const out: Rec[] = [];
    await this.each(soql, Infinity, (records) => {
      for (const r of records) out.push(r);
    });
    return out;
  }
}
