/**
 * The sObject schema an emulated org knows: every object of Salesforce's schema data (reference-data.ts) with its
 * fields, relationships and child relationships and the API version each appears in, shaped by the emulator's
 * rules (schema-rules.ts), plus the seed's custom objects and fields. Names keep Salesforce's spelling; lookups
 * are case-insensitive. What a request sees depends on its API version (`*At` methods).
 */
import { referenceSObjects, type RefObject } from './reference-data.js';
import {
  BASELINE_VERSION,
  FULL_NAME_OBJECTS,
  KEY_PREFIXES,
  NOT_PERMISSIONABLE,
  OBJECT_ACCESS,
  POLYMORPHIC_TARGETS,
  READ_ONLY_FIELDS,
  REQUIRED_STANDARD_FIELDS,
  SYSTEM_FIELDS,
  TYPE_REFINEMENTS,
} from './schema-rules.js';

export { REQUIRED_STANDARD_FIELDS } from './schema-rules.js';

export type FieldType =
  | 'id'
  | 'string'
  | 'textarea'
  | 'email'
  | 'picklist'
  | 'boolean'
  | 'int'
  | 'long'
  | 'double'
  | 'currency'
  | 'date'
  | 'datetime'
  | 'reference'
  | 'address'
  | 'location'
  | 'base64'
  | 'anyType';

export type FieldDef = {
  name: string;
  type: FieldType;
  label: string;
  custom: boolean;
  createable: boolean;
  updateable: boolean;
  nillable: boolean;
  /**
   * whether field-level security applies (describe `permissionable`): false for required fields (the object's
   * access grants them) and system fields, which permission sets and profiles can't name
   */
  permissionable: boolean;
  /** first API version that has it (undefined: every version, e.g. custom fields) */
  since?: string;
  /** required on create: a standard required field, a custom field seeded required, a master-detail field */
  required?: boolean;
  /** a formula field (describe `calculated`): readable, never createable or updateable */
  formula?: boolean;
  /** lookup targets; ['*'] for a polymorphic lookup to any object */
  referenceTo?: string[];
  relationshipName?: string;
  /** first API version of the relationship (when later than the field's) */
  relationshipSince?: string;
  /** computed on read (e.g. User.Name), never stored */
  computed?: (rec: Record<string, unknown>) => unknown;
};

export type ChildRelationship = { relationshipName: string; childSObject: string; field: string; since?: string };

export type ObjectDef = {
  name: string;
  label: string;
  keyPrefix: string;
  custom: boolean;
  since?: string;
  /** only on the tooling endpoint */
  toolingOnly?: boolean;
  fields: Map<string, FieldDef>; // lower-case name -> def
  relationships: Map<string, FieldDef>; // lower-case relationship name -> reference field
  children: Map<string, ChildRelationship>;
  createable: boolean;
  updateable: boolean;
  deletable: boolean;
};

export const OBJECT_PERMISSION_FIELDS = [
  'PermissionsCreate',
  'PermissionsRead',
  'PermissionsEdit',
  'PermissionsDelete',
  'PermissionsViewAllRecords',
  'PermissionsModifyAllRecords',
  'PermissionsViewAllFields',
] as const;

/** Whether something first seen at `since` exists at API `version` (no version: in-process access sees all). */
export function availableAt(since: string | undefined, version: string | undefined): boolean {
  if (!since || !version) return true;
  const s = Number(since);
  return s <= BASELINE_VERSION || s <= Number(version);
}

function labelOf(name: string): string {
  return name
    .replace(/__c$/, '')
    .replace(/_/g, ' ')
    .replace(/Id$/, ' ID')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .trim();
}

const DATA_TYPES: Record<string, FieldType> = {
  Boolean: 'boolean',
  String: 'string',
  Datetime: 'datetime',
  Date: 'date',
  Decimal: 'double',
  Integer: 'int',
  Long: 'long',
  Address: 'address',
  Location: 'location',
  Blob: 'base64',
  Object: 'anyType',
};

const PERMISSION_OBJECTS = ['PermissionSet', 'Profile', 'MutingPermissionSet'];

