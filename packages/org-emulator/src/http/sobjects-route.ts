/**
 * /sobjects (REST) and /tooling/sobjects: describeGlobal, an object's info and create, its describe, a record's
 * read, update and delete, and the record sub-resources (User password, EventLogFile LogFile).
 */
import { Dml } from '../dml.js';
import { ApiError, methodNotAllowed, notFound } from '../errors.js';
import { logFileCsv } from '../event-log-files.js';
import { looksLikeId } from '../ids.js';
import type { ObjectDef } from '../schema.js';
import type { OrgState } from '../state.js';
import { describe, describeBasic, describeGlobal } from './describe.js';
import { passwordResource } from './password-resource.js';
import { json, restError, type Reply } from './reply.js';
import type { RestCall } from './request.js';
import { readableObject, recordOut } from './sobject-records.js';

export function sobjectsRoute(call: RestCall): Reply {
  const { org, version, method } = call;
  const seg = call.seg.slice(1);
  if (seg.length === 0) return json(200, describeGlobal(org, version));
  const obj = readableObject(org, seg[0], version);
  if (seg.length === 1) return objectResource(call, obj);
  if (seg[1] === 'describe') return json(200, describe(org, obj.name, version));
  const id = seg[1];
  if (seg[2] === 'password' && obj.name === 'User') return passwordResource(org, method, id, call.body);
  if (seg[2] === 'LogFile' && seg.length === 3 && obj.name === 'EventLogFile') return logFile(org, method, id);
  if (seg.length > 2) throw notFound();
  return recordResource(call, obj, id);
}

/** Source tracking exists only in scratch orgs (and tracked sandboxes); elsewhere SourceMember is unknown. */
export function toolingSobjectsRoute(call: RestCall): Reply {
  const { org, seg, version } = call;
  if (org.orgType === 'scratch' && seg[2] === 'SourceMember' && seg[3] === 'describe')
    return json(200, describe(org, 'SourceMember', version));
  throw notFound();
}

/** /sobjects/{name}: GET its basic info, POST a record (errors answered as REST errors, 400). */
function objectResource(call: RestCall, obj: ObjectDef): Reply {
  const { org, method, version } = call;
  if (method === 'POST') {
    try {
      const rec = new Dml(org, version).create(obj.name, call.body());
      return json(201, { id: rec.Id, success: true, errors: [] });
    } catch (e) {
      if (e instanceof ApiError) return restError(e);
      throw e;
    }
  }
  if (method === 'GET') return json(200, { objectDescribe: describeBasic(org, obj.name, version), recentItems: [] });
  throw methodNotAllowed(method, 'GET,HEAD,POST');
}

/** /sobjects/{name}/{id}: GET (optionally ?fields=), PATCH, DELETE. */
function recordResource(call: RestCall, obj: ObjectDef, id: string): Reply {
  const { org, method, version } = call;
  const dml = new Dml(org, version);
  switch (method) {
    case 'GET': {
      const rec = looksLikeId(id) ? org.get(id) : undefined;
      if (!rec || org.objectOf(rec.Id) !== obj) throw notFound();
      return json(200, recordOut(org, rec, version, call.url.searchParams.get('fields')?.split(',')));
    }
    case 'PATCH':
      dml.update(obj.name, id, call.body());
      return { status: 204 };
    case 'DELETE':
      dml.remove(obj.name, id);
      return { status: 204 };
    default:
      throw methodNotAllowed(method, 'GET,HEAD,PATCH,DELETE');
  }
}

/** GET /sobjects/EventLogFile/{Id}/LogFile: the log file's CSV (content type UNCONFIRMED; see docs/salesforce-behaviour.md) */
function logFile(org: OrgState, method: string, id: string): Reply {
  if (method !== 'GET') throw methodNotAllowed(method, 'GET,HEAD');
  const csv = looksLikeId(id) ? logFileCsv(org, id) : undefined;
  if (csv === undefined) throw notFound();
  return { status: 200, body: csv, contentType: 'text/csv' };
}
