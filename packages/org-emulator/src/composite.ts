/**
 * REST Composite (`/composite`) and Composite Batch (`/composite/batch`), as Salesforce's REST API Developer Guide
 * describes them (docs/salesforce-behaviour.md, "Composite API"): up to 25 subrequests; in /composite at most 5 query
 * or sObject Collections subrequests, `@{ref.field}` references between subrequests, allOrNone as one transaction
 * rolled back on any failure; in /composite/batch independent subrequests, no transaction, haltOnError. Both answer
 * HTTP 200 with one result per subrequest. Each subrequest runs through the server's own routing (dispatch).
 */
import { ApiError } from './errors.js';
import type { OrgState } from './state.js';

export type SubReply = { status: number; body?: unknown };
/** Runs one REST request (path under /services/data, with its query string) as the server would. */
export type Dispatch = (method: string, pathAndQuery: string, body: unknown) => Promise<SubReply>;

export const MAX_SUBREQUESTS = 25;
export const MAX_QUERY_SUBREQUESTS = 5;
export const ROLLED_BACK = {
  errorCode: 'PROCESSING_HALTED',
  message: 'The transaction was rolled back since another operation in the same transaction failed.',
};
const METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']);

// Apex Developer Guide "sObjects That Can't Be Used Together in DML Operations" (not exhaustive);
// PermissionSetLicenseAssign isn't listed: counted as setup here (UNCONFIRMED), it grants access as the others do
const SETUP_OBJECTS = new Set(
  [
    'User',
    'UserRole',
    'Group',
    'GroupMember',
    'QueueSObject',
    'PermissionSet',
    'PermissionSetAssignment',
    'ObjectPermissions',
    'FieldPermissions',
    'SetupEntityAccess',
    'UserPackageLicense',
    'PermissionSetLicenseAssign',
    'UserTerritory',
    'Territory',
  ].map((o) => o.toLowerCase()),
);

type CompositeSub = {
  method?: unknown;
  url?: unknown;
  referenceId?: unknown;
  body?: unknown;
  httpHeaders?: Record<string, unknown>;
};
type CompositeResult = {
  body: unknown;
  httpHeaders: Record<string, string>;
  httpStatusCode: number;
  referenceId: string;
};

const isQuery = (url: string): boolean => /^\/services\/data\/v\d+\.\d\/(query|queryAll)(\/|\?|$)/.test(url);
const isCollection = (url: string): boolean => /^\/services\/data\/v\d+\.\d\/composite\/sobjects(\/|\?|$)/.test(url);
const failedStatus = (s: number): boolean => s >= 400;

/** POST /composite. Throws ApiError for a request Salesforce refuses as a whole (HTTP 400). */
export async function composite(
  org: OrgState,
  raw: Record<string, unknown>,
  dispatch: Dispatch,
): Promise<{ compositeResponse: CompositeResult[] }> {
  const subs = raw.compositeRequest;
  if (!Array.isArray(subs) || subs.length === 0)
    throw new ApiError('JSON_PARSER_ERROR', 'compositeRequest is required', []);
  if (subs.length > MAX_SUBREQUESTS) {
    throw new ApiError(
      'LIMIT_EXCEEDED',
      `Limit Exceeded: the composite request has more than ${MAX_SUBREQUESTS} subrequests`,
      [],
    );
  }
  validate(subs as CompositeSub[]);
  const allOrNone = raw.allOrNone === true;
  const restore = allOrNone ? org.snapshot() : undefined;
  const results: CompositeResult[] = [];
  const outputs = new Map<string, unknown>();
  const written: string[] = [];
  let failedAt = -1;
  for (const sub of subs as CompositeSub[]) {
    const referenceId = String(sub.referenceId);
    const result = await runSub(org, sub, outputs, written, allOrNone, dispatch);
    results.push({ ...result, referenceId });
    if (failedStatus(result.httpStatusCode) || collectionFailed(sub, result)) {
      if (allOrNone) {
        failedAt = results.length - 1;
        break;
      }
    } else outputs.set(referenceId, result.body);
  }
  if (failedAt < 0) return { compositeResponse: results };
  // one transaction: everything is undone, every other subrequest (before and after) answers PROCESSING_HALTED
  restore?.();
  return {
    compositeResponse: (subs as CompositeSub[]).map((sub, i) =>
      i === failedAt
        ? results[i]
        : { body: [ROLLED_BACK], httpHeaders: {}, httpStatusCode: 400, referenceId: String(sub.referenceId) },
    ),
  };
}

