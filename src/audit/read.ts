import type { Connection } from '@salesforce/core';
import { INTEGRATION_PSL, INTEGRATION_USER_LICENSE } from '../permissions/model.js';
import { errorCode as apiErrorCode } from '../org-api/api-errors.js';
import { OrgReader } from '../org-api/org-reader.js';
import { fieldText } from '../org-api/field-text.js';
import { SEAT_QUERIES, seatCount, type SeatCount } from '../org-api/licenses.js';
import type { AuditUser, Gap, LoginAggregate, OauthTokenRow, Seats } from './types.js';

/** Errors meaning "this running user may not read that object": reported as a gap, not a failure. */
const ACCESS_ERRORS = new Set([
  'INSUFFICIENT_ACCESS',
  'INSUFFICIENT_ACCESS_OR_READONLY',
  'INVALID_TYPE',
  'API_DISABLED_FOR_ORG',
]);

/** Salesforce returns at most 2,000 rows for an aggregate query and can't page through more. */
export const AGGREGATE_ROW_LIMIT = 2000;
/** User Ids per aggregate query: keeps the GET URL well under Salesforce's 16 KB limit. */
export const USERS_PER_LOGIN_QUERY = 200;
const PARALLEL_QUERIES = 3;

export const FIX_BY_SOURCE: Record<Gap['source'], string> = {
  LoginHistory: 'Manage Users or Monitor Login History',
  OauthToken: 'Customize Application (with View Setup and Configuration)',
  UserLicense: 'View Setup and Configuration',
  PermissionSetLicense: 'View Setup and Configuration',
};

export type LoginReadMode = 'aggregate' | 'rows';

export type LoginReadStats = {
  mode: LoginReadMode;
  /** Why the aggregate query was abandoned for paging through rows. */
  fallbackReason?: string;
  queries: number;
  /** Aggregate groups, or raw rows when paging. */
  rowsRead: number;
  /** True when a bound stopped the reading before the end: the counts are a lower bound. */
  truncated: boolean;
  totalRows?: number;
};

export type OrgReading = {
  seats: Seats;
  users: AuditUser[];
  logins: LoginAggregate[];
  loginHistoryRead: boolean;
  tokens: OauthTokenRow[];
  oauthTokenRead: boolean;
  gaps: Gap[];
  stats: { roundTrips: number; login?: LoginReadStats };
};

export type ReadOptions = {
  days: number;
  /** Upper bound of raw LoginHistory rows read when aggregation isn't possible. */
  maxLoginRows: number;
  /** Force the row-paging path (also used when the org rejects the aggregate query). */
  mode?: LoginReadMode;
  onProgress?: (status: string) => void;
};

type Rec = Record<string, unknown>;
type ErrorLike = { name?: string; errorCode?: string; message?: string };

const errorCode = (e: unknown): string => apiErrorCode(e, 'UNKNOWN_ERROR');
export const isAccessError = (e: unknown): boolean => ACCESS_ERRORS.has(errorCode(e));
/**
 * The org refused the query itself (MALFORMED_QUERY, INVALID_FIELD, QUERY_TIMEOUT, ...): worth another
 * query form. Network failures (ECONNRESET) and HTTP errors are not: they would fail the next form too.
 */
export const isQueryRejection = (e: unknown): boolean => {
  const code = errorCode(e);
  return /^[A-Z]+(_[A-Z]+)+$/.test(code) && !code.startsWith('ERROR_HTTP_') && !ACCESS_ERRORS.has(code);
};

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
/** Salesforce writes `2026-11-26T19:28:00.000+0000`: normalize to ISO so times compare as strings. */
const isoTime = (v: unknown): string | undefined => {
  const s = str(v);
  if (!s) return undefined;
  const d = new Date(s);
  return Number.isNaN(d.getTime()) ? s : d.toISOString();
};
const num = (v: unknown): number => (typeof v === 'number' ? v : Number(v ?? 0)) || 0;
const path = (r: Rec, ...keys: string[]): unknown =>
  keys.reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Rec)[k] : undefined), r);

export { OrgReader } from '../org-api/org-reader.js';

function gapFor(source: Gap['source'], e: unknown): Gap {
  return {
    source,
    errorCode: errorCode(e),
    message: (e as ErrorLike)?.message ?? String(e),
    fix: FIX_BY_SOURCE[source],
  };
}

