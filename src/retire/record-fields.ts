/** Reading fields of the org's records as retire reports them: text or nothing, ISO dates, relationship paths. */

export type Rec = Record<string, unknown>;

/** A non-empty string, or undefined. */
export const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** A datetime as ISO 8601 UTC (a value that is no date is kept as it is). */
export const iso = (v: unknown): string | undefined => {
  const s = str(v);
  const d = s ? new Date(s) : undefined;
  return d && !Number.isNaN(d.getTime()) ? d.toISOString() : s;
};

/** A field through relationships, e.g. `get(r, 'Profile', 'UserLicense', 'Name')`. */
export const get = (r: Rec, ...keys: string[]): unknown =>
  keys.reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Rec)[k] : undefined), r);