/** Subrequest shapes and limits Salesforce checks before running anything (a 400 for the whole request). */
function validate(subs: CompositeSub[]): void {
  const ids = new Set<string>();
  let queries = 0;
  for (const sub of subs) {
    const ref = typeof sub.referenceId === 'string' ? sub.referenceId : '';
    if (!/^[A-Za-z0-9][A-Za-z0-9_]*$/.test(ref))
      throw new ApiError('JSON_PARSER_ERROR', `Invalid referenceId: ${ref}`, []);
    if (ids.has(ref))
      throw new ApiError('JSON_PARSER_ERROR', `Duplicate referenceId provided in the request: ${ref}`, []);
    ids.add(ref);
    if (typeof sub.method !== 'string' || !METHODS.has(sub.method))
      throw new ApiError('JSON_PARSER_ERROR', `Invalid method: ${String(sub.method)}`, []);
    if (typeof sub.url !== 'string' || !sub.url.startsWith('/services/data/v'))
      throw new ApiError('JSON_PARSER_ERROR', `Invalid url: ${String(sub.url)}`, []);
    if (!/^\/services\/data\/v\d+\.\d\/(sobjects|query|queryAll|composite\/sobjects)(\/|\?|$)/.test(sub.url)) {
      throw new ApiError('INVALID_URL', `The composite API doesn't support this resource: ${sub.url}`, []);
    }
    const headers = Object.keys(sub.httpHeaders ?? {}).map((h) => h.toLowerCase());
    if (headers.some((h) => ['accept', 'authorization', 'content-type'].includes(h))) {
      throw new ApiError(
        'INVALID_HEADER_TYPE',
        'Accept, Authorization and Content-Type are inherited from the top-level request',
        [],
      );
    }
    if (isQuery(sub.url) || isCollection(sub.url)) queries += 1;
  }
  if (queries > MAX_QUERY_SUBREQUESTS) {
    throw new ApiError(
      'LIMIT_EXCEEDED',
      `Limit Exceeded: the composite request has more than ${MAX_QUERY_SUBREQUESTS} query or sObject Collections subrequests`,
      [],
    );
  }
}

async function runSub(
  org: OrgState,
  sub: CompositeSub,
  outputs: Map<string, unknown>,
  written: string[],
  allOrNone: boolean,
  dispatch: Dispatch,
): Promise<Omit<CompositeResult, 'referenceId'>> {
  let url: string;
  let body: unknown;
  try {
    url = String(resolve(String(sub.url), outputs, true));
    body = resolve(sub.body, outputs, false);
  } catch (e) {
    if (e instanceof ReferenceError)
      return { body: [{ errorCode: 'PROCESSING_HALTED', message: e.message }], httpHeaders: {}, httpStatusCode: 400 };
    throw e;
  }
  const mixed = allOrNone && sub.method !== 'GET' ? mixedDml(org, String(sub.method), url, body, written) : undefined;
  if (mixed) return { body: mixed.toRest(), httpHeaders: {}, httpStatusCode: 400 };
  const reply = await dispatch(String(sub.method), url.replace(/^\/services\/data/, ''), body);
  return { body: reply.body ?? null, httpHeaders: {}, httpStatusCode: reply.status };
}

/** A collection answering 200 with a failed record counts as a failure of the transaction (allOrNone doc, case 4). */
function collectionFailed(sub: CompositeSub, result: Omit<CompositeResult, 'referenceId'>): boolean {
  return (
    isCollection(String(sub.url)) &&
    Array.isArray(result.body) &&
    result.body.some((r) => (r as { success?: boolean }).success === false)
  );
}

/** The sObject a write subrequest changes: /sobjects/{name}[/...] or a collection's record types. */
function writtenObjects(url: string, body: unknown): string[] {
  const one = /^\/services\/data\/v\d+\.\d\/sobjects\/([^/?]+)/.exec(url);
  if (one) return [decodeURIComponent(one[1])];
  const records = (body as { records?: Array<{ attributes?: { type?: string } }> } | undefined)?.records ?? [];
  return records.map((r) => r.attributes?.type).filter((t): t is string => !!t);
}

/** MIXED_DML_OPERATION when this write joins objects the org won't change in one transaction (config). */
function mixedDml(org: OrgState, method: string, url: string, body: unknown, written: string[]): ApiError | undefined {
  const objects = writtenObjects(url, body);
  const original = written.find((w) =>
    objects.some((o) => {
      const [a, b] = [SETUP_OBJECTS.has(w.toLowerCase()), SETUP_OBJECTS.has(o.toLowerCase())];
      if (a !== b) return true;
      return org.config.compositeMixedDml === 'any-setup-mix' && a && b && w.toLowerCase() !== o.toLowerCase();
    }),
  );
  written.push(...objects);
  if (!original || method === 'GET') return undefined;
  const obj = objects.find((o) => o.toLowerCase() !== original.toLowerCase()) ?? objects[0];
  return new ApiError(
    'MIXED_DML_OPERATION',
    `DML operation on setup object is not permitted after you have updated a non-setup object (or vice versa): ${obj}, original object: ${original}`,
    [],
  );
}

