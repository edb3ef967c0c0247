/**
 * Stage 1 of retire, changing nothing: who still uses the user. LoginHistory of the period per login type,
 * application and outcome; its OAuth tokens per app; what the org runs as it (scheduled and queued Apex, dashboards,
 * outbound messages, email services, External Client App client-credentials user). An object the running user can't
 * read becomes a gap in the report, not a failure.
 */
import type { Connection } from '@salesforce/core';
import { isAccessError } from '../audit/read.js';
import { OrgReader } from '../org-api/org-reader.js';
import { appLabel, isInteractiveApp, loginKind } from '../audit/login-types.js';
import { errorCode } from '../org-api/errors.js';
import { soqlLiteral } from '../org-api/soql.js';
import { fieldText } from '../org-api/field-text.js';
import { movesFor } from './moves.js';
import { get, iso, str, type Rec } from './record-fields.js';
import { RUNS_AS_SOURCES, runsAsOf } from './runs-as.js';
import type { LoginAttempt, LoginUse, ReadGap, RetireCheck, RunsAs, TargetUser, TokenUse } from './types.js';

/** The user's tokens with the value that revokes each: kept out of every result. */
export type RevocableToken = TokenUse & { deleteToken?: string };

/** SOQL datetime literal: no quotes, UTC. */
export const soqlDateTime = (isoTime: string): string => new Date(isoTime).toISOString().replace(/\.\d{3}Z$/, 'Z');

const GAP_FIX: Record<string, string> = {
  LoginHistory: 'Manage Users or Monitor Login History',
  OauthToken: 'Customize Application (with View Setup and Configuration)',
  UserLogin: 'Manage Users',
  CronTrigger: 'View Setup and Configuration',
  AsyncApexJob: 'View Setup and Configuration',
  Dashboard: 'View All Data or Manage All Private Reports and Dashboards',
  WorkflowOutboundMessage: 'View Setup and Configuration (Tooling API)',
  EmailServicesAddress: 'View Setup and Configuration',
  ExtlClntAppOauthPlcyCnfg: 'View all External Client Apps (API 64.0 or later)',
};

export class RetireReader {
  public readonly gaps: ReadGap[] = [];
  private readonly reader: OrgReader;
  public constructor(private readonly conn: Connection) {
    this.reader = new OrgReader(conn);
  }

  public get roundTrips(): number {
    return this.reader.roundTrips;
  }

  /** Every row, or undefined (and a gap) when the object can't be read by this user in this org. */
  public async rows(source: string, soql: string, tooling = false): Promise<Rec[] | undefined> {
    try {
      if (!tooling) return await this.reader.all(soql);
      return (await this.conn.tooling.query<Rec>(soql)).records;
    } catch (e) {
      if (!isAccessError(e)) throw e;
      this.gaps.push({
        source,
        errorCode: errorCode(e),
        message: (e as Error).message,
        fix: GAP_FIX[source] ?? 'View Setup and Configuration',
      });
      return undefined;
    }
  }

  public async user(username: string): Promise<TargetUser | undefined> {
    const [r] = await this.reader.all(
      `SELECT Id, Username, Name, IsActive, Profile.Name, Profile.UserLicense.Name, LastLoginDate FROM User WHERE Username = ${soqlLiteral(username)}`,
    );
    if (!r) return undefined;
    return {
      id: String(r.Id),
      username: String(r.Username),
      name: str(r.Name) ?? String(r.Username),
      isActive: r.IsActive === true,
      profileName: str(get(r, 'Profile', 'Name')),
      licenseName: str(get(r, 'Profile', 'UserLicense', 'Name')),
      lastLoginDate: iso(r.LastLoginDate),
    };
  }

  /** Active System Administrators other than this user. */
  public async otherActiveAdmins(userId: string): Promise<number> {
    const r = await this.reader.page(
      `SELECT COUNT() FROM User WHERE IsActive = true AND Profile.Name = 'System Administrator' AND Id != '${userId}'`,
    );
    return r.totalSize;
  }

  public async userLogin(userId: string): Promise<{ id: string; frozen: boolean; lastModified?: string } | undefined> {
    const rows = await this.rows(
      'UserLogin',
      `SELECT Id, IsFrozen, LastModifiedDate FROM UserLogin WHERE UserId = '${userId}'`,
    );
    const r = rows?.[0];
    return r ? { id: String(r.Id), frozen: r.IsFrozen === true, lastModified: iso(r.LastModifiedDate) } : undefined;
  }

  public async logins(userId: string, days: number): Promise<LoginUse[]> {
    const rows = await this.rows(
      'LoginHistory',
      'SELECT LoginType, Application, Status, COUNT(Id) cnt, MAX(LoginTime) lastLogin FROM LoginHistory ' +
        `WHERE UserId = '${userId}' AND LoginTime = LAST_N_DAYS:${days} GROUP BY LoginType, Application, Status LIMIT 2000`,
    );
    return (rows ?? []).map((r) => {
      const loginType = fieldText(r.LoginType ?? '');
      const application = str(r.Application);
      return {
        loginType,
        app: appLabel(loginType, application),
        kind: loginKind(loginType, application),
        status: str(r.Status) ?? 'Success',
        count: Number(r.cnt ?? 0),
        last: iso(r.lastLogin),
      };
    });
  }