export type CustomObjectSeed = { name: string; label?: string; fields?: CustomFieldSeed[] };
export type CustomFieldSeed = {
  name: string;
  type?: FieldType;
  label?: string;
  referenceTo?: string;
  relationshipName?: string;
  /** required on create (not nillable): not permissionable */
  required?: boolean;
  /** a formula field: calculated, read-only */
  formula?: boolean;
  /** a master-detail field (type reference) on the child: required, not permissionable */
  masterDetail?: boolean;
};

const B62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

export class Schema {
  public readonly objects = new Map<string, ObjectDef>();
  /** user permission names (PermissionSet.Permissions* fields of the data, plus the seed's extra ones), sorted */
  public readonly userPermissions: readonly string[];
  private readonly byPrefix = new Map<string, ObjectDef>();
  private customPrefixCounter = 0;
  private emulatorPrefixCounter = 0;

  public constructor(extraUserPermissions: readonly string[] = []) {
    // the standard objects are built once per process; each org gets its own maps (custom fields, extra
    // permissions) over the shared, never-changed field definitions
    for (const def of standardObjects().values()) {
      const own: ObjectDef = {
        ...def,
        fields: new Map(def.fields),
        relationships: new Map(def.relationships),
        children: new Map(def.children),
      };
      this.objects.set(def.name.toLowerCase(), own);
      this.byPrefix.set(def.keyPrefix, own);
    }
    const perms = new Map<string, string>();
    for (const f of this.objects.get('permissionset')!.fields.values()) {
      if (f.name.startsWith('Permissions')) perms.set(f.name.slice(11).toLowerCase(), f.name.slice(11));
    }
    // a seed's org may have permissions of features the data's orgs lacked: they exist at every version
    for (const p of extraUserPermissions) {
      if (perms.has(p.toLowerCase())) continue;
      perms.set(p.toLowerCase(), p);
      for (const o of PERMISSION_OBJECTS) this.addPlainField(o, `Permissions${p}`, 'boolean');
      this.addPlainField('PermissionSetLicense', `MaximumPermissions${p}`, 'boolean');
    }
    this.userPermissions = [...perms.values()].sort();
  }

  /** Builds the standard objects from the data and the rules (once: see standardObjects()). */
  public static fromData(): Schema {
    const schema = Object.create(Schema.prototype) as Schema;
    Object.assign(schema, {
      objects: new Map(),
      byPrefix: new Map(),
      customPrefixCounter: 0,
      emulatorPrefixCounter: 0,
      userPermissions: [],
    });
    const data = referenceSObjects();
    for (const [name, ref] of Object.entries(data)) schema.addStandardObject(name, ref);
    for (const [name, ref] of Object.entries(data)) schema.addChildren(name, ref);
    for (const o of FULL_NAME_OBJECTS) {
      const f = schema.objects.get(o.toLowerCase())?.fields.get('name');
      if (f) {
        f.computed = fullName;
        f.permissionable = false;
      }
    }
    for (const [object, names] of Object.entries(REQUIRED_STANDARD_FIELDS)) {
      for (const n of names) markRequired(schema.objects.get(object.toLowerCase())!.fields.get(n.toLowerCase())!);
    }
    return schema;
  }

  public get(name: string): ObjectDef | undefined {
    return this.objects.get(name.toLowerCase());
  }

  /** The object as a request at `version` sees it (undefined when it doesn't exist yet). */
  public objectAt(name: string, version: string | undefined): ObjectDef | undefined {
    const o = this.get(name);
    return o && availableAt(o.since, version) ? o : undefined;
  }

  public fieldAt(obj: ObjectDef, name: string, version: string | undefined): FieldDef | undefined {
    const f = obj.fields.get(name.toLowerCase());
    return f && availableAt(f.since, version) ? f : undefined;
  }

  public fieldsAt(obj: ObjectDef, version: string | undefined): FieldDef[] {
    return [...obj.fields.values()].filter((f) => availableAt(f.since, version));
  }

  public relationshipAt(obj: ObjectDef, name: string, version: string | undefined): FieldDef | undefined {
    const f = obj.relationships.get(name.toLowerCase());
    return f && availableAt(f.since, version) && availableAt(f.relationshipSince, version) ? f : undefined;
  }

