/**
 * One emulated org's data: typed tables of records keyed by 18-char id, the org's schema and settings.
 * Values are stored normalised (datetime as epoch ms, ids in 18-char form) and formatted on output.
 */
import { randomBytes } from 'node:crypto';
import type { ProfileDoc } from './profiles.js';
import { IdFactory, looksLikeId, to18 } from './ids.js';
import type { ObjectDef, Schema } from './schema.js';
import type { EmulatorSeed, OrgType } from './seed.js';
import { syncDerivedRows } from './retire-objects.js';
import { configFromSeed, schemaFromSeed, type OrgConfig } from './org-config.js';
import { converter, normalize } from './record-values.js';
import { fieldText } from './field-text.js';

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
  public readonly seedProfileDocs: Map<string, ProfileDoc>;
  private readonly tables = new Map<string, Map<string, Rec>>();

  public constructor(
    public readonly ctx: ServerContext,
    public readonly seed: EmulatorSeed = {},
  ) {
    const { schema, profileDocs } = schemaFromSeed(seed);
    this.schema = schema;
    this.seedProfileDocs = profileDocs;
    ctx.orgCount += 1;
    this.id = ctx.ids.next('00D');
    this.accessToken = `${this.id}!AQ${randomBytes(24).toString('base64url').replace(/-/g, '.')}`;
    this.orgType = seed.type ?? 'production';
    this.config = configFromSeed(seed);
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
    const obj = this.objectOrThrow(objectName);
    const rec = this.newRecord(obj, values.Id ? to18(fieldText(values.Id)) : this.ctx.ids.next(obj.keyPrefix));
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
    const obj = this.objectOrThrow(objectName);
    const table = this.table(obj.name);
    const template = this.newRecord(obj, '');
    const column = columnConverters(obj, objectName);
    const out: Rec[] = new Array<Rec>(rows.length);
    const isUser = obj.name === 'User';
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i];
      const rec = { ...template };
      rec.Id = row.Id ? to18(fieldText(row.Id)) : this.ctx.ids.next(obj.keyPrefix);
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

  private objectOrThrow(objectName: string): ObjectDef {
    const obj = this.schema.get(objectName);
    if (!obj) throw new Error(`unknown object ${objectName}`);
    return obj;
  }

  /** A record with the values every new record has: booleans false, audit fields now / the admin. */
  private newRecord(obj: ObjectDef, id: string): Rec {
    const now = Date.now();
    const rec: Rec = { Id: id };
    for (const f of obj.fields.values()) if (f.type === 'boolean') rec[f.name] = false;
    if (obj.fields.has('createddate')) rec.CreatedDate = now;
    if (obj.fields.has('lastmodifieddate')) rec.LastModifiedDate = now;
    if (obj.fields.has('systemmodstamp')) rec.SystemModstamp = now;
    if (obj.fields.has('createdbyid') && this.adminUserId) rec.CreatedById = this.adminUserId;
    if (obj.fields.has('lastmodifiedbyid') && this.adminUserId) rec.LastModifiedById = this.adminUserId;
    return rec;
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

/** The stored name and converter of each column a bulk insert meets, resolved once (null: Id and attributes). */
function columnConverters(
  obj: ObjectDef,
  objectName: string,
): (k: string) => { name: string; convert: (v: unknown) => unknown } | null {
  type Column = { name: string; convert: (v: unknown) => unknown } | null;
  const columns = new Map<string, Column>();
  return (k) => {
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
}
