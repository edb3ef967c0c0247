/**
 * The HTTP front of the emulator: routing, token -> org, request log and fault injection.
 * REST under /services/data, OAuth userinfo, SOAP Metadata API under /services/Soap/m.
 */
import { myDomainUrl, refreshSandbox } from './refresh.js';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { XMLParser } from 'fast-xml-parser';
import { Dml, objectOrThrow } from './dml.js';
import { batch, composite, type Dispatch } from './composite.js';
import { ApiError, MESSAGES } from './errors.js';
import { FaultInjector, type FaultResponse } from './faults.js';
import { looksLikeId } from './ids.js';
import { MetadataApi, soapEnvelope, soapFault } from './metadata.js';
import type { EmulatorSeed } from './seed.js';
import { createOrg } from './seeding.js';
import { format, openQuery, queryColumns, type FormattedRecord, type ResultSet } from './soql.js';
import { DEFAULT_MAX_API_VERSION, ServerContext, type OrgState, type Rec } from './state.js';
import { permissionFieldLabel } from './permission-labels.js';
import { revokeToken } from './oauth-revoke.js';
import { logFileCsv } from './event-log-files.js';

export type RequestLogEntry = {
  method: string;
  path: string;
  query: string;
  soapOperation?: string;
  /** the SOQL of a query request (also of a nextRecordsUrl page) */
  soql?: string;
  /** the sObjects a request is about: a query's FROM object, /sobjects/{name}, a collection's record types */
  sobjects?: string[];
  status: number;
  orgId?: string;
  /** a /composite or /composite/batch request: its subrequests' methods (all GET: the request only reads) */
  subrequestMethods?: string[];
};

type Reply = { status: number; body?: unknown; contentType?: string; headers?: Record<string, string> };
/** A server-side query cursor: the result set (row references, formatted per page), never copies of rows. */
type Cursor = { org: OrgState; result: ResultSet; soql: string; pageSize: number; tooling: boolean; version: string };

/** Salesforce's REST answer to an aggregate query whose groups do not fit in one batch (see README). */
const MAX_OPEN_CURSORS = 10;

export const AGGREGATE_QUERY_MORE =
  'Aggregate query does not support queryMore(), use LIMIT to restrict the results to a single batch';

const JSON_TYPE = 'application/json;charset=UTF-8';
const XML_TYPE = 'text/xml;charset=UTF-8';
const SOAP_PARSER = new XMLParser({
  removeNSPrefix: true,
  ignoreAttributes: true,
  parseTagValue: false,
  isArray: (name) => ['fullNames', 'queries', 'types', 'members', 'runTests', 'packageNames'].includes(name),
});

function json(status: number, body: unknown, headers?: Record<string, string>): Reply {
  return { status, body, contentType: JSON_TYPE, headers };
}

function restError(e: ApiError): Reply {
  return json(e.status, e.toRest());
}

export class EmulatorServer {
  public readonly ctx = new ServerContext();
  public readonly orgs: OrgState[] = [];
  public readonly faults = new FaultInjector();
  public readonly requests: RequestLogEntry[] = [];
  public readonly metadata: MetadataApi;
  private readonly cursors = new Map<string, Cursor>();
  private server?: Server;
  public url = '';

  public constructor() {
    this.metadata = new MetadataApi(this.ctx);
  }

  public addOrg(seed?: EmulatorSeed): OrgState {
    const org = createOrg(this.ctx, seed);
    this.orgs.push(org);
    return org;
  }

  /** A sandbox named `name` refreshed from `source` (refresh.ts): a new org beside it. */
  public refreshSandbox(source: OrgState, name: string): OrgState {
    const org = refreshSandbox(this.ctx, source, name);
    this.orgs.push(org);
    return org;
  }

  public async listen(port = 0): Promise<string> {
    const server = createServer((req, res) => {
      // a client that hangs up mid-request must not take the test process down
      this.handle(req, res).catch(() => res.destroy());
    });
    server.keepAliveTimeout = 1000;
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    this.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return this.url;
  }

  public async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  private orgByToken(token: string | undefined): OrgState | undefined {
    return token ? this.orgs.find((o) => o.accessToken === token) : undefined;
  }

