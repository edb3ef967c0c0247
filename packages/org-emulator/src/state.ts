/**
 * One emulated org's data: typed tables of records keyed by 18-char id, the org's schema and settings.
 * Values are stored normalised (datetime as epoch ms, ids in 18-char form) and formatted on output.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseProfileXml, profileReferences, type ProfileDoc } from './profiles.js';
import { IdFactory, looksLikeId, to18 } from './ids.js';
import { Schema, type FieldDef, type ObjectDef } from './schema.js';
import type { EmulatorSeed, OrgType } from './seed.js';
import { syncDerivedRows } from './retire-objects.js';
import { schemaVersions } from './metadata-schema.js';

export type Rec = Record<string, unknown> & { Id: string };

/** Shared by every org of one server: ids and the username registry (usernames are unique across orgs). */
export class ServerContext {
  private static servers = 0;
  // each server of a process gets its own pod letters, so two servers never hand out the same ids
  public readonly ids = new IdFactory(ServerContext.pod(ServerContext.servers++));
  public readonly usernames = new Map<string, { orgId: string; userId: string }>();
  public orgCount = 0;

  private static pod(n: number): string {
    const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
    return n === 0 ? 'Hu' : `${letters[Math.floor(n / 26) % 26]}${letters[n % 26].toLowerCase()}`;
  }
}

export const PROFILE_NAMES = {
  admin: 'System Administrator',
  standard: 'Standard User',
  minimum: 'Minimum Access - Salesforce',
  integration: 'Minimum Access - API Only Integrations',
  legacyIntegration: 'Salesforce API Only System Integrations',
} as const;

export const LICENSE_NAMES = {
  salesforce: 'Salesforce',
  integration: 'Salesforce Integration',
  platform: 'Salesforce Platform',
  integrationPsl: 'SalesforceAPIIntegrationPsl',
} as const;

/** The newest API version of Salesforce's metadata data (../shared/reference/salesforce/metadata-types.json): 66.0. */
export const DEFAULT_MAX_API_VERSION = schemaVersions().newest;

export type OrgConfig = {
  queryPageSize: number;
  deployPolls: number;
  retrievePolls: number;
  maxApiVersion: string;
  /** most groups an aggregate query may return (Salesforce: 2,000, one batch; aggregates are never paged) */
  aggregateRowLimit: number;
  /**
   * what the REST API does with an aggregate result larger than one batch: 'refuse' the query (default, what
   * Salesforce is reported to do), or answer the first batch with a nextRecordsUrl that then fails ('locator')
   */
  aggregateOverflow: 'refuse' | 'locator';
  /** objects the running (API) user cannot read: the API answers as if they did not exist */
  unreadableObjects: string[];
  /**
   * which DML a /composite allOrNone transaction refuses as MIXED_DML_OPERATION (docs/salesforce-behaviour.md,
   * "Composite API"): 'setup-with-non-setup' (default: setup objects such as User and PermissionSetAssignment go
   * together, as Apex tests do; a setup and a non-setup object don't) or 'any-setup-mix' (User with any other setup
   * object is refused too, the literal reading of the Apex guide's "Don't include more than one of these sObjects")
   */
  compositeMixedDml: 'setup-with-non-setup' | 'any-setup-mix';
};

/** Metadata sections a permission set keeps beside its records (tabs, classes, apps ...), for retrieve. */
export type StoredPermissionSetMeta = {
  description?: string;
  hasActivationRequired?: boolean;
  sections: Record<string, Array<Record<string, string>>>;
};

/** What a profile holds beyond its records: the custom flag, other elements as XML, and entries granting nothing. */
export type ProfileMeta = {
  custom?: boolean;
  raw: Map<string, string[]>;
  zeroObjects: Set<string>;
  zeroFields: Set<string>;
};

export class OrgState {
  public readonly schema: Schema;
  public readonly id: string;
  public readonly accessToken: string;
  public readonly config: OrgConfig;
  public readonly orgType: OrgType;
  public adminUserId = '';
  public adminUsername = '';
  public readonly permissionSetMeta = new Map<string, StoredPermissionSetMeta>();
  public readonly setupEntityIds = new Map<string, string>();
  /** Profile metadata kept beside the records (custom flag, tabs, layouts ... as XML) */
  public readonly profileMeta = new Map<string, ProfileMeta>();
  /** parsed profile metadata of the seed, by profile name */
  public readonly seedProfileDocs = new Map<string, ProfileDoc>();
  private readonly tables = new Map<string, Map<string, Rec>>();

