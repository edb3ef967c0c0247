/**
 * What a REST request is about, for the request log and fault matching: its SOQL (also a nextRecordsUrl page's,
 * through its cursor) and sObject names; a composite or batch request is about what its subrequests are about.
 */
export type RequestSubject = { soql?: string; sobjects?: string[]; subrequestMethods?: string[] };

/** The SOQL of an open query cursor, by its locator's base. */
export type CursorSoql = (base: string) => string | undefined;

const COMPOSITE = /^\/services\/data\/v\d+\.\d\/composite(\/batch)?$/;
const RESOURCE =
  /^\/services\/data\/v\d+\.\d\/(?:tooling\/)?(query|queryAll|sobjects|composite\/sobjects)(?:\/([^/]+))?/;

export function requestSubject(path: string, url: URL, raw: Buffer, cursorSoql: CursorSoql): RequestSubject {
  if (COMPOSITE.test(path) && raw.length) return compositeSubject(url, raw, cursorSoql);
  const m = RESOURCE.exec(path);
  if (!m) return {};
  const name = m[2] ? decodeURIComponent(m[2]) : undefined;
  if (m[1] === 'query' || m[1] === 'queryAll') {
    const soql = name ? cursorSoql(name.split('-')[0]) : (url.searchParams.get('q') ?? undefined);
    return soql ? { soql, sobjects: [fromObject(soql)].filter((o): o is string => !!o) } : {};
  }
  if (name) return { sobjects: [name] };
  if (m[1] === 'composite/sobjects' && raw.length) return collectionSubject(raw);
  return {};
}

/** A fault names a composite request by its subrequests: their SOQL and sObjects together. */
function compositeSubject(url: URL, raw: Buffer, cursorSoql: CursorSoql): RequestSubject {
  try {
    const b = JSON.parse(raw.toString('utf8')) as {
      compositeRequest?: Array<{ url?: string; body?: unknown; method?: string }>;
      batchRequests?: Array<{ url?: string; richInput?: unknown; method?: string }>;
    };
    const subs = b.compositeRequest ?? b.batchRequests ?? [];
    const parts = subs.map((r) => {
      const u = new URL(String(r.url ?? '').replace(/^\/?(?=v\d)/, '/services/data/'), url);
      const body = (r as { body?: unknown }).body ?? (r as { richInput?: unknown }).richInput ?? '';
      return requestSubject(u.pathname, u, Buffer.from(JSON.stringify(body)), cursorSoql);
    });
    const soql = parts
      .map((p) => p.soql)
      .filter(Boolean)
      .join('\n');
    return {
      soql: soql || undefined,
      sobjects: [...new Set(parts.flatMap((p) => p.sobjects ?? []))],
      subrequestMethods: subs.map((r) => String(r.method)),
    };
  } catch {
    return {};
  }
}

/** An sObject collection write is about its records' types. */
function collectionSubject(raw: Buffer): RequestSubject {
  try {
    const records =
      (JSON.parse(raw.toString('utf8')) as { records?: Array<{ attributes?: { type?: string } }> }).records ?? [];
    return { sobjects: [...new Set(records.map((r) => r.attributes?.type).filter((t): t is string => !!t))] };
  } catch {
    return {};
  }
}

/** The FROM object of a SOQL query: the first FROM outside string literals and parentheses (subqueries). */
export function fromObject(soql: string): string | undefined {
  let s = soql.replace(/'(?:[^'\\]|\\.)*'/g, "''");
  for (let prev = ''; prev !== s;) {
    prev = s;
    s = s.replace(/\([^()]*\)/g, ' ');
  }
  return /\bFROM\s+(\w+)/i.exec(s)?.[1];
}
