/** Values as an org stores them (datetimes as epoch ms, ids in 18-char form, booleans never null) and prints them. */
import { to18 } from './ids.js';
import type { FieldDef } from './schema.js';
import { fieldText } from './field-text.js';

export function normalize(f: FieldDef, v: unknown): unknown {
  if (v === null || v === undefined) return f.type === 'boolean' ? false : null;
  switch (f.type) {
    case 'boolean':
      return v === true || v === 'true' || v === 1;
    case 'int':
    case 'long':
    case 'double':
    case 'currency':
      return typeof v === 'number' ? v : Number(v);
    case 'datetime':
      return typeof v === 'number' ? v : parseDateTime(fieldText(v));
    case 'date':
      return typeof v === 'number' ? new Date(v).toISOString().slice(0, 10) : fieldText(v).slice(0, 10);
    case 'reference':
    case 'id':
      return to18(fieldText(v));
    default:
      return fieldText(v);
  }
}

/** normalize() for one field, with the 18-char form of repeated ids remembered (bulk inserts). */
export function converter(f: FieldDef): (v: unknown) => unknown {
  if (f.type !== 'reference' && f.type !== 'id') return (v) => normalize(f, v);
  const seen = new Map<string, string>();
  return (v) => {
    if (v === null || v === undefined) return null;
    const s = fieldText(v);
    let id = seen.get(s);
    if (id === undefined) {
      id = to18(s);
      if (seen.size < 100_000) seen.set(s, id);
    }
    return id;
  };
}

export function parseDateTime(s: string): number {
  // Salesforce writes +0000; Date.parse wants +00:00 (checked by hand: this runs once per seeded row)
  const n = s.length;
  const sign = n > 5 ? s.charCodeAt(n - 5) : 0;
  const offset = (sign === 43 || sign === 45) && s.charCodeAt(n - 3) !== 58;
  const t = Date.parse(offset ? s.replace(/([+-]\d\d)(\d\d)$/, '$1:$2') : s);
  if (Number.isNaN(t)) throw new Error(`bad datetime ${s}`);
  return t;
}

export function formatDateTime(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+0000');
}
