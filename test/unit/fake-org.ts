/**
 * The one in-memory org of the unit tests, behind TestContext's fakeConnectionRequest: enough REST (SOQL by pattern,
 * sObject create, sObject Collections, describe) for the create steps, recording every request. Built from an
 * audit seed (`new FakeOrg({ users, logins, ... })`) it also answers the audit's reads: active users, LoginHistory
 * aggregated the way GROUP BY would, OauthToken, paged with nextRecordsUrl, and an object failing with a code.
 */
import type { AnyJson } from '@salesforce/ts-types';

type Rec = Record<string, unknown> & { Id: string };
export type FakeError = { errorCode: string; message: string; status?: number };
/** `after`: the org does the work, then the response is lost (a connection dropped on the way back) */
export type FakeFault = { match: RegExp; error: FakeError; after?: boolean };

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

/** An org as the audit reads it. */
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

let idCounter = 100;
const newId = (prefix: string): string => `${prefix}${String(idCounter++).padStart(12, '0')}AAA`;

/** A describe field: permissionable (default true), calculated (false), updateable (true). */
export type FakeField = { name: string; permissionable?: boolean; calculated?: boolean; updateable?: boolean };

export class FakeOrg {
  public userLicense: Rec | undefined = {
    Id: '100000000000001AAA',
    Name: 'Salesforce Integration',
    MasterLabel: 'Salesforce Integration',
    Status: 'Active',
    TotalLicenses: 5,
    UsedLicenses: 1,
  };
  public psl: Rec | undefined = {
    Id: '0PL000000000001AAA',
    DeveloperName: 'SalesforceAPIIntegrationPsl',
    MasterLabel: 'Salesforce API Integration',
    Status: 'Active',
    TotalLicenses: 5,
    UsedLicenses: 1,
    MaximumPermissionsRunReports: true,
    MaximumPermissionsViewSetup: false,
  };
  public profiles: Rec[] = [
    { Id: '00e000000000001AAA', Name: 'Minimum Access - API Only Integrations' },
    { Id: '00e000000000002AAA', Name: 'Salesforce API Only System Integrations' },
  ];
  public otherProfiles: Rec[] = [{ Id: '00e000000000009AAA', Name: 'System Administrator' }];
  public roles: Rec[] = [{ Id: '00E000000000001AAA', DeveloperName: 'Integrations', Name: 'Integrations' }];
  public users: Rec[] = [];
  public pslAssignments: Rec[] = [];
  public permissionSets: Rec[] = [{ Id: '0PS000000000001AAA', Name: 'Shared_Read', LicenseId: null }];
  public psAssignments: Rec[] = [];
  /** fields by object: a name, or the describe properties field-level security depends on */
  public describes: Record<string, Array<string | FakeField>> = {
    // Id, Name and LastName are system or required fields (not permissionable); Tier__c is a formula field
    Account: [
      { name: 'Id', permissionable: false },
      { name: 'Name', permissionable: false },
      'Industry',
      { name: 'Tier__c', calculated: true, updateable: false },
    ],
    Contact: [{ name: 'Id', permissionable: false }, 'Email', { name: 'LastName', permissionable: false }],
    PermissionSet: [
      'Id',
      'Name',
      'PermissionsApiEnabled',
      'PermissionsViewSetup',
      'PermissionsApiUserOnly',
      'PermissionsRunReports',
    ],
    PermissionSetLicense: ['Id', 'DeveloperName', 'MaximumPermissionsRunReports', 'MaximumPermissionsViewSetup'],
  };
  /** errors to throw once for the next request whose "METHOD path" matches */
  public failOnce: FakeFault[] = [];
  /** responses for single creates, e.g. a record-level error instead of throwing */
  public requests: string[] = [];
  /** every SOQL query asked, in order */
  public readonly soql: string[] = [];
  public readonly adminUsername: string;
  private readonly seed?: FakeSeed;
  private cursors = new Map<string, { rows: unknown[]; at: number }>();
  private nextCursor = 1;