  // ---- request pipeline ---------------------------------------------------------------------------

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks);
    // collapse repeated slashes first: '//services/..' would otherwise parse as a host
    const rawUrl = (req.url ?? '/').replace(/^([^?]*)/, (p) => p.replace(/\/{2,}/g, '/'));
    const url = new URL(rawUrl, 'http://127.0.0.1');
    const path = url.pathname;
    const method = (req.method ?? 'GET').toUpperCase();
    let soap: { op: string; body: Record<string, unknown>; sessionId?: string } | undefined;
    if (/^\/services\/Soap\//i.test(path) && method === 'POST') soap = parseSoap(raw.toString('utf8'));
    const entry: RequestLogEntry = { method, path, query: url.search, soapOperation: soap?.op, status: 0 };
    const bearer = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1]?.trim();
    entry.orgId = this.orgByToken(soap ? soap.sessionId : bearer)?.id;
    if (!soap) Object.assign(entry, this.subject(path, url, raw));
    this.requests.push(entry);

    const fault = this.faults.match({
      method,
      path,
      soapOperation: soap?.op,
      soql: entry.soql,
      sobjects: entry.sobjects,
    });
    if (fault && 'drop' in fault) {
      entry.status = -1;
      req.socket.destroy();
      return;
    }
    if (fault && 'delayMs' in fault) await new Promise((r) => setTimeout(r, fault.delayMs));
    const answers = !fault || 'delayMs' in fault || 'dropAfter' in fault;
    let reply: Reply;
    try {
      reply = answers ? await this.route(method, path, url, raw, req, bearer, soap) : faultReply(fault, !!soap);
    } catch (e) {
      if (e instanceof ApiError) reply = soap ? soapFault(e.errorCode, `${e.errorCode}: ${e.message}`) : restError(e);
      else {
        const msg = (e as Error).stack ?? String(e);
        reply = soap
          ? soapFault('UNKNOWN_EXCEPTION', `UNKNOWN_EXCEPTION: ${msg}`)
          : json(500, [{ message: msg, errorCode: 'UNKNOWN_EXCEPTION' }]);
      }
    }
    if (fault && 'dropAfter' in fault) {
      entry.status = -1;
      req.socket.destroy();
      return;
    }
    entry.status = reply.status;
    const headers: Record<string, string> = { ...(reply.headers ?? {}) };
    let payload: Buffer | string = '';
    if (reply.body !== undefined && reply.status !== 204) {
      headers['content-type'] = reply.contentType ?? JSON_TYPE;
      payload = typeof reply.body === 'string' || Buffer.isBuffer(reply.body) ? reply.body : JSON.stringify(reply.body);
    }
    res.writeHead(reply.status, headers);
    res.end(payload);
  }

  private async route(
    method: string,
    path: string,
    url: URL,
    raw: Buffer,
    req: IncomingMessage,
    bearer: string | undefined,
    soap?: { op: string; body: Record<string, unknown>; sessionId?: string },
  ): Promise<Reply> {
    if (soap) {
      const org = this.orgByToken(soap.sessionId);
      if (!org) return soapFault('INVALID_SESSION_ID', MESSAGES.soapSessionInvalid);
      const metadataPath = /^\/services\/Soap\/m\/(\d+\.\d)(?:\/|$)/i.exec(path);
      // the endpoint's version is the request's API version (a deploy's package.xml <version> can narrow it)
      if (metadataPath) return this.metadata.handle(org, soap.op, soap.body, metadataPath[1]);
      return soapFault('UNKNOWN_OPERATION', `UNKNOWN_OPERATION: the emulator does not implement ${soap.op} on ${path}`);
    }
    if (path === '/services/data' || path === '/services/data/') {
      const org = this.orgByToken(bearer) ?? this.orgs[0];
      return json(200, versions(org?.config.maxApiVersion ?? DEFAULT_MAX_API_VERSION));
    }
    const org = this.orgByToken(bearer);
    // the token names itself: no session needed
    if (path === '/services/oauth2/revoke') {
      const r = revokeToken(this.orgs, method, url, raw);
      return r.body === undefined ? { status: r.status, body: '', contentType: 'text/plain' } : json(r.status, r.body);
    }
    if (path === '/services/oauth2/token') {
      return json(400, { error: 'unsupported_grant_type', error_description: 'grant type not supported' });
    }
    if (!org) return json(401, [{ message: MESSAGES.sessionInvalid, errorCode: 'INVALID_SESSION_ID' }]);
    if (path === '/services/oauth2/userinfo') return json(200, userinfo(org, this.url));
    const m = /^\/services\/data\/v(\d+\.\d)(\/.*)?$/.exec(path);
    if (!m) throw new ApiError('NOT_FOUND', MESSAGES.notFound, [], 404);
    const version = m[1];
    if (Number(version) > Number(org.config.maxApiVersion) || Number(version) < 20)
      throw new ApiError('NOT_FOUND', MESSAGES.notFound, [], 404);
    const rest = (m[2] ?? '').replace(/\/$/, '');
    const seg = rest.split('/').filter(Boolean).map(decodeURIComponent);
    const body = (): Record<string, unknown> => parseJsonBody(raw);
    if (seg.length === 0) return json(200, versionRoot(version));

    if (
      seg[0] === 'query' ||
      seg[0] === 'queryAll' ||
      (seg[0] === 'tooling' && (seg[1] === 'query' || seg[1] === 'queryAll'))
    ) {
      const tooling = seg[0] === 'tooling';
      const locator = tooling ? seg[2] : seg[1];
      if (locator) return this.nextPage(org, locator);
      const q = url.searchParams.get('q');
      if (!q) throw new ApiError('MALFORMED_QUERY', 'q parameter is required', []);
      const opts = { tooling, apiVersion: version, unreadable: org.unreadable() };
      if (url.searchParams.get('columns') === 'true') return json(200, queryColumns(org, q, opts));
      const result = openQuery(org, q, opts);
      return this.firstPage(
        org,
        result,
        q,
        tooling,
        version,
        Number(req.headers['sforce-query-options']?.toString().match(/batchSize=(\d+)/)?.[1] ?? 0),
      );
    }
    if (seg[0] === 'tooling' && seg[1] === 'sobjects') {
      // source tracking exists only in scratch orgs (and tracked sandboxes); elsewhere SourceMember is unknown
      if (org.orgType === 'scratch' && seg[2] === 'SourceMember' && seg[3] === 'describe')
        return json(200, describe(org, 'SourceMember', version));
      throw new ApiError('NOT_FOUND', MESSAGES.notFound, [], 404);
    }
    if (seg[0] === 'sobjects') return this.sobjects(org, method, seg.slice(1), body, url, version);
    if (seg[0] === 'composite' && seg.length === 1 && method === 'POST')
      return json(200, await composite(org, body(), this.dispatcher(org, url, req, bearer)));
    if (seg[0] === 'composite' && seg[1] === 'batch' && seg.length === 2 && method === 'POST')
      return json(200, await batch(body(), version, this.dispatcher(org, url, req, bearer)));
    if (seg[0] === 'composite' && seg[1] === 'sobjects')
      return this.collections(org, method, seg.slice(2), body, url, version);
    if (seg[0] === 'metadata' && seg[1] === 'deployRequest')
      return this.metadata.rest(org, method, seg[2], raw, req.headers['content-type'] ?? '', url, version);
    throw new ApiError('NOT_FOUND', MESSAGES.notFound, [], 404);
  }

  /** Runs a composite subrequest through this server's routing, as its own REST request would run (errors as REST answers). */
  private dispatcher(org: OrgState, url: URL, req: IncomingMessage, bearer: string | undefined): Dispatch {
    return async (method, pathAndQuery, body) => {
      const sub = new URL(`/services/data${pathAndQuery}`, url);
      const raw = Buffer.from(body === undefined ? '' : JSON.stringify(body));
      try {
        const reply = await this.route(method, sub.pathname, sub, raw, req, bearer);
        return { status: reply.status, body: reply.body };
      } catch (e) {
        if (e instanceof ApiError) return { status: e.status, body: e.toRest() };
        throw e;
      }
    };
  }

  /** What a REST request is about, for the request log and fault matching: its SOQL and sObject names. */
  private subject(
    path: string,
    url: URL,
    raw: Buffer,
  ): { soql?: string; sobjects?: string[]; subrequestMethods?: string[] } {
    // a composite or batch request is about what its subrequests are about (a fault names the request by them)
    if (/^\/services\/data\/v\d+\.\d\/composite(\/batch)?$/.test(path) && raw.length) {
      try {
        const b = JSON.parse(raw.toString('utf8')) as {
          compositeRequest?: Array<{ url?: string; body?: unknown; method?: string }>;
          batchRequests?: Array<{ url?: string; richInput?: unknown; method?: string }>;
        };
        const subs = b.compositeRequest ?? b.batchRequests ?? [];
        const parts = subs.map((r) => {
          const u = new URL(String(r.url ?? '').replace(/^\/?(?=v\d)/, '/services/data/'), url);
          return this.subject(
            u.pathname,
            u,
            Buffer.from(
              JSON.stringify((r as { body?: unknown }).body ?? (r as { richInput?: unknown }).richInput ?? ''),
            ),
          );
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
    const m =
      /^\/services\/data\/v\d+\.\d\/(?:tooling\/)?(query|queryAll|sobjects|composite\/sobjects)(?:\/([^/]+))?/.exec(
        path,
      );
    if (!m) return {};
    const name = m[2] ? decodeURIComponent(m[2]) : undefined;
    if (m[1] === 'query' || m[1] === 'queryAll') {
      const soql = name ? this.cursors.get(name.split('-')[0])?.soql : (url.searchParams.get('q') ?? undefined);
      return soql ? { soql, sobjects: [fromObject(soql)].filter((o): o is string => !!o) } : {};
    }
    if (name) return { sobjects: [name] };
    if (m[1] === 'composite/sobjects' && raw.length) {
      try {
        const records =
          (JSON.parse(raw.toString('utf8')) as { records?: Array<{ attributes?: { type?: string } }> }).records ?? [];
        return { sobjects: [...new Set(records.map((r) => r.attributes?.type).filter((t): t is string => !!t))] };
      } catch {
        return {};
      }
    }
    return {};
  }

  // ---- query paging ---------------------------------------------------------------------------------

  private firstPage(
    org: OrgState,
    result: ResultSet,
    soql: string,
    tooling: boolean,
    version: string,
    batchSize: number,
  ): Reply {
    const { totalSize, size } = result;
    let pageSize = batchSize > 0 ? Math.min(batchSize, org.config.queryPageSize) : org.config.queryPageSize;
    if (result.aggregate) {
      // Aggregates are never paged: up to one batch (2,000 rows, or the batchSize asked for, 200 at least) in one answer.
      pageSize = Math.min(org.config.aggregateRowLimit, batchSize > 0 ? Math.max(200, batchSize) : Infinity);
      if (size > pageSize && org.config.aggregateOverflow === 'refuse')
        throw new ApiError('EXCEEDED_ID_LIMIT', AGGREGATE_QUERY_MORE, []);
    }
    if (size <= pageSize) return json(200, { totalSize, done: true, records: result.page(0, size) });
    const base = this.ctx.ids.next('01g');
    this.openCursor(base, { org, result, soql, pageSize, tooling, version });
    return json(200, {
      totalSize,
      done: false,
      nextRecordsUrl: nextUrl(tooling, version, base, pageSize),
      records: result.page(0, pageSize),
    });
  }

  /** A user has at most 10 query cursors open; opening another releases the oldest (its locator then fails). */
  private openCursor(base: string, cursor: Cursor): void {
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

  private nextPage(org: OrgState, locator: string): Reply {
    const { cur, base, pos } = this.cursor(org, locator);
    if (cur.result.aggregate) throw new ApiError('EXCEEDED_ID_LIMIT', AGGREGATE_QUERY_MORE, []);
    const end = pos + cur.pageSize;
    const size = cur.result.size;
    const page = cur.result.page(pos, end);
    if (end >= size) {
      return json(200, { totalSize: cur.result.totalSize, done: true, records: page });
    }
    return json(200, {
      totalSize: cur.result.totalSize,
      done: false,
      nextRecordsUrl: nextUrl(cur.tooling, cur.version, base, end),
      records: page,
    });
  }

  // ---- sObjects ---------------------------------------------------------------------------------------

  private sobjects(
    org: OrgState,
    method: string,
    seg: string[],
    body: () => Record<string, unknown>,
    url: URL,
    version: string,
  ): Reply {
    const dml = new Dml(org, version);
    if (seg.length === 0) return json(200, describeGlobal(org, version));
    const obj = readableObject(org, seg[0], version);
    if (seg.length === 1) {
      if (method === 'POST') {
        try {
          const rec = dml.create(obj.name, body());
          return json(201, { id: rec.Id, success: true, errors: [] });
        } catch (e) {
          if (e instanceof ApiError) return restError(e);
          throw e;
        }
      }
      if (method === 'GET')
        return json(200, { objectDescribe: describeBasic(org, obj.name, version), recentItems: [] });
      throw methodNotAllowed(method, 'GET,HEAD,POST');
    }
    if (seg[1] === 'describe') return json(200, describe(org, obj.name, version));
    const id = seg[1];
    if (seg[2] === 'password' && obj.name === 'User') return this.password(org, method, id, body);
    if (seg[2] === 'LogFile' && seg.length === 3 && obj.name === 'EventLogFile') return logFile(org, method, id);
    if (seg.length > 2) throw new ApiError('NOT_FOUND', MESSAGES.notFound, [], 404);
    switch (method) {
      case 'GET': {
        const rec = looksLikeId(id) ? org.get(id) : undefined;
        if (!rec || org.objectOf(rec.Id) !== obj) throw new ApiError('NOT_FOUND', MESSAGES.notFound, [], 404);
        return json(200, recordOut(org, rec, version, url.searchParams.get('fields')?.split(',')));
      }
      case 'PATCH':
        dml.update(obj.name, id, body());
        return { status: 204 };
      case 'DELETE':
        dml.remove(obj.name, id);
        return { status: 204 };
      default:
        throw methodNotAllowed(method, 'GET,HEAD,PATCH,DELETE');
    }
  }

  private password(org: OrgState, method: string, id: string, body: () => Record<string, unknown>): Reply {
    const user = org.get(id);
    if (!user || org.objectOf(user.Id)?.name !== 'User') throw new ApiError('NOT_FOUND', MESSAGES.notFound, [], 404);
    const stored = passwordOf(org, user.Id);
    if (method === 'GET') return json(200, { isExpired: stored.expired });
    if (method === 'DELETE') {
      // a reset password must be changed at the next login
      let pw: string;
      do pw = randomBytes(9).toString('base64url');
      while (!/[a-zA-Z]/.test(pw) || !/\d/.test(pw));
      setStoredPassword(stored, pw, true);
      return json(200, { NewPassword: pw });
    }
    if (method === 'POST') {
      const pw = body().NewPassword;
      // Salesforce's default policy: 8 characters, letters and numbers, not the username, none of the last 3
      if (typeof pw !== 'string' || pw.length < 8)
        throw new ApiError('INVALID_NEW_PASSWORD', 'Your password must be at least 8 characters long.', []);
      if (!/[a-zA-Z]/.test(pw) || !/\d/.test(pw))
        throw new ApiError('INVALID_NEW_PASSWORD', 'Your password must have a mix of letters and numbers.', []);
      if (pw.toLowerCase().includes(String(user.Username).toLowerCase()))
        throw new ApiError('INVALID_NEW_PASSWORD', 'Your password cannot equal or contain your user name.', []);
      if (stored.history.includes(pw))
        throw new ApiError('INVALID_NEW_PASSWORD', 'You cannot reuse this old password.', []);
      setStoredPassword(stored, pw, false);
      return { status: 204 };
    }
    throw methodNotAllowed(method, 'GET,HEAD,POST,DELETE');
  }

  private collections(
    org: OrgState,
    method: string,
    seg: string[],
    body: () => Record<string, unknown>,
    url: URL,
    version: string,
  ): Reply {
    const dml = new Dml(org, version);
    if (method === 'GET' && seg[0]) {
      const obj = readableObject(org, seg[0], version);
      const ids = (url.searchParams.get('ids') ?? '').split(',').filter(Boolean);
      const fields = (url.searchParams.get('fields') ?? '').split(',').filter(Boolean);
      return json(
        200,
        ids.map((id) => {
          const rec = looksLikeId(id) ? org.get(id) : undefined;
          return rec && org.objectOf(rec.Id) === obj
            ? recordOut(org, rec, version, fields.length ? fields : undefined)
            : null;
        }),
      );
    }
    type Result = { id?: string | null; success: boolean; errors: unknown[] };
    const results: Result[] = [];
    const undo: Array<() => void> = [];
    let failed = false;
    if (method === 'DELETE') {
      const ids = (url.searchParams.get('ids') ?? '').split(',').filter(Boolean);
      const allOrNone = url.searchParams.get('allOrNone') === 'true';
      for (const id of ids) {
        const rec = looksLikeId(id) ? org.get(id) : undefined;
        try {
          if (!rec) throw new ApiError('ENTITY_IS_DELETED', 'entity is deleted', []);
          const snapshot = rec;
          dml.remove(org.objectOf(rec.Id)!.name, rec.Id);
          undo.push(() => org.table(org.objectOf(snapshot.Id)!.name).set(snapshot.Id, snapshot));
          results.push({ id: rec.Id, success: true, errors: [] });
        } catch (e) {
          if (!(e instanceof ApiError)) throw e;
          failed = true;
          results.push({ id: null, success: false, errors: [e.toCollection()] });
        }
      }
      return json(200, allOrNone && failed ? rollback(results, undo, org) : results);
    }
    if (method !== 'POST' && method !== 'PATCH') throw methodNotAllowed(method, 'GET,POST,PATCH,DELETE');
    const b = body();
    const records = b.records;
    if (!Array.isArray(records)) throw new ApiError('JSON_PARSER_ERROR', 'records is required', []);
    if (records.length > 200)
      throw new ApiError(
        'EXCEEDED_ID_LIMIT',
        'record limit reached. cannot submit more than 200 records into this call',
        [],
      );
    for (const r of records as Array<Record<string, unknown>>) {
      const type = (r.attributes as { type?: string } | undefined)?.type;
      try {
        if (!type) throw new ApiError('INVALID_TYPE', 'Must send a concrete entity type.', []);
        const values = Object.fromEntries(
          Object.entries(r).filter(([k]) => k !== 'attributes' && k !== 'id' && k !== 'Id'),
        );
        if (method === 'POST') {
          const rec = dml.create(type, values);
          undo.push(() => undoCreate(org, rec));
          results.push({ id: rec.Id, success: true, errors: [] });
        } else {
          const id = String(r.id ?? r.Id ?? '');
          const before = org.get(id);
          const copy = before ? { ...before } : undefined;
          dml.update(type, id, values);
          undo.push(() => {
            if (before && copy) {
              for (const k of Object.keys(before)) delete before[k];
              Object.assign(before, copy);
            }
          });
          results.push({ id: before!.Id, success: true, errors: [] });
        }
      } catch (e) {
        if (!(e instanceof ApiError)) throw e;
        failed = true;
        results.push({
          ...(method === 'PATCH' ? { id: String(r.id ?? r.Id ?? '') || null } : {}),
          success: false,
          errors: [e.toCollection()],
        });
      }
    }
    return json(200, b.allOrNone === true && failed ? rollback(results, undo, org) : results);
  }
}

function rollback(
  results: Array<{ id?: string | null; success: boolean; errors: unknown[] }>,
  undo: Array<() => void>,
  org: OrgState,
): unknown[] {
  for (const u of undo.reverse()) u();
  org.recountLicenses();
  return results.map((r) =>
    r.success
      ? {
          id: null,
          success: false,
          errors: [
            {
              statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK',
              message:
                'Record rolled back because not all records were valid and the request was using AllOrNone header',
              fields: [],
            },
          ],
        }
      : r,
  );
}

function undoCreate(org: OrgState, rec: Rec): void {
  org.remove(rec.Id);
  if (org.objectOf(rec.Id)?.name === 'User') {
    org.ctx.usernames.delete(String(rec.Username).toLowerCase());
    for (const a of org.filter('PermissionSetAssignment', (x) => x.AssigneeId === rec.Id)) org.remove(a.Id);
  }
}

/** An object the running user may read; one they cannot is answered like an unknown one (404). */
function readableObject(org: OrgState, name: string, version: string): ReturnType<typeof objectOrThrow> {
  const obj = objectOrThrow(org, name, version);
  if (org.unreadable().has(obj.name.toLowerCase())) throw new ApiError('NOT_FOUND', MESSAGES.notFound, [], 404);
  return obj;
}

/** GET /sobjects/EventLogFile/{Id}/LogFile: the log file's CSV (content type UNCONFIRMED; see docs/salesforce-behaviour.md) */
function logFile(org: OrgState, method: string, id: string): Reply {
  if (method !== 'GET') throw methodNotAllowed(method, 'GET,HEAD');
  const csv = looksLikeId(id) ? logFileCsv(org, id) : undefined;
  if (csv === undefined) throw new ApiError('NOT_FOUND', MESSAGES.notFound, [], 404);
  return { status: 200, body: csv, contentType: 'text/csv' };
}

function methodNotAllowed(method: string, allowed: string): ApiError {
  return new ApiError('METHOD_NOT_ALLOWED', `HTTP Method '${method}' not allowed. Allowed are ${allowed}`, [], 405);
}

function faultReply(fault: FaultResponse, isSoap: boolean): Reply {
  if ('error' in fault) {
    const message = fault.message ?? fault.error;
    if (isSoap) return soapFault(fault.error, `${fault.error}: ${message}`);
    return json(fault.status ?? 400, [{ message, errorCode: fault.error, fields: [] }]);
  }
  const f = fault as { status: number; body?: unknown; headers?: Record<string, string> };
  const isString = typeof f.body === 'string';
  return {
    status: f.status,
    body: f.body,
    contentType:
      f.headers?.['content-type'] ?? (isString ? (isSoap ? XML_TYPE : 'text/html;charset=UTF-8') : JSON_TYPE),
    headers: f.headers,
  };
}

function parseSoap(xml: string): { op: string; body: Record<string, unknown>; sessionId?: string } | undefined {
  try {
    const doc = SOAP_PARSER.parse(xml) as {
      Envelope?: { Header?: { SessionHeader?: { sessionId?: string } }; Body?: Record<string, unknown> };
    };
    const bodyEl = doc.Envelope?.Body ?? {};
    const op = Object.keys(bodyEl)[0] ?? '';
    const content = bodyEl[op];
    return {
      op,
      body: typeof content === 'object' && content ? (content as Record<string, unknown>) : {},
      sessionId: doc.Envelope?.Header?.SessionHeader?.sessionId?.toString().trim(),
    };
  } catch {
    return { op: '', body: {} };
  }
}

function parseJsonBody(raw: Buffer): Record<string, unknown> {
  if (!raw.length) return {};
  try {
    const v = JSON.parse(raw.toString('utf8')) as unknown;
    if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error('not an object');
    return v as Record<string, unknown>;
  } catch (e) {
    throw new ApiError('JSON_PARSER_ERROR', `Unexpected character: ${(e as Error).message}`, []);
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

/** Users' passwords, kept out of the records so no query or describe can show them. */
type StoredPassword = { current?: string; history: string[]; expired: boolean };
const passwords = new WeakMap<OrgState, Map<string, StoredPassword>>();

function passwordOf(org: OrgState, userId: string): StoredPassword {
  let byUser = passwords.get(org);
  if (!byUser) passwords.set(org, (byUser = new Map()));
  let stored = byUser.get(userId);
  if (!stored) byUser.set(userId, (stored = { history: [], expired: false }));
  return stored;
}

function setStoredPassword(stored: StoredPassword, pw: string, expired: boolean): void {
  stored.current = pw;
  stored.history = [pw, ...stored.history].slice(0, 3);
  stored.expired = expired;
}

/** The password the org holds for a user (set or reset through the password resource), for tests. */
export function storedPassword(org: OrgState, userId: string): string | undefined {
  const id = org.get(userId)?.Id;
  return id ? passwords.get(org)?.get(id)?.current : undefined;
}

function nextUrl(tooling: boolean, version: string, base: string, pos: number): string {
  return `/services/data/v${version}/${tooling ? 'tooling/' : ''}query/${base}-${pos}`;
}

const RELEASES = ['Winter', 'Spring', 'Summer'];
export function versions(max: string): Array<{ label: string; url: string; version: string }> {
  const out = [];
  for (let v = 31; v <= Number(max); v++) {
    const label = `${RELEASES[(v - 31) % 3]} '${String(15 + Math.floor((v - 31 + 1) / 3)).padStart(2, '0')}`;
    out.push({ label, url: `/services/data/v${v}.0`, version: `${v}.0` });
  }
  return out;
}

function versionRoot(version: string): Record<string, string> {
  const base = `/services/data/v${version}`;
  const names = [
    'tooling',
    'metadata',
    'eclair',
    'folders',
    'prechatForms',
    'contact-tracing',
    'jsonxform',
    'chatter',
    'tabs',
    'appMenu',
    'quickActions',
    'queryAll',
    'commerce',
    'wave',
    'iot',
    'analytics',
    'search',
    'smartdatadiscovery',
    'identity',
    'composite',
    'parameterizedSearch',
    'fingerprint',
    'theme',
    'nouns',
    'domino',
    'event',
    'serviceTemplates',
    'recent',
    'connect',
    'licensing',
    'limits',
    'process',
    'dedupe',
    'async-queries',
    'query',
    'jobs',
    'match',
    'localizedvalue',
    'mobile',
    'emailConnect',
    'consent',
    'tokenizer',
    'compactLayouts',
    'knowledgeManagement',
    'sobjects',
    'actions',
    'support',
  ];
  return Object.fromEntries(names.map((n) => [n, n === 'identity' ? `/id` : `${base}/${n}`]));
}

function userinfo(org: OrgState, baseUrl: string): Record<string, unknown> {
  const user = org.get(org.adminUserId)!;
  const lic = org.userLicenseOfUser(user);
  return {
    sub: `${baseUrl}/id/${org.id}/${user.Id}`,
    user_id: user.Id,
    organization_id: org.id,
    preferred_username: user.Username,
    nickname: user.CommunityNickname,
    name: [user.FirstName, user.LastName].filter(Boolean).join(' '),
    email: user.Email,
    email_verified: true,
    given_name: user.FirstName ?? '',
    family_name: user.LastName,
    zoneinfo: user.TimeZoneSidKey,
    locale: user.LocaleSidKey,
    language: user.LanguageLocaleKey,
    active: user.IsActive,
    user_type: 'STANDARD',
    is_salesforce_integration_user: lic?.Name === 'Salesforce Integration',
    // the org's My Domain URL: where a real org names its sandbox (MyDomainName--SandboxName.sandbox.my.salesforce.com)
    urls: {
      custom_domain: myDomainUrl(org),
      rest: `${baseUrl}/services/data/v{version}/`,
      sobjects: `${baseUrl}/services/data/v{version}/sobjects/`,
      query: `${baseUrl}/services/data/v{version}/query/`,
      metadata: `${baseUrl}/services/Soap/m/{version}/${org.id.slice(0, 15)}`,
    },
    updated_at: new Date().toISOString(),
  };
}

function recordOut(org: OrgState, rec: Rec, version: string, fields?: string[]): FormattedRecord {
  const obj = org.objectOf(rec.Id)!;
  const out: FormattedRecord = {
    attributes: { type: obj.name, url: `/services/data/v${version}/sobjects/${obj.name}/${rec.Id}` },
  };
  const defs = fields
    ? fields.map((f) => {
        const d = org.schema.fieldAt(obj, f.trim(), version);
        if (!d) throw new ApiError('INVALID_FIELD', `No such column '${f}' on sobject of type ${obj.name}`, []);
        return d;
      })
    : org.schema.fieldsAt(obj, version);
  for (const f of defs) out[f.name] = format(f, f.computed ? f.computed(rec) : rec[f.name]);
  return out;
}

function describeBasic(org: OrgState, name: string, version: string): Record<string, unknown> {
  const obj = org.schema.get(name)!;
  return {
    name: obj.name,
    label: obj.label,
    labelPlural: `${obj.label}s`,
    keyPrefix: obj.keyPrefix,
    custom: obj.custom,
    createable: obj.createable,
    updateable: obj.updateable,
    deletable: obj.deletable,
    queryable: true,
    retrieveable: true,
    searchable: !obj.custom,
    layoutable: true,
    urls: {
      sobject: `/services/data/v${version}/sobjects/${obj.name}`,
      describe: `/services/data/v${version}/sobjects/${obj.name}/describe`,
      rowTemplate: `/services/data/v${version}/sobjects/${obj.name}/{ID}`,
    },
  };
}

function describeGlobal(org: OrgState, version: string): Record<string, unknown> {
  const unreadable = org.unreadable();
  return {
    encoding: 'UTF-8',
    maxBatchSize: 200,
    sobjects: [...org.schema.objects.values()]
      .filter((o) => !o.toolingOnly && !unreadable.has(o.name.toLowerCase()) && org.schema.objectAt(o.name, version))
      .map((o) => describeBasic(org, o.name, version)),
  };
}

function describe(org: OrgState, name: string, version: string): Record<string, unknown> {
  const obj = org.schema.get(name)!;
  return {
    ...describeBasic(org, name, version),
    fields: org.schema.fieldsAt(obj, version).map((f) => ({
      name: f.name,
      label: f.type === 'boolean' ? permissionFieldLabel(f.name, f.label) : f.label,
      type: f.type,
      custom: f.custom,
      createable: f.createable,
      updateable: f.updateable,
      nillable: f.nillable,
      permissionable: f.permissionable,
      referenceTo: (f.referenceTo ?? []).filter((t) => t !== '*'),
      relationshipName: f.relationshipName ?? null,
      calculated: !!f.computed || !!f.formula,
      length: ['string', 'textarea', 'email', 'picklist'].includes(f.type) ? 255 : 0,
      soapType:
        f.type === 'id' || f.type === 'reference'
          ? 'tns:ID'
          : `xsd:${f.type === 'datetime' ? 'dateTime' : f.type === 'int' ? 'int' : f.type === 'boolean' ? 'boolean' : f.type === 'date' ? 'date' : f.type === 'double' || f.type === 'currency' ? 'double' : 'string'}`,
    })),
    childRelationships: [...obj.children.values()]
      .filter((c) => org.schema.childAt(obj, c.relationshipName, version))
      .map((c) => ({
        childSObject: c.childSObject,
        field: c.field,
        relationshipName: c.relationshipName,
        cascadeDelete: false,
      })),
    recordTypeInfos: [],
  };
}

export { soapEnvelope };