/**
 * Replaces `@{ref.path}` in a URL or body: `.` names a field of the referenced answer (case-sensitive: a create
 * answers `id`), `[n]` an element. A whole-string reference keeps the value's type.
 */
function resolve(value: unknown, outputs: Map<string, unknown>, inUrl: boolean): unknown {
  if (typeof value === 'string') {
    const whole = /^@\{([^}]+)\}$/.exec(value);
    if (whole && !inUrl) return lookup(whole[1], outputs);
    return value.replace(/@\{([^}]+)\}/g, (_m, expr: string) => {
      const v = lookup(expr, outputs);
      return inUrl ? encodeURIComponent(String(v)) : String(v);
    });
  }
  if (Array.isArray(value)) return value.map((v) => resolve(v, outputs, inUrl));
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolve(v, outputs, inUrl)]));
  return value;
}

function lookup(expr: string, outputs: Map<string, unknown>): unknown {
  const [ref, ...rest] = expr.split('.');
  const base = /^([^[]+)/.exec(ref)?.[1] ?? ref;
  const steps = [...ref.slice(base.length).matchAll(/\[(\d+)\]/g)].map((m) => Number(m[1]));
  let v: unknown = outputs.get(base);
  let ok = outputs.has(base);
  for (const i of steps) v = ok && Array.isArray(v) ? v[i] : ((ok = false), undefined);
  for (const part of rest.join('.').split('.').filter(Boolean)) {
    const [, name, idx] = /^([^[]+)((?:\[\d+\])*)$/.exec(part) ?? [];
    if (!ok || !name || !v || typeof v !== 'object' || !(name in v)) {
      ok = false;
      break;
    }
    v = (v as Record<string, unknown>)[name];
    for (const m of (idx ?? '').matchAll(/\[(\d+)\]/g)) v = Array.isArray(v) ? v[Number(m[1])] : undefined;
    if (v === undefined) ok = false;
  }
  if (!ok) {
    // the v51 guide's example text; the error element has no `fields`
    throw new ReferenceError(
      `Invalid reference specified. No value for ${expr} found in ${base}. Provided referenceId ('${expr}') must start with a letter or a number, and it can contain only letters, numbers and underscores ('_').`,
    );
  }
  return v;
}

class ReferenceError extends Error {}

type BatchSub = { method?: unknown; url?: unknown; richInput?: unknown };

/** POST /composite/batch: serial, independent, committed one by one; haltOnError answers 412 for the rest. */
export async function batch(
  raw: Record<string, unknown>,
  version: string,
  dispatch: Dispatch,
): Promise<{ hasErrors: boolean; results: Array<{ statusCode: number; result: unknown }> }> {
  const subs = raw.batchRequests;
  if (!Array.isArray(subs) || subs.length === 0)
    throw new ApiError('JSON_PARSER_ERROR', 'batchRequests is required', []);
  if (subs.length > MAX_SUBREQUESTS)
    throw new ApiError(
      'LIMIT_EXCEEDED',
      `Limit Exceeded: the batch request has more than ${MAX_SUBREQUESTS} subrequests`,
      [],
    );
  const paths = (subs as BatchSub[]).map((s) => {
    if (typeof s.method !== 'string' || !METHODS.has(s.method))
      throw new ApiError('JSON_PARSER_ERROR', `Invalid method: ${String(s.method)}`, []);
    // the documented form is relative ("v62.0/sobjects/..."); a /services/data/ prefix is accepted too
    const m = typeof s.url === 'string' ? /^(?:\/services\/data\/|\/)?v(\d+\.\d)(\/.*)$/.exec(s.url) : null;
    if (!m) throw new ApiError('JSON_PARSER_ERROR', `Invalid url: ${String(s.url)}`, []);
    if (Number(m[1]) < 34 || Number(m[1]) > Number(version))
      throw new ApiError('INVALID_VERSION', `Subrequest versions must be 34.0 to ${version}: ${String(s.url)}`, []);
    return `/v${m[1]}${m[2]}`;
  });
  const results: Array<{ statusCode: number; result: unknown }> = [];
  let halted = false;
  for (const [i, sub] of (subs as BatchSub[]).entries()) {
    if (halted) {
      results.push({
        statusCode: 412,
        result: [{ errorCode: 'BATCH_PROCESSING_HALTED', message: 'Batch processing halted per request' }],
      });
      continue;
    }
    const reply = await dispatch(String(sub.method), paths[i], sub.richInput);
    results.push({ statusCode: reply.status, result: reply.body ?? null });
    if (failedStatus(reply.status) && raw.haltOnError === true) halted = true;
  }
  return { hasErrors: results.some((r) => failedStatus(r.statusCode)), results };
}
