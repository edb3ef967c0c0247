/**
 * A small in-process stand-in for an org's query endpoint, for TestContext.fakeConnectionRequest.
 * It answers only the audit's own queries (by FROM object), aggregates LoginHistory the way
 * GROUP BY would, pages with nextRecordsUrl, and can fail an object with a Salesforce error code.
 */

export type FakeUser = {
  Id: string;
  Username: string;
  Name: string;
  Profile: { Name: string; UserLicense: { Name: string } };
  IsActive?: boolean;
  UserType?: string;
};
export type FakeLogin = { UserId: string; LoginType: string; Application?: string; LoginTime: string };
export type FakeToken = { UserId: string; AppName: string; LastUsedDate?: string; UseCount?: number };
export type FakeSeats = { TotalLicenses: number; UsedLicenses: number };

export type FakeSeed = {
  users: FakeUser[];
  logins?: FakeLogin[];
  tokens?: FakeToken[];
  userLicense?: FakeSeats | null;
  psl?: FakeSeats | null;
  /** object name, or "aggregate" for any GROUP BY query, → Salesforce error code */
  errors?: Record<string, string>;
  pageSize?: number;
  now?: Date;
};

type Rec = Record<string, unknown>;

export class FakeOrg {
  public readonly soql: string[] = [];
  public requests = 0;
  private cursors = new Map<string, { rows: Rec[]; at: number }>();
  private nextCursor = 1;

  public constructor(private readonly seed: FakeSeed) {}

  public handler = (request: unknown): Promise<unknown> => {
    this.requests++;
    const url = typeof request === 'string' ? request : String((request as { url: string }).url);
    try {
      return Promise.resolve(this.answer(url));
    } catch (e) {
      return Promise.reject(e);
    }
  };

  private static error(code: string, message = code): Error {
    return Object.assign(new Error(message), { name: code, errorCode: code });
  }

  private page(rows: Rec[], at: number): Rec {
    const size = this.seed.pageSize ?? 2000;
    const records = rows.slice(at, at + size);
    const done = at + size >= rows.length;
    let nextRecordsUrl: string | undefined;
    if (!done) {
      const id = `01gFAKE${this.nextCursor++}-${at + size}`;
      this.cursors.set(id, { rows, at: at + size });
      nextRecordsUrl = `/services/data/v62.0/query/${id}`;
    }
    return { totalSize: rows.length, done, records, ...(nextRecordsUrl ? { nextRecordsUrl } : {}) };
  }

  private answer(url: string): Rec {
    const more = /\/query\/([^/?]+)$/.exec(url);
    if (more) {
      const cursor = this.cursors.get(more[1]);
      if (!cursor) throw FakeOrg.error('INVALID_QUERY_LOCATOR');
      return this.page(cursor.rows, cursor.at);
    }
    const q = new URL(url, 'http://x').searchParams.get('q') ?? '';
    this.soql.push(q);
    const from = /\bFROM\s+(\w+)/i.exec(q)?.[1] ?? '';
    const err = this.seed.errors?.[from] ?? (/GROUP BY/i.test(q) ? this.seed.errors?.aggregate : undefined);
    if (err) throw FakeOrg.error(err, `${err} (fake) on ${from}`);
    const attrs = (type: string): Rec => ({ attributes: { type } });
    switch (from) {
      case 'UserLicense':
        return this.page(this.seed.userLicense ? [{ ...attrs(from), Id: '100x', Name: 'Salesforce Integration', ...this.seed.userLicense }] : [], 0);
      case 'PermissionSetLicense':
        return this.page(this.seed.psl ? [{ ...attrs(from), Id: '0PLx', DeveloperName: 'SalesforceAPIIntegrationPsl', ...this.seed.psl }] : [], 0);
      case 'User':
        return this.page(
          this.seed.users
            .filter((u) => u.IsActive !== false)
            .map((u) => ({ ...attrs('User'), IsActive: true, UserType: 'Standard', LastLoginDate: null, ...u })),
          0
        );
      case 'OauthToken':
        return this.page((this.seed.tokens ?? []).map((t) => ({ ...attrs(from), ...t })), 0);
      case 'LoginHistory':
        return this.loginHistory(q);
      default:
        throw FakeOrg.error('INVALID_TYPE', `sObject type '${from}' is not supported.`);
    }
  }

  private loginHistory(q: string): Rec {
    const days = Number(/LAST_N_DAYS:(\d+)/.exec(q)?.[1] ?? 100_000);
    const now = this.seed.now ?? new Date();
    const start = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) - days * 86_400_000).toISOString();
    const inList = /UserId IN \(([^)]*)\)/.exec(q)?.[1];
    const ids = inList ? new Set(inList.split(',').map((s) => s.trim().replace(/'/g, ''))) : undefined;
    const rows = (this.seed.logins ?? []).filter((r) => r.LoginTime >= start && (!ids || ids.has(r.UserId)));
    if (!/GROUP BY/i.test(q)) return this.page(rows.map((r) => ({ attributes: { type: 'LoginHistory' }, ...r })), 0);
    const groups = new Map<string, Rec>();
    for (const r of rows) {
      const key = `${r.UserId}|${r.LoginType}|${r.Application ?? ''}`;
      const g = groups.get(key) ?? { attributes: { type: 'AggregateResult' }, UserId: r.UserId, LoginType: r.LoginType, Application: r.Application ?? null, cnt: 0, lastLogin: r.LoginTime };
      g.cnt = Number(g.cnt) + 1;
      if (r.LoginTime > String(g.lastLogin)) g.lastLogin = r.LoginTime;
      groups.set(key, g);
    }
    const limit = Number(/LIMIT (\d+)/.exec(q)?.[1] ?? Infinity);
    const all = [...groups.values()];
    // Salesforce can't page an aggregate result: everything must fit in one answer.
    if (all.length > 2000 && limit > 2000) throw FakeOrg.error('EXCEEDED_ID_LIMIT', 'Aggregate query does not support queryMore()');
    const records = all.slice(0, limit);
    return { totalSize: records.length, done: true, records };
  }
}

/** A deterministic ISO time `daysAgo` days before `now`. */
export const ago = (now: Date, daysAgo: number, hour = 12): string =>
  new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - daysAgo, hour)).toISOString();
