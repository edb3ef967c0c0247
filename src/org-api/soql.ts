/**
 * SOQL string literals. Every value that reaches a WHERE clause goes through here: usernames and
 * developer names come from the command line or a definition file, so they are untrusted input.
 */

/** Escapes a value for use inside a single-quoted SOQL literal (backslash first, then quotes). */
export function escapeSoqlString(value: string): string {
  return value
    .replace(/\\/g, '\\\\')
    .replace(/'/g, "\\'")
    .replace(/"/g, '\\"')
    .replace(/\n/g, '\\n')
    .replace(/\r/g, '\\r')
    .replace(/\t/g, '\\t');
}

/** A quoted SOQL string literal. */
export function soqlLiteral(value: string): string {
  return `'${escapeSoqlString(value)}'`;
}

/** A parenthesised list of quoted literals for `IN (...)`; callers must not pass an empty list. */
export function soqlInList(values: readonly string[]): string {
  if (values.length === 0) throw new Error('soqlInList needs at least one value');
  return `(${[...new Set(values)].map(soqlLiteral).join(', ')})`;
}