  /** An admin's username (the create tests' org), or an audit seed (the audit tests' org). */
  public constructor(from: string | FakeSeed = 'admin@example.com') {
    if (typeof from === 'string') this.adminUsername = from;
    else {
      this.adminUsername = 'admin@example.com';
      this.seed = from;
      this.userLicense = from.userLicense
        ? { Id: '100x', Name: 'Salesforce Integration', ...from.userLicense }
        : undefined;
      this.psl = from.psl ? { Id: '0PLx', DeveloperName: 'SalesforceAPIIntegrationPsl', ...from.psl } : undefined;
      return;
    }
    this.users.push({
      Id: '005000000000001AAA',
      Username: from,
      IsActive: true,
      ProfileId: '00e000000000009AAA',
      TimeZoneSidKey: 'Europe/Paris',
      LocaleSidKey: 'fr_FR',
      EmailEncodingKey: 'UTF-8',
      LanguageLocaleKey: 'fr',
    });
  }

  public userByName(name: string): Rec | undefined {
    return this.users.find((u) => String(u.Username).toLowerCase() === name.toLowerCase());
  }

  /** The request handler, bound (for `$$.fakeConnectionRequest = fake.handler`). */
  public handler = (request: unknown): Promise<AnyJson> => this.handle(request as AnyJson);

  public handle(request: AnyJson): Promise<AnyJson> {
    const req = (typeof request === 'string' ? { method: 'GET', url: request } : request) as {
      method?: string;
      url: string;
      body?: string;
    };
    const method = (req.method ?? 'GET').toUpperCase();
    const url = new URL(req.url, 'https://fake.my.salesforce.com');
    // a batch of reads: each subrequest logged and answered (and faulted) as its own request would be
    if (method === 'POST' && /\/composite\/batch$/.test(url.pathname)) return this.batch(req.body);
    if (method === 'POST' && /\/composite$/.test(url.pathname)) return this.composite(req.body);
    const line = `${method} ${url.pathname}${url.search ? '?' + decodeURIComponent(url.search.slice(1)) : ''}`;
    this.requests.push(line);
    const fault = this.failOnce.findIndex((f) => f.match.test(line));
    if (fault >= 0) {
      const { error, after } = this.failOnce.splice(fault, 1)[0];
      const rejection = Promise.reject(
        Object.assign(new Error(error.message), { name: error.errorCode, errorCode: error.errorCode }),
      );
      if (!after) return rejection;
      return this.route(method, url, req.body, line).then(
        () => rejection,
        () => rejection,
      );
    }
    return this.route(method, url, req.body, line);
  }

  private async batch(body: string | undefined): Promise<AnyJson> {
    const { batchRequests } = JSON.parse(body ?? '{}') as { batchRequests: Array<{ method: string; url: string }> };
    const results: Array<{ statusCode: number; result: unknown }> = [];
    for (const sub of batchRequests) {
      try {
        results.push({
          statusCode: 200,
          result: await this.handle({ method: sub.method, url: `/services/data/${sub.url}` }),
        });
      } catch (e) {
        const err = e as { errorCode?: string; message: string };
        results.push({
          statusCode: err.errorCode === 'NOT_FOUND' ? 404 : 400,
          result: [{ errorCode: err.errorCode, message: err.message }],
        });
      }
    }
    return { hasErrors: results.some((r) => r.statusCode >= 400), results } as AnyJson;
  }