  public childAt(obj: ObjectDef, name: string, version: string | undefined): ChildRelationship | undefined {
    const c = obj.children.get(name.toLowerCase());
    return c && availableAt(c.since, version) && this.objectAt(c.childSObject, version) ? c : undefined;
  }

  public byKeyPrefix(id: string): ObjectDef | undefined {
    return this.byPrefix.get(id.slice(0, 3));
  }

  public addCustomObject(seed: CustomObjectSeed): ObjectDef {
    const existing = this.get(seed.name);
    if (existing) {
      for (const f of seed.fields ?? []) this.addCustomField(existing.name, f);
      return existing;
    }
    this.customPrefixCounter += 1;
    const prefix = `a${B62[Math.floor(this.customPrefixCounter / 62) % 62]}${B62[this.customPrefixCounter % 62]}`;
    const def = this.newObject(seed.name, seed.label ?? labelOf(seed.name), prefix, seed.name.endsWith('__c'), {});
    this.addPlainField(def.name, 'Id', 'id');
    this.addPlainField(def.name, 'Name', 'string');
    const owner = this.addPlainField(def.name, 'OwnerId', 'reference');
    owner.referenceTo = ['User'];
    owner.relationshipName = 'Owner';
    def.relationships.set('owner', owner);
    for (const [n, t] of [
      ['CreatedDate', 'datetime'],
      ['CreatedById', 'reference'],
      ['LastModifiedDate', 'datetime'],
      ['LastModifiedById', 'reference'],
      ['SystemModstamp', 'datetime'],
      ['IsDeleted', 'boolean'],
    ] as const) {
      const f = this.addPlainField(def.name, n, t);
      if (t === 'reference') {
        f.referenceTo = ['User'];
        f.relationshipName = n.replace(/Id$/, '');
        def.relationships.set(f.relationshipName.toLowerCase(), f);
      }
    }
    markRequired(def.fields.get('name')!);
    for (const f of seed.fields ?? []) this.addCustomField(def.name, f);
    return def;
  }

  public addCustomField(objectName: string, seed: CustomFieldSeed): FieldDef {
    const obj = this.get(objectName);
    if (!obj) throw new Error(`unknown object ${objectName}`);
    const type = seed.type ?? 'string';
    const def: FieldDef = {
      name: seed.name,
      type,
      label: seed.label ?? labelOf(seed.name),
      custom: seed.name.endsWith('__c'),
      createable: !seed.formula,
      updateable: !seed.formula,
      nillable: type !== 'boolean',
      permissionable: true,
    };
    if (seed.formula) def.formula = true;
    else if (seed.required || seed.masterDetail) markRequired(def);
    if (type === 'reference') {
      def.referenceTo = [seed.referenceTo ?? 'Account'];
      def.relationshipName = seed.relationshipName ?? seed.name.replace(/__c$/, '__r');
      obj.relationships.set(def.relationshipName.toLowerCase(), def);
    }
    obj.fields.set(seed.name.toLowerCase(), def);
    return def;
  }

  // ---- building from the data ---------------------------------------------------------------------

