/**
 * EventLogFile rows and their LogFile blobs (CSV), seeded: the API usage logs an org keeps. The columns of each event
 * type are Salesforce's (Object Reference, "API Total Usage", "SOAP API Event Type", "REST API Event Type"); their
 * order in the CSV is not documented (the ApiTotalUsage order follows a public sample), so readers go by the header.
 * USER_ID is the 15-character Id, USER_ID_DERIVED (API, RestApi only) the 18-character one.
 */
import type { OrgState, Rec } from './state.js';

/** One API request in a seeded log file. */
export type ApiRequestSeed = {
  username: string;
  /** ENTITY_NAME: the object the request touched, e.g. Account (empty for describeGlobal, limits …) */
  entity?: string;
  /** API_FAMILY (ApiTotalUsage): REST, SOAP, Bulk, ApexREST */
  apiFamily?: string;
  /** HTTP_METHOD (ApiTotalUsage), METHOD (RestApi), METHOD_NAME (API: the SOAP call, e.g. query) */
  method?: string;
  statusCode?: number;
};

export type EventLogFileSeed = {
  /** ApiTotalUsage (free), API or RestApi (Event Monitoring), or any other type (rows then give the columns) */
  eventType: string;
  /** the day the file covers: an ISO date, or days before today (1 = yesterday, the usual daily file) */
  logDate?: string;
  daysAgo?: number;
  interval?: 'Daily' | 'Hourly';
  requests?: ApiRequestSeed[];
  /** raw rows by column name, for columns the requests don't give */
  rows?: Array<Record<string, string>>;
};

/** The columns every event type starts with. */
const EVENT_COLUMNS = ['EVENT_TYPE', 'TIMESTAMP', 'REQUEST_ID', 'ORGANIZATION_ID', 'USER_ID'];
/** Request events (API, RestApi) go on with the request's timings, URI, session and status. */
const REQUEST_COLUMNS = [
  ...EVENT_COLUMNS,
  'RUN_TIME',
  'CPU_TIME',
  'URI',
  'SESSION_KEY',
  'LOGIN_KEY',
  'USER_TYPE',
  'REQUEST_STATUS',
  'DB_TOTAL_TIME',
];

const COLUMNS: Readonly<Record<string, readonly string[]>> = {
  ApiTotalUsage: [
    ...EVENT_COLUMNS,
    'API_FAMILY',
    'API_VERSION',
    'API_RESOURCE',
    'CLIENT_NAME',
    'HTTP_METHOD',
    'CLIENT_IP',
    'COUNTS_AGAINST_API_LIMIT',
    'CONNECTED_APP_ID',
    'ENTITY_NAME',
    'STATUS_CODE',
    'CONNECTED_APP_NAME',
    'USER_NAME',
    'TIMESTAMP_DERIVED',
  ],
  API: [
    ...REQUEST_COLUMNS,
    'API_TYPE',
    'API_VERSION',
    'CLIENT_NAME',
    'METHOD_NAME',
    'ENTITY_NAME',
    'ROWS_PROCESSED',
    'REQUEST_SIZE',
    'RESPONSE_SIZE',
    'CLIENT_IP',
    'TIMESTAMP_DERIVED',
    'USER_ID_DERIVED',
  ],
  RestApi: [
    ...REQUEST_COLUMNS,
    'ENTITY_NAME',
    'METHOD',
    'MEDIA_TYPE',
    'STATUS_CODE',
    'USER_AGENT',
    'ROWS_PROCESSED',
    'NUMBER_FIELDS',
    'CLIENT_IP',
    'CONNECTED_APP_ID',
    'TIMESTAMP_DERIVED',
    'USER_ID_DERIVED',
  ],
};

const blobs = new WeakMap<OrgState, Map<string, string>>();

const csvCell = (v: string): string => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

function requestRow(org: OrgState, eventType: string, r: ApiRequestSeed, at: Date): Record<string, string> {
  const user = org.userByUsername(r.username);
  if (!user) throw new Error(`seed: unknown user ${r.username}`);
  const id = String(user.Id);
  const method = r.method ?? (eventType === 'API' ? 'query' : 'GET');
  return {
    EVENT_TYPE: eventType,
    TIMESTAMP: at.toISOString().replace(/[-:T]/g, '').replace('Z', ''),
    REQUEST_ID: `4-${Math.random().toString(36).slice(2, 12)}`,
    ORGANIZATION_ID: org.id.slice(0, 15),
    USER_ID: id.slice(0, 15),
    USER_ID_DERIVED: id,
    USER_NAME: String(user.Username),
    ENTITY_NAME: r.entity ?? '',
    API_FAMILY: r.apiFamily ?? 'REST',
    API_VERSION: org.config.maxApiVersion,
    API_RESOURCE: r.entity
      ? `/v${org.config.maxApiVersion}/sobjects/${r.entity}`
      : `/v${org.config.maxApiVersion}/limits`,
    HTTP_METHOD: method,
    METHOD: method,
    METHOD_NAME: method,
    API_TYPE: 'P',
    URI: r.entity ? `/services/data/v${org.config.maxApiVersion}/sobjects/${r.entity}` : '/services/data',
    STATUS_CODE: String(r.statusCode ?? 200),
    COUNTS_AGAINST_API_LIMIT: 'true',
    TIMESTAMP_DERIVED: at.toISOString(),
  };
}

function logDay(seed: EventLogFileSeed): Date {
  if (seed.logDate) return new Date(`${seed.logDate.slice(0, 10)}T00:00:00.000Z`);
  const today = new Date();
  today.setUTCHours(0, 0, 0, 0);
  return new Date(today.getTime() - (seed.daysAgo ?? 1) * 86_400_000);
}

/** Inserts one EventLogFile row and keeps its CSV for the LogFile endpoint. */
export function insertEventLogFile(org: OrgState, seed: EventLogFileSeed): Rec {
  const day = logDay(seed);
  const rows = [
    ...(seed.requests ?? []).map((r, i) =>
      requestRow(org, seed.eventType, r, new Date(day.getTime() + (i + 1) * 60_000)),
    ),
    ...(seed.rows ?? []),
  ];
  const columns = COLUMNS[seed.eventType] ?? [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const csv =
    [columns.map(csvCell).join(','), ...rows.map((r) => columns.map((c) => csvCell(r[c] ?? '')).join(','))].join('\n') +
    '\n';
  const rec = org.insert('EventLogFile', {
    EventType: seed.eventType,
    LogDate: day.getTime(),
    Interval: seed.interval ?? 'Daily',
    Sequence: seed.interval === 'Hourly' ? 1 : 0,
    LogFileLength: Buffer.byteLength(csv),
    LogFileContentType: 'CSV',
    LogFileFieldNames: columns.join(','),
    LogFileFieldTypes: columns.map(() => 'String').join(','),
    ApiVersion: Number(org.config.maxApiVersion),
    CreatedDate: day.getTime() + 86_400_000,
  });
  rec.LogFile = `/services/data/v${org.config.maxApiVersion}/sobjects/EventLogFile/${rec.Id}/LogFile`;
  let map = blobs.get(org);
  if (!map) blobs.set(org, (map = new Map<string, string>()));
  map.set(String(rec.Id), csv);
  return rec;
}

/** The CSV of a log file, or undefined when the Id is not one. */
export function logFileCsv(org: OrgState, id: string): string | undefined {
  const map = blobs.get(org);
  return map?.get(id) ?? [...(map?.entries() ?? [])].find(([k]) => k.slice(0, 15) === id.slice(0, 15))?.[1];
}
