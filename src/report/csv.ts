/**
 * One CSV cell, the one rule for every report: a cell starting with = + - @ tab or CR gets a leading `'` so a
 * spreadsheet shows it instead of running it as a formula (OWASP "CSV injection"), then RFC 4180 quoting when it
 * holds a comma, a quote or a line break.
 */
export function csvCell(v: string | number | boolean | undefined): string {
  let s = v === undefined ? '' : String(v);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** One CSV line (no line break). */
export const csvLine = (cells: ReadonlyArray<string | number | boolean | undefined>): string =>
  cells.map(csvCell).join(',');