  private addStandardObject(name: string, ref: RefObject): void {
    let prefix = KEY_PREFIXES[name];
    if (!prefix) {
      this.emulatorPrefixCounter += 1;
      prefix = `z${B62[Math.floor(this.emulatorPrefixCounter / 62) % 62]}${B62[this.emulatorPrefixCounter % 62]}`;
    }
    if (this.byPrefix.has(prefix))
      throw new Error(`key prefix ${prefix} of ${name} is already ${this.byPrefix.get(prefix)!.name}'s`);
    const def = this.newObject(name, labelOf(name), prefix, false, { since: ref.since, toolingOnly: ref.tooling });
    const access = OBJECT_ACCESS[name];
    const readOnly = new Set((READ_ONLY_FIELDS[name] ?? []).map((f) => f.toLowerCase()));
    for (const [fname, rf] of Object.entries(ref.fields)) {
      const lower = fname.toLowerCase();
      const type: FieldType =
        (TYPE_REFINEMENTS[`${name}.${fname}`] as FieldType | undefined) ??
        (rf.type === 'Id' ? (fname === 'Id' ? 'id' : 'reference') : (DATA_TYPES[rf.type] ?? 'string'));
      const fixed = access === 'read' || access === 'delete' || SYSTEM_FIELDS.has(lower) || readOnly.has(lower);
      def.fields.set(lower, {
        name: fname,
        type,
        label: labelOf(fname),
        custom: fname.endsWith('__c'),
        createable: !fixed,
        updateable: !fixed && access !== 'noUpdate',
        nillable: type !== 'boolean' && type !== 'id',
        permissionable: !SYSTEM_FIELDS.has(lower) && !NOT_PERMISSIONABLE.has(lower),
        since: rf.since,
      });
    }
    for (const [rel, link] of Object.entries(ref.relationships)) {
      const field = def.fields.get((rel.endsWith('__r') ? `${rel.slice(0, -3)}__c` : `${rel}Id`).toLowerCase());
      if (!field) continue;
      field.relationshipName = rel;
      if (Number(link.since) > Number(field.since ?? 0)) field.relationshipSince = link.since;
      field.referenceTo =
        link.sObject === 'Name' || link.sObject === 'SObject'
          ? (POLYMORPHIC_TARGETS[`${name}.${rel}`] ?? POLYMORPHIC_TARGETS[rel] ?? ['*'])
          : [link.sObject];
      def.relationships.set(rel.toLowerCase(), field);
    }
  }

  /** Child relationships: the child's lookup to this object (the one named like it when several). */
  private addChildren(name: string, ref: RefObject): void {
    const parent = this.get(name)!;
    for (const [rel, link] of Object.entries(ref.childRelationships)) {
      const child = this.get(link.sObject);
      if (!child) continue; // an object the emulator doesn't serve
      const lookups = [...child.relationships.values()].filter((f) => f.referenceTo?.includes(name));
      const field =
        lookups.find((f) => f.relationshipName === name || f.relationshipName === 'Parent') ??
        lookups.find((f) => !/^(CreatedBy|LastModifiedBy)$/.test(f.relationshipName ?? '')) ??
        lookups[0];
      if (!field) continue;
      parent.children.set(rel.toLowerCase(), {
        relationshipName: rel,
        childSObject: child.name,
        field: field.name,
        since: link.since,
      });
    }
  }

  private addPlainField(objectName: string, name: string, type: FieldType): FieldDef {
    const obj = this.get(objectName)!;
    const lower = name.toLowerCase();
    const access = OBJECT_ACCESS[obj.name];
    const fixed = SYSTEM_FIELDS.has(lower) || access === 'read' || access === 'delete';
    const def: FieldDef = {
      name,
      type,
      label: labelOf(name),
      custom: name.endsWith('__c'),
      createable: !fixed,
      updateable: !fixed && access !== 'noUpdate',
      nillable: type !== 'boolean' && type !== 'id',
      permissionable: !SYSTEM_FIELDS.has(lower) && !NOT_PERMISSIONABLE.has(lower),
    };
    obj.fields.set(lower, def);
    return def;
  }

  private newObject(
    name: string,
    label: string,
    keyPrefix: string,
    custom: boolean,
    extra: { since?: string; toolingOnly?: boolean },
  ): ObjectDef {
    const access = OBJECT_ACCESS[name];
    const def: ObjectDef = {
      name,
      label,
      keyPrefix,
      custom,
      since: extra.since,
      toolingOnly: extra.toolingOnly,
      fields: new Map(),
      relationships: new Map(),
      children: new Map(),
      createable: access !== 'read' && access !== 'delete' && access !== 'updateOnly',
      updateable: access !== 'read' && access !== 'delete' && access !== 'noUpdate',
      deletable: access !== 'read' && access !== 'noDelete' && access !== 'updateOnly',
    };
    this.objects.set(name.toLowerCase(), def);
    this.byPrefix.set(keyPrefix, def);
    return def;
  }
}

let standard: Map<string, ObjectDef> | undefined;
function standardObjects(): Map<string, ObjectDef> {
  standard ??= Schema.fromData().objects;
  return standard;
}

function markRequired(f: FieldDef): void {
  f.required = true;
  f.nillable = false;
  f.permissionable = false;
}

function fullName(rec: Record<string, unknown>): string {
  return [rec.FirstName, rec.LastName].filter((v) => typeof v === 'string' && v).join(' ');
}
