/** The values a create or update may write: known, writable fields, valid references and booleans, required ones set. */
import { ApiError, MESSAGES, notFound } from './errors.js';
import { looksLikeId, to18 } from './ids.js';
import type { ObjectDef } from './schema.js';
import { REQUIRED_ON_CREATE } from './schema-rules.js';
import type { OrgState } from './state.js';
import { fieldText } from './field-text.js';

/** The object at the request's API version (none: every version); unknown or not yet there: 404 NOT_FOUND. */
export function objectOrThrow(org: OrgState, name: string, version?: string): ObjectDef {
  const obj = org.schema.objectAt(name, version);
  if (!obj || obj.toolingOnly) throw notFound();
  return obj;
}

/** The body's values by field name; unknown fields, read-only fields, bad references or booleans are refused. */
export function cleanValues(
  org: OrgState,
  obj: ObjectDef,
  body: Record<string, unknown>,
  op: 'create' | 'update',
  version?: string,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const readOnly: string[] = [];
  for (const [k, v] of Object.entries(body)) {
    if (k === 'attributes' || (k === 'Id' && op === 'update')) continue;
    const f = org.schema.fieldAt(obj, k, version);
    if (!f) throw new ApiError('INVALID_FIELD', `No such column '${k}' on sobject of type ${obj.name}`, []);
    if (op === 'create' ? !f.createable : !f.updateable) {
      readOnly.push(f.name);
      continue;
    }
    if (f.type === 'reference' && v !== null && v !== '' && v !== undefined) {
      const target = looksLikeId(fieldText(v)) ? org.get(fieldText(v)) : undefined;
      if (!target || !(f.referenceTo!.includes('*') || f.referenceTo!.includes(org.objectOf(target.Id)!.name))) {
        throw new ApiError('INVALID_CROSS_REFERENCE_KEY', `invalid cross reference id`, [f.name]);
      }
      out[f.name] = to18(fieldText(v));
      continue;
    }
    if (f.type === 'boolean' && typeof v !== 'boolean' && v !== null) {
      throw new ApiError(
        'JSON_PARSER_ERROR',
        `Cannot deserialize instance of boolean from VALUE_STRING value ${fieldText(v)} or request may be missing a required field`,
        [],
      );
    }
    out[f.name] = v === '' ? null : v;
  }
  if (readOnly.length) {
    throw new ApiError(
      'INVALID_FIELD_FOR_INSERT_UPDATE',
      `Unable to create/update fields: ${readOnly.join(', ')}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`,
      readOnly,
    );
  }
  return out;
}

/** REQUIRED_FIELD_MISSING unless the object's required fields (and custom required ones) have values. */
export function requireFields(obj: ObjectDef, values: Record<string, unknown>): void {
  // custom fields seeded required (or master-detail) are required too
  const custom = [...obj.fields.values()].filter((f) => f.required && f.custom).map((f) => f.name);
  requireValues([...(REQUIRED_ON_CREATE[obj.name] ?? []), ...custom], values);
}

export function requireValues(fields: readonly string[], values: Record<string, unknown>): void {
  const missing = fields.filter((f) => values[f] === undefined || values[f] === null || values[f] === '');
  if (missing.length) throw new ApiError('REQUIRED_FIELD_MISSING', MESSAGES.requiredMissing(missing), missing);
}
