/**
 * sObject collections (/composite/sobjects): GET records by ids, DELETE by ids, POST (create) and PATCH (update)
 * up to 200 records. Each record succeeds or fails on its own; with allOrNone one failure rolls all back.
 */
import { Dml } from '../dml.js';
import { ApiError, methodNotAllowed } from '../errors.js';
import { looksLikeId } from '../ids.js';
import type { OrgState, Rec } from '../state.js';
import { json, type Reply } from './reply.js';
import type { RestCall } from './request.js';
import { readableObject, recordOut } from './sobject-records.js';
import { fieldText } from '../field-text.js';

type Result = { id?: string | null; success: boolean; errors: unknown[] };
/** What a collection call did so far: each record's result, how to undo each success, whether one failed. */
type Outcome = { results: Result[]; undo: Array<() => void>; failed: boolean };

const ROLLED_BACK = {
  statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK',
  message: 'Record rolled back because not all records were valid and the request was using AllOrNone header',
  fields: [],
};

export function collectionsRoute(call: RestCall): Reply {
  const { method } = call;
  const seg = call.seg.slice(2);
  if (method === 'GET' && seg[0]) return collectionRead(call, seg[0]);
  if (method === 'DELETE') return collectionDelete(call);
  if (method !== 'POST' && method !== 'PATCH') throw methodNotAllowed(method, 'GET,POST,PATCH,DELETE');
  return collectionWrite(call);
}

/** GET /composite/sobjects/{name}?ids=…&fields=…: the records in the ids' order, null for an id that is none. */
function collectionRead(call: RestCall, name: string): Reply {
  const { org, url, version } = call;
  const obj = readableObject(org, name, version);
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

function collectionDelete(call: RestCall): Reply {
  const { org, url } = call;
  const dml = new Dml(org, call.version);
  const outcome: Outcome = { results: [], undo: [], failed: false };
  for (const id of (url.searchParams.get('ids') ?? '').split(',').filter(Boolean)) {
    const rec = looksLikeId(id) ? org.get(id) : undefined;
    attempt(outcome, null, () => {
      if (!rec) throw new ApiError('ENTITY_IS_DELETED', 'entity is deleted', []);
      dml.remove(org.objectOf(rec.Id)!.name, rec.Id);
      outcome.undo.push(() => org.table(org.objectOf(rec.Id)!.name).set(rec.Id, rec));
      return rec.Id;
    });
  }
  return json(200, finish(org, outcome, url.searchParams.get('allOrNone') === 'true'));
}

function collectionWrite(call: RestCall): Reply {
  const { org, method } = call;
  const b = call.body();
  const records = b.records;
  if (!Array.isArray(records)) throw new ApiError('JSON_PARSER_ERROR', 'records is required', []);
  if (records.length > 200)
    throw new ApiError(
      'EXCEEDED_ID_LIMIT',
      'record limit reached. cannot submit more than 200 records into this call',
      [],
    );
  const dml = new Dml(org, call.version);
  const outcome: Outcome = { results: [], undo: [], failed: false };
  for (const r of records as Array<Record<string, unknown>>) {
    const failedId = method === 'PATCH' ? fieldText(r.id ?? r.Id ?? '') || null : undefined;
    attempt(outcome, failedId, () => writeOne(org, dml, method, r, outcome.undo));
  }
  return json(200, finish(org, outcome, b.allOrNone === true));
}

/** Creates (POST) or updates (PATCH) one record; returns its id and records how to undo it. */
function writeOne(org: OrgState, dml: Dml, method: string, r: Record<string, unknown>, undo: Outcome['undo']): string {
  const type = (r.attributes as { type?: string } | undefined)?.type;
  if (!type) throw new ApiError('INVALID_TYPE', 'Must send a concrete entity type.', []);
  const values = Object.fromEntries(Object.entries(r).filter(([k]) => k !== 'attributes' && k !== 'id' && k !== 'Id'));
  if (method === 'POST') {
    const rec = dml.create(type, values);
    undo.push(() => undoCreate(org, rec));
    return rec.Id;
  }
  const id = fieldText(r.id ?? r.Id ?? '');
  const before = org.get(id);
  const copy = before ? { ...before } : undefined;
  dml.update(type, id, values);
  undo.push(() => {
    if (before && copy) {
      for (const k of Object.keys(before)) delete before[k];
      Object.assign(before, copy);
    }
  });
  return before!.Id;
}

/** Runs one record's operation: a success result with its id, or (ApiError) a failure with `failedId` if given. */
function attempt(outcome: Outcome, failedId: string | null | undefined, run: () => string): void {
  try {
    outcome.results.push({ id: run(), success: true, errors: [] });
  } catch (e) {
    if (!(e instanceof ApiError)) throw e;
    outcome.failed = true;
    outcome.results.push({
      ...(failedId !== undefined ? { id: failedId } : {}),
      success: false,
      errors: [e.toCollection()],
    });
  }
}

/** The results; with allOrNone and a failure, every success undone and reported as rolled back. */
function finish(org: OrgState, outcome: Outcome, allOrNone: boolean): Result[] {
  if (!allOrNone || !outcome.failed) return outcome.results;
  for (const u of outcome.undo.reverse()) u();
  org.recountLicenses();
  return outcome.results.map((r) => (r.success ? { id: null, success: false, errors: [{ ...ROLLED_BACK }] } : r));
}

function undoCreate(org: OrgState, rec: Rec): void {
  org.remove(rec.Id);
  if (org.objectOf(rec.Id)?.name === 'User') {
    org.ctx.usernames.delete(String(rec.Username).toLowerCase());
    for (const a of org.filter('PermissionSetAssignment', (x) => x.AssigneeId === rec.Id)) org.remove(a.Id);
  }
}