  public constructor(
    public readonly ctx: ServerContext,
    public readonly seed: EmulatorSeed = {},
  ) {
    const extraPerms = new Set(seed.userPermissions ?? []);
    const refs: Array<ReturnType<typeof profileReferences>> = [];
    for (const p of seed.profiles ?? []) {
      const xml = p.metadataXml ?? (p.metadataFile ? readFileSync(p.metadataFile, 'utf8') : undefined);
      if (!xml) continue;
      const doc = parseProfileXml(xml);
      this.seedProfileDocs.set(p.name, doc);
      const r = profileReferences(doc);
      refs.push(r);
      for (const u of r.userPermissions) extraPerms.add(u);
    }
    this.schema = new Schema([...extraPerms]);
    // the org a profile came from has the objects and fields it names
    for (const r of refs) {
      for (const o of r.objects) if (!this.schema.get(o)) this.schema.addCustomObject({ name: o });
      for (const f of r.fields) {
        const [o, name] = f.split('.');
        if (name && !this.schema.get(o)!.fields.has(name.toLowerCase())) this.schema.addCustomField(o, { name });
      }
    }
    for (const o of seed.objects ?? []) {
      if (this.schema.get(o.name) && !this.schema.get(o.name)!.custom) {
        for (const f of o.fields ?? []) this.schema.addCustomField(o.name, f);
      } else this.schema.addCustomObject(o);
    }
    ctx.orgCount += 1;
    this.id = ctx.ids.next('00D');
    this.accessToken = `${this.id}!AQ${randomBytes(24).toString('base64url').replace(/-/g, '.')}`;
    this.orgType = seed.type ?? 'production';
    this.config = {
      queryPageSize: seed.queryPageSize ?? 2000,
      deployPolls: seed.deployPolls ?? 0,
      retrievePolls: seed.retrievePolls ?? 0,
      // a real org today serves the newest release the schema data knows
      maxApiVersion: seed.maxApiVersion ?? schemaVersions().newest,
      aggregateRowLimit: 2000,
      aggregateOverflow: 'refuse',
      unreadableObjects: [...(seed.unreadableObjects ?? [])],
      compositeMixedDml: seed.compositeMixedDml ?? 'setup-with-non-setup',
    };
  }

  // ---- tables -------------------------------------------------------------------------------

  public table(objectName: string): Map<string, Rec> {
    const key = objectName.toLowerCase();
    let t = this.tables.get(key);
    if (!t) {
      t = new Map();
      this.tables.set(key, t);
    }
    syncDerivedRows(this, key, t);
    return t;
  }

  /** Every record as it is now, for a transaction's rollback (/composite allOrNone): see restore(). */
  public snapshot(): () => void {
    const tables = new Map([...this.tables].map(([k, t]) => [k, new Map([...t].map(([id, r]) => [id, { ...r }]))]));
    const usernames = new Map(this.ctx.usernames);
    return () => {
      this.tables.clear();
      for (const [k, t] of tables) this.tables.set(k, t);
      this.ctx.usernames.clear();
      for (const [k, v] of usernames) this.ctx.usernames.set(k, v);
      this.recountLicenses();
    };
  }

  /** The names (lower case) of the tables holding records: a sandbox refresh copies each (refresh.ts). */
  public tableNames(): string[] {
    return [...this.tables.keys()];
  }

  public all(objectName: string): Rec[] {
    return [...this.table(objectName).values()];
  }

  public get(id: string | undefined | null): Rec | undefined {
    if (!id || !looksLikeId(id)) return undefined;
    const obj = this.schema.byKeyPrefix(id);
    return obj ? this.table(obj.name).get(to18(id)) : undefined;
  }

  public objectOf(id: string): ObjectDef | undefined {
    return this.schema.byKeyPrefix(id);
  }

  public find(objectName: string, pred: (r: Rec) => boolean): Rec | undefined {
    for (const r of this.table(objectName).values()) if (pred(r)) return r;
    return undefined;
  }

  public filter(objectName: string, pred: (r: Rec) => boolean): Rec[] {
    return this.all(objectName).filter(pred);
  }