  /**
   * /composite with allOrNone: subrequests in order with `@{ref.id}` references; a refused one rolls every other back
   * (answered PROCESSING_HALTED); a lost connection in any subrequest loses the whole request, nothing kept.
   */
  private async composite(body: string | undefined): Promise<AnyJson> {
    const { compositeRequest } = JSON.parse(body ?? '{}') as {
      compositeRequest: Array<{ method: string; url: string; referenceId: string; body?: unknown }>;
    };
    const saved = {
      users: [...this.users],
      psl: [...this.pslAssignments],
      ps: [...this.psAssignments],
      used: this.userLicense?.UsedLicenses,
    };
    const rollback = (): void => {
      this.users = saved.users;
      this.pslAssignments = saved.psl;
      this.psAssignments = saved.ps;
      if (this.userLicense) this.userLicense.UsedLicenses = saved.used;
    };
    const ids = new Map<string, string>();
    const compositeResponse: Array<{
      referenceId: string;
      httpStatusCode: number;
      httpHeaders: object;
      body: unknown;
    }> = [];
    let failed = false;
    for (const sub of compositeRequest) {
      const text = JSON.stringify(sub.body ?? {}).replace(/@\{(\w+)\.id\}/g, (_m, ref: string) => ids.get(ref) ?? '');
      try {
        const answer = (await this.handle({ method: sub.method, url: sub.url, body: text })) as { id?: string };
        if (answer?.id) ids.set(sub.referenceId, answer.id);
        compositeResponse.push({ referenceId: sub.referenceId, httpStatusCode: 201, httpHeaders: {}, body: answer });
      } catch (e) {
        const err = e as { errorCode?: string; message: string };
        if (/^E[A-Z]+$/.test(err.errorCode ?? '')) {
          rollback();
          throw e;
        }
        failed = true;
        compositeResponse.push({
          referenceId: sub.referenceId,
          httpStatusCode: 400,
          httpHeaders: {},
          body: [{ errorCode: err.errorCode, message: err.message }],
        });
        break;
      }
    }
    if (!failed) return { compositeResponse } as AnyJson;
    rollback();
    const halted = [
      {
        errorCode: 'PROCESSING_HALTED',
        message: 'The transaction was rolled back since another operation in the same transaction failed.',
      },
    ];
    return {
      compositeResponse: compositeRequest.map((sub, i) =>
        i === compositeResponse.length - 1
          ? compositeResponse[i]
          : { referenceId: sub.referenceId, httpStatusCode: 400, httpHeaders: {}, body: halted },
      ),
    } as AnyJson;
  }

  private route(method: string, url: URL, reqBody: string | undefined, line: string): Promise<AnyJson> {
    const path = url.pathname.replace(/^\/services\/data\/v[\d.]+/, '');
    try {
      if (method === 'GET' && path === '/query')
        return Promise.resolve(this.query(url.searchParams.get('q') ?? '') as AnyJson);
      const more = /^\/query\/([^/?]+)$/.exec(path);
      if (method === 'GET' && more) {
        const cursor = this.cursors.get(more[1]);
        if (!cursor) throw this.err('INVALID_QUERY_LOCATOR', 'INVALID_QUERY_LOCATOR');
        return Promise.resolve(this.page(cursor.rows, cursor.at) as AnyJson);
      }
      const describe = /^\/sobjects\/(\w+)\/describe$/.exec(path);
      if (method === 'GET' && describe) {
        // object names are case-insensitive in the REST API; the describe answers with the real spelling
        const name = Object.keys(this.describes).find((k) => k.toLowerCase() === describe[1].toLowerCase());
        if (!name) throw this.err('NOT_FOUND', 'The requested resource does not exist');
        return Promise.resolve({
          name,
          fields: this.describes[name].map((f) => (typeof f === 'string' ? { name: f } : f)),
        } as AnyJson);
      }
      const create = /^\/sobjects\/(\w+)$/.exec(path);
      if (method === 'POST' && create)
        return Promise.resolve(
          this.create(create[1], JSON.parse(reqBody ?? '{}') as Record<string, unknown>) as AnyJson,
        );
      if (method === 'POST' && path === '/composite/sobjects') {
        const body = JSON.parse(reqBody ?? '{}') as {
          records: Array<Record<string, unknown> & { attributes: { type: string } }>;
        };
        return Promise.resolve(
          body.records.map((r) => {
            const { attributes, ...fields } = r;
            try {
              return this.create(attributes.type, fields);
            } catch (e) {
              const err = e as { errorCode: string; message: string };
              return { success: false, errors: [{ statusCode: err.errorCode, message: err.message, fields: [] }] };
            }
          }) as AnyJson,
        );
      }
      throw this.err('NOT_FOUND', `no route ${line}`);
    } catch (e) {
      return Promise.reject(e instanceof Error ? e : new Error(String(e)));
    }
  }

  private err(code: string, message: string): Error {
    return Object.assign(new Error(message), { name: code, errorCode: code });
  }