/** Salesforce Integration user license and Salesforce API Integration PSL seats; unreadable ones become gaps. */
export async function readSeats(reader: OrgReader): Promise<{ seats: Seats; gaps: Gap[] }> {
  const gaps: Gap[] = [];
  const one = async (source: Gap['source'], soql: string, name: string): Promise<SeatCount | undefined> => {
    try {
      return seatCount((await reader.page(soql)).records[0], name);
    } catch (e) {
      if (!isAccessError(e)) throw e;
      gaps.push(gapFor(source, e));
      return undefined;
    }
  };
  const [integrationUserLicense, integrationPsl] = await Promise.all([
    one('UserLicense', SEAT_QUERIES.userLicense, INTEGRATION_USER_LICENSE),
    one('PermissionSetLicense', SEAT_QUERIES.permissionSetLicense, INTEGRATION_PSL),
  ]);
  return { seats: { integrationUserLicense, integrationPsl }, gaps };
}

export const USERS_QUERY =
  'SELECT Id, Username, Name, IsActive, Profile.Name, Profile.PermissionsModifyAllData, Profile.UserLicense.Name, UserType, LastLoginDate FROM User WHERE IsActive = true';

export async function readUsers(reader: OrgReader): Promise<AuditUser[]> {
  const records = await reader.all(USERS_QUERY);
  return (
    records
      .map((r): AuditUser => ({
        id: String(r.Id),
        username: String(r.Username),
        name: str(r.Name) ?? String(r.Username),
        isActive: r.IsActive !== false,
        profileName: str(path(r, 'Profile', 'Name')),
        modifyAllData: path(r, 'Profile', 'PermissionsModifyAllData') === true,
        userLicenseName: str(path(r, 'Profile', 'UserLicense', 'Name')),
        userType: str(r.UserType),
        lastLoginDate: isoTime(r.LastLoginDate),
      }))
      // Portal, guest and chatter users can't hold an Integration license.
      .filter((u) => !u.userType || u.userType === 'Standard')
  );
}

/** The aggregate for the given users, or for the whole org when `userIds` is undefined. */
export function aggregateLoginQuery(days: number, userIds?: string[]): string {
  const users = userIds ? ` AND UserId IN (${userIds.map((id) => `'${id}'`).join(', ')})` : '';
  return (
    'SELECT UserId, LoginType, Application, COUNT(Id) cnt, MAX(LoginTime) lastLogin FROM LoginHistory ' +
    `WHERE LoginTime = LAST_N_DAYS:${days}${users} ` +
    `GROUP BY UserId, LoginType, Application LIMIT ${AGGREGATE_ROW_LIMIT}`
  );
}

export function rowsLoginQuery(days: number): string {
  return `SELECT UserId, LoginType, Application, LoginTime FROM LoginHistory WHERE LoginTime = LAST_N_DAYS:${days}`;
}

const toAggregate = (r: Rec): LoginAggregate => ({
  userId: String(r.UserId),
  loginType: fieldText(r.LoginType ?? ''),
  application: str(r.Application),
  count: num(r.cnt),
  last: isoTime(r.lastLogin),
});

/** Ids are Salesforce record ids read from the org; never user input, but check before they reach SOQL. */
const safeIds = (ids: string[]): string[] => ids.filter((id) => /^[a-zA-Z0-9]{15,18}$/.test(id));

async function readLoginsAggregated(
  reader: OrgReader,
  userIds: string[],
  opts: ReadOptions,
  stats: LoginReadStats,
): Promise<LoginAggregate[]> {
  if (userIds.length > USERS_PER_LOGIN_QUERY) {
    // Most orgs have fewer than 2,000 user/type/app groups in a period: one query answers it all.
    stats.queries++;
    const { records } = await reader.page(aggregateLoginQuery(opts.days));
    if (records.length < AGGREGATE_ROW_LIMIT) {
      const wanted = new Set(userIds);
      const rows = records.map(toAggregate).filter((r) => wanted.has(r.userId));
      stats.rowsRead += records.length;
      opts.onProgress?.(`LoginHistory: ${userIds.length}/${userIds.length} users`);
      return rows;
    }
  }
  const chunks: string[][] = [];
  for (let i = 0; i < userIds.length; i += USERS_PER_LOGIN_QUERY)
    chunks.push(userIds.slice(i, i + USERS_PER_LOGIN_QUERY));
  const out: LoginAggregate[] = [];
  let usersDone = 0;
  const runChunk = async (ids: string[]): Promise<void> => {
    stats.queries++;
    const { records } = await reader.page(aggregateLoginQuery(opts.days, ids));
    if (records.length >= AGGREGATE_ROW_LIMIT) {
      if (ids.length > 1) {
        // Too many groups for one answer: halve the users and ask again.
        const half = Math.ceil(ids.length / 2);
        await runChunk(ids.slice(0, half));
        await runChunk(ids.slice(half));
        return;
      }
      stats.truncated = true;
    }
    stats.rowsRead += records.length;
    for (const r of records) out.push(toAggregate(r));
    usersDone += ids.length;
    opts.onProgress?.(`LoginHistory: ${usersDone}/${userIds.length} users`);
  };
  const queue = [...chunks];
  const worker = async (): Promise<void> => {
    for (let ids = queue.shift(); ids; ids = queue.shift()) {
      await runChunk(ids);
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL_QUERIES, chunks.length) }, worker));
  return out;
}