  /** Inserts a record with no business rules (seeding, system-created rows); returns it. */
  public insert(objectName: string, values: Record<string, unknown>): Rec {
    const obj = this.schema.get(objectName);
    if (!obj) throw new Error(`unknown object ${objectName}`);
    const now = Date.now();
    const rec: Rec = { Id: values.Id ? to18(String(values.Id)) : this.ctx.ids.next(obj.keyPrefix) };
    for (const f of obj.fields.values()) {
      if (f.type === 'boolean') rec[f.name] = false;
    }
    if (obj.fields.has('createddate')) rec.CreatedDate = now;
    if (obj.fields.has('lastmodifieddate')) rec.LastModifiedDate = now;
    if (obj.fields.has('systemmodstamp')) rec.SystemModstamp = now;
    if (obj.fields.has('createdbyid') && this.adminUserId) rec.CreatedById = this.adminUserId;
    if (obj.fields.has('lastmodifiedbyid') && this.adminUserId) rec.LastModifiedById = this.adminUserId;
    for (const [k, v] of Object.entries(values)) {
      if (k === 'Id' || k === 'attributes') continue;
      const f = obj.fields.get(k.toLowerCase());
      if (!f) throw new Error(`unknown field ${objectName}.${k}`);
      rec[f.name] = normalize(f, v);
    }
    this.table(obj.name).set(rec.Id, rec);
    return rec;
  }

  /**
   * Bulk insert of plain rows, no business rules (large fixtures such as 500,000 LoginHistory rows): one pass,
   * each distinct column's converter resolved once, records built from one template (one hidden class),
   * the username registry updated for User rows. Same stored values as insert().
   */
  public insertMany(objectName: string, rows: ReadonlyArray<Record<string, unknown>>): Rec[] {
    const obj = this.schema.get(objectName);
    if (!obj) throw new Error(`unknown object ${objectName}`);
    const table = this.table(obj.name);
    const now = Date.now();
    const template: Record<string, unknown> = { Id: '' };
    for (const f of obj.fields.values()) if (f.type === 'boolean') template[f.name] = false;
    if (obj.fields.has('createddate')) template.CreatedDate = now;
    if (obj.fields.has('lastmodifieddate')) template.LastModifiedDate = now;
    if (obj.fields.has('systemmodstamp')) template.SystemModstamp = now;
    if (obj.fields.has('createdbyid') && this.adminUserId) template.CreatedById = this.adminUserId;
    if (obj.fields.has('lastmodifiedbyid') && this.adminUserId) template.LastModifiedById = this.adminUserId;
    type Column = { name: string; convert: (v: unknown) => unknown } | null;
    const columns = new Map<string, Column>();
    const column = (k: string): Column => {
      let c = columns.get(k);
      if (c === undefined) {
        if (k === 'Id' || k === 'attributes') c = null;
        else {
          const f = obj.fields.get(k.toLowerCase());
          if (!f) throw new Error(`unknown field ${objectName}.${k}`);
          c = { name: f.name, convert: converter(f) };
        }
        columns.set(k, c);
      }
      return c;
    };
    const out: Rec[] = new Array<Rec>(rows.length);
    const isUser = obj.name === 'User';
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i];
      const rec = { ...template } as Rec;
      rec.Id = row.Id ? to18(String(row.Id)) : this.ctx.ids.next(obj.keyPrefix);
      for (const k in row) {
        const c = column(k);
        if (c) rec[c.name] = c.convert(row[k]);
      }
      table.set(rec.Id, rec);
      out[i] = rec;
      if (isUser && rec.Username) this.registerUsername(rec);
    }
    return out;
  }

  public update(rec: Rec, values: Record<string, unknown>): void {
    const obj = this.schema.byKeyPrefix(rec.Id)!;
    for (const [k, v] of Object.entries(values)) {
      const f = obj.fields.get(k.toLowerCase());
      if (f) rec[f.name] = normalize(f, v);
    }
    if (obj.fields.has('lastmodifieddate')) rec.LastModifiedDate = Date.now();
    if (obj.fields.has('systemmodstamp')) rec.SystemModstamp = Date.now();
  }

  public remove(id: string): boolean {
    const obj = this.schema.byKeyPrefix(id);
    return obj ? this.table(obj.name).delete(to18(id)) : false;
  }

  /** lower-case names of the objects the API hides from the running user */
  public unreadable(): ReadonlySet<string> {
    return new Set(this.config.unreadableObjects.map((o) => o.toLowerCase()));
  }

  // ---- lookups ------------------------------------------------------------------------------

  public organization(): Rec {
    return this.all('Organization')[0];
  }

  public profileByName(name: string): Rec | undefined {
    return this.find('Profile', (p) => String(p.Name).toLowerCase() === name.toLowerCase());
  }

  public userLicenseByName(name: string): Rec | undefined {
    return this.find('UserLicense', (l) => String(l.Name).toLowerCase() === name.toLowerCase());
  }

  public pslByName(name: string): Rec | undefined {
    const n = name.toLowerCase();
    return this.find(
      'PermissionSetLicense',
      (l) => String(l.DeveloperName).toLowerCase() === n || String(l.MasterLabel).toLowerCase() === n,
    );
  }

  public permissionSetByName(name: string): Rec | undefined {
    return this.find(
      'PermissionSet',
      (p) => String(p.Name).toLowerCase() === name.toLowerCase() && !p.IsOwnedByProfile,
    );
  }

  public userByUsername(username: string): Rec | undefined {
    return this.find('User', (u) => String(u.Username).toLowerCase() === username.toLowerCase());
  }

  public userLicenseOfUser(user: Rec): Rec | undefined {
    const profile = this.get(user.ProfileId as string);
    return profile ? this.get(profile.UserLicenseId as string) : undefined;
  }

  public setupEntityId(type: string, name: string, prefix: string): string {
    const key = `${type}:${name.toLowerCase()}`;
    let id = this.setupEntityIds.get(key);
    if (!id) {
      id = this.ctx.ids.next(prefix);
      this.setupEntityIds.set(key, id);
    }
    return id;
  }

  /** Keeps UsedLicenses true: active users per user license, assignments per permission set license. */
  public recountLicenses(): void {
    const usedByLicense = new Map<string, number>();
    for (const u of this.table('User').values()) {
      if (!u.IsActive) continue;
      const lic = this.userLicenseOfUser(u);
      if (lic) usedByLicense.set(lic.Id, (usedByLicense.get(lic.Id) ?? 0) + 1);
    }
    for (const l of this.table('UserLicense').values()) {
      l.UsedLicenses = usedByLicense.get(l.Id) ?? 0;
      l.UsedLicensesLastUpdated = Date.now();
    }
    const usedByPsl = new Map<string, number>();
    for (const a of this.table('PermissionSetLicenseAssign').values()) {
      usedByPsl.set(a.PermissionSetLicenseId as string, (usedByPsl.get(a.PermissionSetLicenseId as string) ?? 0) + 1);
    }
    for (const l of this.table('PermissionSetLicense').values()) l.UsedLicenses = usedByPsl.get(l.Id) ?? 0;
  }

  public registerUsername(user: Rec): void {
    this.ctx.usernames.set(String(user.Username).toLowerCase(), { orgId: this.id, userId: user.Id });
  }

  public usernameTaken(username: string, exceptUserId?: string): boolean {
    const hit = this.ctx.usernames.get(username.toLowerCase());
    return !!hit && hit.userId !== exceptUserId;
  }
}