  private literals(soql: string): string[] {
    return [...soql.matchAll(/'((?:[^'\\]|\\.)*)'/g)].map((m) => m[1].replace(/\\(.)/g, '$1'));
  }

  private page(
    rows: unknown[],
    at: number,
  ): { totalSize: number; done: boolean; records: unknown[]; nextRecordsUrl?: string } {
    const size = this.seed?.pageSize ?? 2000;
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

  /** The audit's reads, from the seed; undefined for a query it doesn't answer. */
  private auditQuery(soql: string, from: string): unknown {
    const seed = this.seed!;
    const attrs = (type: string): Record<string, unknown> => ({ attributes: { type } });
    if (from === 'User' && /WHERE IsActive = true/i.test(soql)) {
      return this.page(
        seed.users
          .filter((u) => u.IsActive !== false)
          .map((u) => ({ ...attrs('User'), IsActive: true, UserType: 'Standard', LastLoginDate: null, ...u })),
        0,
      );
    }
    if (from === 'OauthToken')
      return this.page(
        (seed.tokens ?? []).map((t) => ({ ...attrs(from), ...t })),
        0,
      );
    if (from === 'LoginHistory') return this.loginHistory(soql, seed);
    if (from === 'UserLicense' || from === 'PermissionSetLicense') {
      const row = from === 'UserLicense' ? this.userLicense : this.psl;
      return this.page(row ? [{ ...attrs(from), ...row }] : [], 0);
    }
    throw this.err('INVALID_TYPE', `sObject type '${from}' is not supported.`);
  }

  private loginHistory(q: string, seed: FakeSeed): unknown {
    const days = Number(/LAST_N_DAYS:(\d+)/.exec(q)?.[1] ?? 100_000);
    const now = seed.now ?? new Date();
    const start = new Date(
      Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) - days * 86_400_000,
    ).toISOString();
    const inList = /UserId IN \(([^)]*)\)/.exec(q)?.[1];
    const ids = inList ? new Set(inList.split(',').map((s) => s.trim().replace(/'/g, ''))) : undefined;
    const rows = (seed.logins ?? []).filter((r) => r.LoginTime >= start && (!ids || ids.has(r.UserId)));
    if (!/GROUP BY/i.test(q))
      return this.page(
        rows.map((r) => ({ attributes: { type: 'LoginHistory' }, ...r })),
        0,
      );
    const groups = new Map<string, Record<string, unknown>>();
    for (const r of rows) {
      const key = `${r.UserId}|${r.LoginType}|${r.Application ?? ''}`;
      const g = groups.get(key) ?? {
        attributes: { type: 'AggregateResult' },
        UserId: r.UserId,
        LoginType: r.LoginType,
        Application: r.Application ?? null,
        cnt: 0,
        lastLogin: r.LoginTime,
      };
      g.cnt = Number(g.cnt) + 1;
      if (r.LoginTime > String(g.lastLogin)) g.lastLogin = r.LoginTime;
      groups.set(key, g);
    }
    const limit = Number(/LIMIT (\d+)/.exec(q)?.[1] ?? Infinity);
    const all = [...groups.values()];
    // Salesforce can't page an aggregate result: everything must fit in one answer.
    if (all.length > 2000 && limit > 2000)
      throw this.err('EXCEEDED_ID_LIMIT', 'Aggregate query does not support queryMore()');
    const records = all.slice(0, limit);
    return { totalSize: records.length, done: true, records };
  }

  private query(soql: string): unknown {
    this.soql.push(soql);
    const from = /\bFROM\s+(\w+)/i.exec(soql)?.[1] ?? '';
    const failure = this.seed?.errors?.[from] ?? (/GROUP BY/i.test(soql) ? this.seed?.errors?.aggregate : undefined);
    if (failure) throw this.err(failure, `${failure} (fake) on ${from}`);
    if (this.seed) return this.auditQuery(soql, from);
    const values = this.literals(soql);
    let records: unknown[];
    if (/FROM UserLicense/i.test(soql))
      records = this.userLicense && values[0] === this.userLicense.Name ? [this.userLicense] : [];
    else if (/FROM PermissionSetLicenseAssign WHERE Assignee.Username/i.test(soql))
      records = this.pslAssignments.filter((a) => a.AssigneeId === this.userByName(values[0])?.Id);
    else if (/FROM PermissionSetLicenseAssign/i.test(soql))
      records = this.pslAssignments.filter((a) => a.AssigneeId === values[0] && a.PermissionSetLicenseId === values[1]);
    else if (/FROM PermissionSetLicense/i.test(soql))
      records = this.psl && values[0] === this.psl.DeveloperName ? [this.psl] : [];
    else if (/FROM Profile WHERE UserLicense.Name/i.test(soql))
      records = this.userLicense && values[0] === this.userLicense.Name ? this.profiles : [];
    // a production org (the environment read before every create)
    else if (/FROM Organization/i.test(soql))
      records = [{ Id: '00D000000000001AAA', IsSandbox: false, TrialExpirationDate: null }];
    else if (/FROM UserRole/i.test(soql)) records = this.roles.filter((r) => r.DeveloperName === values[0]);
    else if (/FROM User WHERE Username IN/i.test(soql)) {
      const wanted = values.map((v) => v.toLowerCase());
      records = this.users
        .filter((u) => wanted.includes(String(u.Username).toLowerCase()))
        .map((u) => ({
          ...u,
          Profile: { Name: [...this.profiles, ...this.otherProfiles].find((p) => p.Id === u.ProfileId)?.Name },
        }));
    } else if (/FROM PermissionSetAssignment/i.test(soql)) {
      const assignee = /Assignee.Username/i.test(soql) ? this.userByName(values[0])?.Id : values[0];
      records = this.psAssignments
        .filter((a) => a.AssigneeId === assignee)
        .map((a) => {
          const set = this.permissionSets.find((p) => p.Id === a.PermissionSetId);
          // as the real org: Name without the namespace prefix, NamespacePrefix beside it
          return { ...a, PermissionSet: { Name: set?.Name, NamespacePrefix: set?.NamespacePrefix ?? null } };
        });
    } else if (/FROM PermissionSet WHERE Name IN/i.test(soql)) {
      const wanted = values.map((v) => v.toLowerCase());
      records = this.permissionSets.filter((p) => wanted.includes(String(p.Name).toLowerCase()));
    } else throw this.err('INVALID_FIELD', `fake org can't answer ${soql}`);
    return { totalSize: records.length, done: true, records };
  }

  private create(type: string, fields: Record<string, unknown>): { id: string; success: boolean; errors: unknown[] } {
    if (type === 'User') {
      if (this.userByName(String(fields.Username)))
        throw this.err(
          'DUPLICATE_USERNAME',
          'Duplicate Username.<br>The username already exists in this or another Salesforce organization.',
        );
      const Id = newId('005');
      this.users.push({ Id, IsActive: true, ...fields });
      if (this.userLicense) this.userLicense.UsedLicenses = Number(this.userLicense.UsedLicenses) + 1;
      return { id: Id, success: true, errors: [] };
    }
    if (type === 'PermissionSetLicenseAssign') {
      if (
        this.pslAssignments.some(
          (a) => a.AssigneeId === fields.AssigneeId && a.PermissionSetLicenseId === fields.PermissionSetLicenseId,
        )
      )
        throw this.err(
          'DUPLICATE_VALUE',
          'duplicate value found: PermissionSetLicenseId duplicates value on record with id: 2LA',
        );
      const Id = newId('2LA');
      this.pslAssignments.push({ Id, ...fields });
      return { id: Id, success: true, errors: [] };
    }
    if (type === 'PermissionSetAssignment') {
      if (
        this.psAssignments.some(
          (a) => a.AssigneeId === fields.AssigneeId && a.PermissionSetId === fields.PermissionSetId,
        )
      )
        throw this.err(
          'DUPLICATE_VALUE',
          'duplicate value found: <unknown> duplicates value on record with id: <unknown>',
        );
      const Id = newId('0Pa');
      this.psAssignments.push({ Id, ...fields });
      return { id: Id, success: true, errors: [] };
    }
    throw this.err('NOT_FOUND', `fake org can't create ${type}`);
  }
}

/** A deterministic ISO time `daysAgo` days before `now`. */
export const ago = (now: Date, daysAgo: number, hour = 12): string =>
  new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - daysAgo, hour)).toISOString();
