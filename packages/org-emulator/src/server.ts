/**
 * The HTTP front of the emulator: its orgs, token -> org, the request pipeline (request log, fault injection,
 * errors as REST or SOAP answers, writing the reply). Which handler answers a request: http/router.ts.
 */
import { refreshSandbox } from './refresh.js';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApiError } from './errors.js';
import { FaultInjector, type FaultResponse } from './faults.js';
import { MetadataApi } from './metadata.js';
import { soapFault } from './metadata-api/soap-xml.js';
import type { EmulatorSeed } from './seed.js';
import { createOrg } from './seeding.js';
import { ServerContext, type OrgState } from './state.js';
import { QueryCursors } from './http/query-cursors.js';
import { json, JSON_TYPE, restError, XML_TYPE, type Reply } from './http/reply.js';
import { readRequest, type ApiRequest } from './http/request.js';
import { requestSubject } from './http/request-subject.js';
import { route, type RouteContext } from './http/router.js';

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

export class EmulatorServer implements RouteContext {
  public readonly ctx = new ServerContext();
  public readonly orgs: OrgState[] = [];
  public readonly faults = new FaultInjector();
  public readonly requests: RequestLogEntry[] = [];
  public readonly metadata: MetadataApi;
  public readonly cursors: QueryCursors;
  private server?: Server;
  public url = '';

  public constructor() {
    this.metadata = new MetadataApi(this.ctx);
    this.cursors = new QueryCursors(this.ctx.ids);
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

  public orgByToken(token: string | undefined): OrgState | undefined {
    return token ? this.orgs.find((o) => o.accessToken === token) : undefined;
  }

  // ---- request pipeline ---------------------------------------------------------------------------

  /** Logs the request, lets a matching fault drop, delay or answer it, else routes it; writes the reply. */
  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const request = await readRequest(req);
    const entry = this.logEntry(request);
    const { method, path, soap } = request;
    const fault = this.faults.match({
      method,
      path,
      soapOperation: soap?.op,
      soql: entry.soql,
      sobjects: entry.sobjects,
    });
    if (fault && 'drop' in fault) return dropped(entry, req);
    if (fault && 'delayMs' in fault) await new Promise((r) => setTimeout(r, fault.delayMs));
    const answers = !fault || 'delayMs' in fault || 'dropAfter' in fault;
    const reply = answers ? await this.answer(request) : faultReply(fault, !!soap);
    // the org did the work; the answer is lost
    if (fault && 'dropAfter' in fault) return dropped(entry, req);
    entry.status = reply.status;
    writeReply(res, reply);
  }

  private logEntry(r: ApiRequest): RequestLogEntry {
    const entry: RequestLogEntry = {
      method: r.method,
      path: r.path,
      query: r.url.search,
      soapOperation: r.soap?.op,
      status: 0,
    };
    entry.orgId = this.orgByToken(r.soap ? r.soap.sessionId : r.bearer)?.id;
    if (!r.soap)
      Object.assign(
        entry,
        requestSubject(r.path, r.url, r.raw, (base) => this.cursors.soqlOf(base)),
      );
    this.requests.push(entry);
    return entry;
  }

  /** The route's reply; an error as the REST error array or a SOAP fault (UNKNOWN_EXCEPTION with the stack). */
  private async answer(r: ApiRequest): Promise<Reply> {
    try {
      return await route(this, r);
    } catch (e) {
      if (e instanceof ApiError) return r.soap ? soapFault(e.errorCode, `${e.errorCode}: ${e.message}`) : restError(e);
      const msg = (e as Error).stack ?? String(e);
      return r.soap
        ? soapFault('UNKNOWN_EXCEPTION', `UNKNOWN_EXCEPTION: ${msg}`)
        : json(500, [{ message: msg, errorCode: 'UNKNOWN_EXCEPTION' }]);
    }
  }
}

function dropped(entry: RequestLogEntry, req: IncomingMessage): void {
  entry.status = -1;
  req.socket.destroy();
}

function writeReply(res: ServerResponse, reply: Reply): void {
  const headers: Record<string, string> = { ...(reply.headers ?? {}) };
  let payload: Buffer | string = '';
  if (reply.body !== undefined && reply.status !== 204) {
    headers['content-type'] = reply.contentType ?? JSON_TYPE;
    payload = typeof reply.body === 'string' || Buffer.isBuffer(reply.body) ? reply.body : JSON.stringify(reply.body);
  }
  res.writeHead(reply.status, headers);
  res.end(payload);
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
