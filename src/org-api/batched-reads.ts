/**
 * Reads sent together: a Connection whose `query` and `describe` calls made in the same turn of the event loop go to
 * the org as one REST Composite Batch request (`/composite/batch`: up to 25 independent subrequests, queries and
 * describes allowed, no transaction; docs/salesforce-behaviour.md "Composite API"). The readers stay plain
 * functions of a Connection; only the number of round trips changes. Every other call goes to the real connection.
 */
import type { Connection } from '@salesforce/core';

const MAX_SUBREQUESTS = 25;

type Pending = { url: string; resolve: (v: unknown) => void; reject: (e: unknown) => void };
type BatchAnswer = { hasErrors: boolean; results: Array<{ statusCode: number; result: unknown }> };

/** The error a failed subrequest gives, shaped as the connection's own errors (name and errorCode = Salesforce's code). */
function subrequestError(statusCode: number, result: unknown): Error {
  const first = (Array.isArray(result) ? result[0] : result) as { errorCode?: string; message?: string } | undefined;
  const error = new Error(first?.message ?? `HTTP ${statusCode}`) as Error & {
    errorCode?: string;
    statusCode?: number;
  };
  error.name = first?.errorCode ?? `ERROR_HTTP_${statusCode}`;
  error.errorCode = first?.errorCode;
  error.statusCode = statusCode;
  return error;
}

/** A view of `conn` whose reads are batched (see the module comment). */
export function batchedReads(conn: Connection): Connection {
  let queue: Pending[] = [];
  const version = conn.getApiVersion();

  const flush = (): void => {
    const pending = queue;
    queue = [];
    for (let i = 0; i < pending.length; i += MAX_SUBREQUESTS) void send(pending.slice(i, i + MAX_SUBREQUESTS));
  };
  const send = async (chunk: Pending[]): Promise<void> => {
    try {
      // one alone gains nothing from the batch envelope
      if (chunk.length === 1) {
        chunk[0].resolve(await conn.request(`/services/data/v${version}/${chunk[0].url}`));
        return;
      }
      const answer = await conn.request<BatchAnswer>({
        method: 'POST',
        url: `/services/data/v${version}/composite/batch`,
        body: JSON.stringify({ batchRequests: chunk.map((p) => ({ method: 'GET', url: `v${version}/${p.url}` })) }),
        headers: { 'content-type': 'application/json' },
      });
      chunk.forEach((p, i) => {
        const r = answer.results[i];
        if (!r) p.reject(new Error('The batch answer is missing a result'));
        else if (r.statusCode >= 400) p.reject(subrequestError(r.statusCode, r.result));
        else p.resolve(r.result);
      });
    } catch (e) {
      for (const p of chunk) p.reject(e);
    }
  };
  const enqueue = <T>(url: string): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      if (queue.length === 0) setImmediate(flush);
      queue.push({ url, resolve: resolve as (v: unknown) => void, reject });
    });

  return new Proxy(conn, {
    get(target, prop, receiver): unknown {
      if (prop === 'query') return <T>(soql: string) => enqueue<T>(`query?q=${encodeURIComponent(soql)}`);
      if (prop === 'describe') return (name: string) => enqueue(`sobjects/${encodeURIComponent(name)}/describe`);
      const value = Reflect.get(target, prop, receiver) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}