  public async attemptsSince(userId: string, since: string): Promise<LoginAttempt[]> {
    const rows = await this.rows(
      'LoginHistory',
      `SELECT LoginTime, LoginType, Application, Status FROM LoginHistory WHERE UserId = '${userId}' AND LoginTime > ${soqlDateTime(since)} ORDER BY LoginTime DESC LIMIT 20`,
    );
    return (rows ?? []).map((r) => ({
      time: iso(r.LoginTime) ?? '',
      loginType: fieldText(r.LoginType ?? ''),
      app: appLabel(fieldText(r.LoginType ?? ''), str(r.Application)),
      status: str(r.Status) ?? '',
    }));
  }

  public async tokens(userId: string, since: string): Promise<RevocableToken[] | undefined> {
    const rows = await this.rows(
      'OauthToken',
      `SELECT AppName, LastUsedDate, UseCount, DeleteToken FROM OauthToken WHERE UserId = '${userId}'`,
    );
    return rows?.map((r) => {
      const lastUsed = iso(r.LastUsedDate);
      const app = str(r.AppName) ?? '(unnamed connected app)';
      return {
        app,
        lastUsed,
        useCount: r.UseCount == null ? undefined : Number(r.UseCount),
        recent: !!lastUsed && lastUsed >= since && !isInteractiveApp(app),
        deleteToken: str(r.DeleteToken),
      };
    });
  }

  /** What the org runs as the user, from each object where it shows (each read on its own: one gap doesn't stop the rest). */
  public async runsAs(user: TargetUser): Promise<RunsAs[]> {
    const rows = await Promise.all(RUNS_AS_SOURCES.map((s) => this.rows(s.source, s.soql(user), s.tooling)));
    return RUNS_AS_SOURCES.flatMap((source, i) => runsAsOf(source, rows[i]));
  }
}

export type CheckOptions = { days: number; now: Date; targetOrg: string };

/** The whole check for one user (the user itself is read by the caller, which guards first). */
export async function checkUser(
  reader: RetireReader,
  user: TargetUser,
  opts: CheckOptions,
): Promise<{ check: RetireCheck; tokens: RevocableToken[] | undefined }> {
  const since = new Date(opts.now.getTime() - opts.days * 86_400_000).toISOString();
  const [login, logins, tokens, runsAs] = await Promise.all([
    reader.userLogin(user.id),
    reader.logins(user.id, opts.days),
    reader.tokens(user.id, since),
    reader.runsAs(user),
  ]);
  const frozenSince = login?.frozen ? login.lastModified : undefined;
  const attemptsSinceFreeze = frozenSince ? await reader.attemptsSince(user.id, frozenSince) : [];
  const check: RetireCheck = {
    user,
    period: { days: opts.days, since },
    frozen: login?.frozen ?? false,
    frozenSince,
    userLoginId: login?.id,
    logins,
    tokens: (tokens ?? []).map(({ deleteToken: _secret, ...t }) => t),
    runsAs,
    attemptsSinceFreeze,
    gaps: reader.gaps,
    inUse: [],
    moves: [],
  };
  const usage = describeUse(check, opts.targetOrg);
  check.inUse = usage.inUse;
  check.moves = usage.moves;
  return { check, tokens };
}

/** Why the user counts as still in use, and the moves, from what the check read. */
export function describeUse(check: RetireCheck, targetOrg: string): { inUse: string[]; moves: string[] } {
  const inUse: string[] = [];
  const apps = new Map<string, string[]>();
  const note = (app: string, text: string): void => {
    apps.set(app, [...(apps.get(app) ?? []), text]);
  };
  // while frozen, failed attempts are expected: they gate deactivation, not the freeze
  for (const l of check.logins.filter((x) => x.kind === 'api' && !(check.frozen && /frozen/i.test(x.status)))) {
    note(
      l.app,
      `${l.count} ${l.loginType} login${l.count === 1 ? '' : 's'}${/^success$/i.test(l.status) ? '' : ` (${l.status})`}, last ${l.last ?? 'unknown'}`,
    );
  }
  for (const t of check.tokens.filter((x) => x.recent)) note(t.app, `OAuth token last used ${t.lastUsed}`);
  for (const [app, texts] of apps) inUse.push(`${app}: ${texts.join('; ')}`);
  const ui = check.logins
    .filter((x) => x.kind === 'ui' && /^success$/i.test(x.status))
    .reduce((n, x) => n + x.count, 0);
  if (ui > 0)
    inUse.push(`a person: ${ui} browser or mobile login${ui === 1 ? '' : 's'} in the last ${check.period.days} days`);
  for (const r of check.runsAs) inUse.push(`${r.kind} ${r.name}${r.detail ? ` (${r.detail})` : ''}`);
  const moves = [
    ...[...apps.keys()].map((app) => movesFor({ kind: 'app', name: app, user: check.user.username, targetOrg })),
    ...check.runsAs.map((r) => r.move),
  ];
  return { inUse, moves: [...new Set(moves)] };
}