/** normalize() for one field, with the 18-char form of repeated ids remembered (bulk inserts). */
function converter(f: FieldDef): (v: unknown) => unknown {
  if (f.type !== 'reference' && f.type !== 'id') return (v) => normalize(f, v);
  const seen = new Map<string, string>();
  return (v) => {
    if (v === null || v === undefined) return null;
    const s = String(v);
    let id = seen.get(s);
    if (id === undefined) {
      id = to18(s);
      if (seen.size < 100_000) seen.set(s, id);
    }
    return id;
  };
}

export function normalize(f: FieldDef, v: unknown): unknown {
  if (v === null || v === undefined) return f.type === 'boolean' ? false : null;
  switch (f.type) {
    case 'boolean':
      return v === true || v === 'true' || v === 1;
    case 'int':
    case 'long':
    case 'double':
    case 'currency':
      return typeof v === 'number' ? v : Number(v);
    case 'datetime':
      return typeof v === 'number' ? v : parseDateTime(String(v));
    case 'date':
      return typeof v === 'number' ? new Date(v).toISOString().slice(0, 10) : String(v).slice(0, 10);
    case 'reference':
    case 'id':
      return to18(String(v));
    default:
      return String(v);
  }
}

export function parseDateTime(s: string): number {
  // Salesforce writes +0000; Date.parse wants +00:00 (checked by hand: this runs once per seeded row)
  const n = s.length;
  const sign = n > 5 ? s.charCodeAt(n - 5) : 0;
  const offset = (sign === 43 || sign === 45) && s.charCodeAt(n - 3) !== 58;
  const t = Date.parse(offset ? s.replace(/([+-]\d\d)(\d\d)$/, '$1:$2') : s);
  if (Number.isNaN(t)) throw new Error(`bad datetime ${s}`);
  return t;
}

export function formatDateTime(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+0000');
}
