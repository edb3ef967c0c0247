/**
 * Which handler answers a request: SOAP (Metadata API) by session header; /services/data (versions), OAuth revoke
 * and token without a session; then, with a valid bearer token, userinfo and the REST API families under
 * /services/data/vXX.X (query, sObjects, Tooling, composite and collections, metadata deployRequest).
 * Composite subrequests come back through here, as their own REST requests would.
 */
import { batch, composite, type Dispatch } from '../composite.js';
import { ApiError, MESSAGES, notFound } from '../errors.js';
import type { MetadataApi } from '../metadata.js';
import { soapFault } from '../metadata-api/soap-xml.js';
import { revokeToken } from '../oauth-revoke.js';
import { DEFAULT_MAX_API_VERSION } from '../org-config.js';
import type { OrgState } from '../state.js';
import { collectionsRoute } from './collections-route.js';
import type { QueryCursors } from './query-cursors.js';
import { isQueryPath, queryRoute } from './query-route.js';
import { json, parseJsonBody, type Reply } from './reply.js';
import type { ApiRequest, RestCall, SoapCall } from './request.js';
import { userinfo, versionRoot, versions } from './service-info.js';
import { sobjectsRoute, toolingSobjectsRoute } from './sobjects-route.js';

/** What the routes need of the server. */
export type RouteContext = {
  readonly orgs: readonly OrgState[];
  readonly url: string;
  readonly metadata: MetadataApi;
  readonly cursors: QueryCursors;
  orgByToken(token: string | undefined): OrgState | undefined;
};

export async function route(s: RouteContext, r: ApiRequest): Promise<Reply> {
  if (r.soap) return soapRoute(s, r.path, r.soap);
  const sessionless = sessionlessRoute(s, r);
  if (sessionless) return sessionless;
  const org = s.orgByToken(r.bearer);
  if (!org) return json(401, [{ message: MESSAGES.sessionInvalid, errorCode: 'INVALID_SESSION_ID' }]);
  if (r.path === '/services/oauth2/userinfo') return json(200, userinfo(org, s.url));
  return restRoute(s, restCall(org, r));
}

function soapRoute(s: RouteContext, path: string, soap: SoapCall): Promise<Reply> | Reply {
  const org = s.orgByToken(soap.sessionId);
  if (!org) return soapFault('INVALID_SESSION_ID', MESSAGES.soapSessionInvalid);
  const metadataPath = /^\/services\/Soap\/m\/(\d+\.\d)(?:\/|$)/i.exec(path);
  // the endpoint's version is the request's API version (a deploy's package.xml <version> can narrow it)
  if (metadataPath) return s.metadata.handle(org, soap.op, soap.body, metadataPath[1]);
  return soapFault('UNKNOWN_OPERATION', `UNKNOWN_OPERATION: the emulator does not implement ${soap.op} on ${path}`);
}

/** The version list (the token's org, else the first), and the OAuth endpoints where the token names itself. */
function sessionlessRoute(s: RouteContext, r: ApiRequest): Reply | undefined {
  if (r.path === '/services/data' || r.path === '/services/data/') {
    const org = s.orgByToken(r.bearer) ?? s.orgs[0];
    return json(200, versions(org?.config.maxApiVersion ?? DEFAULT_MAX_API_VERSION));
  }
  if (r.path === '/services/oauth2/revoke') {
    const v = revokeToken(s.orgs, r.method, r.url, r.raw);
    return v.body === undefined ? { status: v.status, body: '', contentType: 'text/plain' } : json(v.status, v.body);
  }
  if (r.path === '/services/oauth2/token')
    return json(400, { error: 'unsupported_grant_type', error_description: 'grant type not supported' });
  return undefined;
}

/** /services/data/vXX.X/…: a version the org serves (20.0 up to its newest), the path segments after it. */
function restCall(org: OrgState, r: ApiRequest): RestCall {
  const m = /^\/services\/data\/v(\d+\.\d)(\/.*)?$/.exec(r.path);
  if (!m) throw notFound();
  const version = m[1];
  if (Number(version) > Number(org.config.maxApiVersion) || Number(version) < 20) throw notFound();
  const seg = (m[2] ?? '').replace(/\/$/, '').split('/').filter(Boolean).map(decodeURIComponent);
  return { ...r, org, version, seg, body: () => parseJsonBody(r.raw) };
}

async function restRoute(s: RouteContext, call: RestCall): Promise<Reply> {
  const { seg } = call;
  if (seg.length === 0) return json(200, versionRoot(call.version));
  if (isQueryPath(seg)) return queryRoute(s.cursors, call);
  if (seg[0] === 'tooling' && seg[1] === 'sobjects') return toolingSobjectsRoute(call);
  if (seg[0] === 'sobjects') return sobjectsRoute(call);
  if (seg[0] === 'composite') return compositeRoute(s, call);
  if (seg[0] === 'metadata' && seg[1] === 'deployRequest')
    return s.metadata.rest(call.org, call.method, seg[2], call.raw, call.headers['content-type'] ?? '', call.version);
  throw notFound();
}

/** /composite (POST), /composite/batch (POST), /composite/sobjects (collections). */
async function compositeRoute(s: RouteContext, call: RestCall): Promise<Reply> {
  const { seg, method } = call;
  if (seg.length === 1 && method === 'POST')
    return json(200, await composite(call.org, call.body(), dispatcher(s, call)));
  if (seg[1] === 'batch' && seg.length === 2 && method === 'POST')
    return json(200, await batch(call.body(), call.version, dispatcher(s, call)));
  if (seg[1] === 'sobjects') return collectionsRoute(call);
  throw notFound();
}

/** Runs a composite subrequest through the routing, as its own REST request would run (errors as REST answers). */
function dispatcher(s: RouteContext, call: RestCall): Dispatch {
  return async (method, pathAndQuery, body) => {
    const url = new URL(`/services/data${pathAndQuery}`, call.url);
    const raw = Buffer.from(body === undefined ? '' : JSON.stringify(body));
    try {
      const reply = await route(s, {
        method,
        path: url.pathname,
        url,
        raw,
        headers: call.headers,
        bearer: call.bearer,
      });
      return { status: reply.status, body: reply.body };
    } catch (e) {
      if (e instanceof ApiError) return { status: e.status, body: e.toRest() };
      throw e;
    }
  };
}
