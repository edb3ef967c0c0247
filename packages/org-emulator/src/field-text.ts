/**
 * A value from a request body or a stored record as text: what String() gives, except that an object or an array
 * reads as its JSON instead of "[object Object]". Bodies and records are typed `unknown`, so this one place says how
 * a value that is not a string becomes one.
 */
export function fieldText(v: unknown): string {
  return typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v);
}