async function readLoginsByRows(
  reader: OrgReader,
  userIds: Set<string>,
  opts: ReadOptions,
  stats: LoginReadStats,
): Promise<LoginAggregate[]> {
  stats.mode = 'rows';
  const before = reader.roundTrips;
  const groups = new Map<string, LoginAggregate>();
  const fmt = (n: number): string => n.toLocaleString('en-US');
  const { read, truncated, totalSize } = await reader.each(
    rowsLoginQuery(opts.days),
    opts.maxLoginRows,
    (records, soFar, total) => {
      opts.onProgress?.(`LoginHistory: ${fmt(soFar)}/${fmt(total)} rows`);
      // Aggregate page by page: a large org's rows never sit in memory all at once.
      for (const r of records) {
        const userId = String(r.UserId);
        if (!userIds.has(userId)) continue;
        const loginType = fieldText(r.LoginType ?? '');
        const application = str(r.Application);
        const key = `${userId}\u0000${loginType}\u0000${application ?? ''}`;
        const g = groups.get(key) ?? { userId, loginType, application, count: 0 };
        g.count++;
        const t = isoTime(r.LoginTime);
        if (t && (!g.last || t > g.last)) g.last = t;
        groups.set(key, g);
      }
    },
  );
  stats.queries += reader.roundTrips - before;
  stats.rowsRead = read;
  stats.totalRows = totalSize;
  stats.truncated = stats.truncated || truncated;
  return [...groups.values()];
}

/**
 * LoginHistory per user, login type and application. Aggregates in SOQL (GROUP BY, 200 users a query,
 * halving when a query hits the 2,000-group limit); if the org refuses the aggregate, pages through raw
 * rows up to `maxLoginRows` and says so.
 */
export async function readLogins(
  reader: OrgReader,
  users: AuditUser[],
  opts: ReadOptions,
): Promise<{ logins: LoginAggregate[]; stats: LoginReadStats }> {
  const ids = safeIds(users.map((u) => u.id));
  const stats: LoginReadStats = { mode: 'aggregate', queries: 0, rowsRead: 0, truncated: false };
  if (ids.length === 0) return { logins: [], stats };
  if (opts.mode !== 'rows') {
    try {
      return { logins: await readLoginsAggregated(reader, ids, opts, stats), stats };
    } catch (e) {
      if (!isQueryRejection(e)) throw e;
      stats.fallbackReason = `${errorCode(e)}: ${(e as ErrorLike)?.message ?? String(e)}`.trim();
      stats.rowsRead = 0;
      stats.truncated = false;
    }
  }
  return { logins: await readLoginsByRows(reader, new Set(ids), opts, stats), stats };
}

export const OAUTH_TOKEN_QUERY = 'SELECT AppName, UserId, LastUsedDate, UseCount FROM OauthToken';

export async function readTokens(reader: OrgReader): Promise<OauthTokenRow[]> {
  const records = await reader.all(OAUTH_TOKEN_QUERY);
  return records.map((r) => ({
    userId: String(r.UserId),
    appName: str(r.AppName) ?? '(unnamed connected app)',
    lastUsedDate: isoTime(r.LastUsedDate),
    useCount: r.UseCount === null || r.UseCount === undefined ? undefined : num(r.UseCount),
  }));
}

/** Everything the audit needs from the org. Unreadable LoginHistory or OauthToken become gaps. */
export async function readOrg(conn: Connection, opts: ReadOptions): Promise<OrgReading> {
  const reader = new OrgReader(conn);
  const progress = opts.onProgress ?? ((): void => {});
  progress('license seats and users');
  const [{ seats, gaps }, users] = await Promise.all([readSeats(reader), readUsers(reader)]);

  progress('LoginHistory');
  let logins: LoginAggregate[] = [];
  let loginStats: LoginReadStats | undefined;
  let loginHistoryRead = true;
  try {
    ({ logins, stats: loginStats } = await readLogins(reader, users, opts));
  } catch (e) {
    if (!isAccessError(e)) throw e;
    loginHistoryRead = false;
    gaps.push(gapFor('LoginHistory', e));
  }

  progress('OauthToken');
  let tokens: OauthTokenRow[] = [];
  let oauthTokenRead = true;
  try {
    tokens = await readTokens(reader);
  } catch (e) {
    if (!isAccessError(e)) throw e;
    oauthTokenRead = false;
    gaps.push(gapFor('OauthToken', e));
  }
  return {
    seats,
    users,
    logins,
    loginHistoryRead,
    tokens,
    oauthTokenRead,
    gaps,
    stats: { roundTrips: reader.roundTrips, login: loginStats },
  };
}
