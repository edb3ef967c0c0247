/** One request as the routes see it: method, path, URL, raw body, headers, bearer token, and its SOAP call if any. */
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { XMLParser } from 'fast-xml-parser';
import type { OrgState } from '../state.js';

export type SoapCall = { op: string; body: Record<string, unknown>; sessionId?: string };

export type ApiRequest = {
  method: string;
  path: string;
  url: URL;
  raw: Buffer;
  headers: IncomingHttpHeaders;
  bearer?: string;
  soap?: SoapCall;
};

/** A REST request under /services/data/vXX.X of an org with a valid session: its path segments after the version. */
export type RestCall = ApiRequest & {
  org: OrgState;
  version: string;
  seg: string[];
  body: () => Record<string, unknown>;
};

const SOAP_PARSER = new XMLParser({
  removeNSPrefix: true,
  ignoreAttributes: true,
  parseTagValue: false,
  isArray: (name) => ['fullNames', 'queries', 'types', 'members', 'runTests', 'packageNames'].includes(name),
});

/** The operation (first element of the Body), its content and the SessionHeader's session id. */
export function parseSoap(xml: string): SoapCall {
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

/** Reads a request whole: body, path (repeated slashes collapsed), method, bearer token, SOAP call if any. */
export async function readRequest(req: IncomingMessage): Promise<ApiRequest> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const raw = Buffer.concat(chunks);
  // collapse repeated slashes first: '//services/..' would otherwise parse as a host
  const rawUrl = (req.url ?? '/').replace(/^([^?]*)/, (p) => p.replace(/\/{2,}/g, '/'));
  const url = new URL(rawUrl, 'http://127.0.0.1');
  const path = url.pathname;
  const method = (req.method ?? 'GET').toUpperCase();
  const soap = /^\/services\/Soap\//i.test(path) && method === 'POST' ? parseSoap(raw.toString('utf8')) : undefined;
  const bearer = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1]?.trim();
  return { method, path, url, raw, headers: req.headers, bearer, soap };
}
