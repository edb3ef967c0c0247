/**
 * What a user touched through the API, from Salesforce's own usage logs: EventLogFile rows of the API usage event
 * types and their LogFile CSVs (`/sobjects/EventLogFile/{Id}/LogFile`). Facts relied on, with sources, are in
 * docs/salesforce-behaviour.md under "Event logs": ApiTotalUsage is free in supported editions, API and RestApi need
 * Event Monitoring; files are kept 30 days with Event Monitoring, 1 day in Developer Edition; reading needs View
 * Event Log Files and API Enabled (or View All Data).
 */
import type { Connection } from '@salesforce/core';
import { Messages } from '@salesforce/core';
import { errorCode } from '../org-api/errors.js';
import { id15, queryAll } from './query.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('sf-integration-user', 'access-reader.usage-logs');

/** Event types whose rows name the user (USER_ID) and the object (ENTITY_NAME) of an API request. */
export const USAGE_EVENT_TYPES = ['ApiTotalUsage', 'API', 'RestApi'] as const;

export type UsageLogFile = { id: string; eventType: string; logDate: string; rows: number; rowsByUser: number };

export type UsageEvidence = {
  username: string;
  /** the window asked for: LogDate = LAST_N_DAYS:days */
  days: number;
  /** every log file read, oldest first */
  files: UsageLogFile[];
  /** files read per event type */
  eventTypes: Record<string, number>;
  rows: number;
  rowsByUser: number;
  /** objects (ENTITY_NAME) of the user's requests, sorted */
  objects: string[];
};

/** Event Monitoring keeps log files 30 days: the longest window worth reading by default. */
export const DEFAULT_USAGE_DAYS = 30;

/**
 * The window in days (--usage-days), default {@link DEFAULT_USAGE_DAYS}.
 *
 * @throws SfError UsageDays outside 1 to 365
 */
export function usageWindow(days: number | undefined): number {
  const value = days ?? DEFAULT_USAGE_DAYS;
  if (!Number.isInteger(value) || value < 1 || value > 365)
    throw messages.createError('error.UsageDays', [String(value)]);
  return value;
}

type LogRecord = { Id: string; EventType: string; LogDate: string };

/**
 * Reads the usage logs of the last `days` days and what `user` touched in them.
 *
 * @throws SfError UsageLogsUnreadable (EventLogFile not readable), NoUsageLogs (no file in the window)
 */
export async function readUsage(
  conn: Connection,
  user: { id: string; username: string },
  days: number,
): Promise<UsageEvidence> {
  const types = USAGE_EVENT_TYPES.map((t) => `'${t}'`).join(', ');
  const soql = `SELECT Id, EventType, LogDate FROM EventLogFile WHERE EventType IN (${types}) AND LogDate = LAST_N_DAYS:${days} ORDER BY LogDate, EventType`;
  let records: LogRecord[];
  try {
    records = await queryAll<LogRecord>(conn, soql);
  } catch (e) {
    const code = errorCode(e);
    if (code === 'INVALID_TYPE' || code === 'INSUFFICIENT_ACCESS' || code === 'INSUFFICIENT_ACCESS_OR_READONLY') {
      throw messages.createError('error.UsageLogsUnreadable', [
        conn.getUsername() ?? 'the running user',
        (e as Error).message,
      ]);
    }
    throw e;
  }
  if (records.length === 0) throw messages.createError('error.NoUsageLogs', [days, USAGE_EVENT_TYPES.join(', ')]);

  const evidence: UsageEvidence = {
    username: user.username,
    days,
    files: [],
    eventTypes: {},
    rows: 0,
    rowsByUser: 0,
    objects: [],
  };
  const objects = new Set<string>();
  const userId = id15(user.id);
  // one file at a time: log files can be large, and each is parsed and dropped before the next
  for (const r of records) {
    const csv = await downloadLogFile(conn, r.Id);
    const rows = parseCsv(csv);
    const file: UsageLogFile = {
      id: r.Id,
      eventType: r.EventType,
      logDate: String(r.LogDate).slice(0, 10),
      rows: rows.length,
      rowsByUser: 0,
    };
    for (const row of rows) {
      const id = row.USER_ID_DERIVED || row.USER_ID;
      if (!id || id15(id) !== userId) continue;
      file.rowsByUser++;
      for (const entity of entityNames(row.ENTITY_NAME)) objects.add(entity);
    }
    evidence.files.push(file);
    evidence.eventTypes[r.EventType] = (evidence.eventTypes[r.EventType] ?? 0) + 1;
    evidence.rows += file.rows;
    evidence.rowsByUser += file.rowsByUser;
  }
  evidence.objects = [...objects].sort();
  return evidence;
}

/** The LogFile blob as text (a CSV), whatever content type the org answers with. */
async function downloadLogFile(conn: Connection, id: string): Promise<string> {
  const url = `/services/data/v${conn.getApiVersion()}/sobjects/EventLogFile/${id}/LogFile`;
  // text/plain keeps jsforce from parsing a text/csv answer into records
  const body: unknown = await conn.request({ method: 'GET', url }, { responseType: 'text/plain' });
  return typeof body === 'string' ? body : Buffer.isBuffer(body) ? body.toString('utf8') : '';
}

/**
 * ENTITY_NAME as object API names. ApiTotalUsage documents it as a "Set" (the object accessed), so a value may hold
 * more than one name; requests that touch no object leave it empty.
 */
function entityNames(value: string | undefined): string[] {
  return (value ?? '')
    .split(/[\s,;|]+/)
    .map((v) => v.replace(/^[[{"']+|[\]}"']+$/g, ''))
    .filter((v) => /^[A-Za-z][A-Za-z0-9_]*$/.test(v));
}

/** RFC 4180 CSV (quoted fields, doubled quotes, CRLF or LF) into rows keyed by the header's column names. */
export function parseCsv(text: string): Array<Record<string, string>> {
  const table: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      table.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length) {
    row.push(field);
    table.push(row);
  }
  const [header, ...rows] = table.filter((r) => r.length > 1 || r[0] !== '');
  if (!header) return [];
  return rows.map((r) => Object.fromEntries(header.map((h, i) => [h.trim(), r[i] ?? ''])));
}
