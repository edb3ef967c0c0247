/** Reading records over REST: objects the running user may read, and a record in the REST shape. */
import { objectOrThrow } from '../dml-values.js';
import { ApiError, notFound } from '../errors.js';
import type { ObjectDef } from '../schema.js';
import { format, type FormattedRecord } from '../soql.js';
import type { OrgState, Rec } from '../state.js';

/** An object the running user may read; one they cannot is answered like an unknown one (404). */
export function readableObject(org: OrgState, name: string, version: string): ObjectDef {
  const obj = objectOrThrow(org, name, version);
  if (org.unreadable().has(obj.name.toLowerCase())) throw notFound();
  return obj;
}

/** A record with its attributes and the fields asked for (all fields of the version by default). */
export function recordOut(org: OrgState, rec: Rec, version: string, fields?: string[]): FormattedRecord {
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
