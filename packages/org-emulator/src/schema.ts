/**
 * The sObject schema an emulated org knows: every object of Salesforce's schema data (reference-data.ts) with its
 * fields, relationships and child relationships and the API version each appears in, shaped by the emulator's
 * rules (schema-rules.ts; built once: standard-objects.ts), plus the seed's custom objects and fields. Names keep Salesforce's spelling; lookups
 * are case-insensitive. What a request sees depends on its API version (`*At` methods).
 */
import { BASELINE_VERSION } from './schema-rules.js';
import { fieldDef, keyPrefix, labelOf, markRequired, objectDef } from './schema-defs.js';
import { standardObjects } from './standard-objects.js';

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

export class Schema {
  public readonly objects = new Map<string, ObjectDef>();
  /** user permission names (PermissionSet.Permissions* fields of the data, plus the seed's extra ones), sorted */
  public readonly userPermissions: readonly string[];
  private readonly byPrefix = new Map<string, ObjectDef>();
  private customPrefixCounter = 0;

  public constructor(extraUserPermissions: readonly string[] = []) {
    // the standard objects are built once per process; each org gets its own maps (custom fields, extra
    // permissions) over the shared, never-changed field definitions
    for (const def of standardObjects().values()) {
      this.register({
        ...def,
        fields: new Map(def.fields),
        relationships: new Map(def.relationships),
        children: new Map(def.children),
      });
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
    const prefix = keyPrefix('a', this.customPrefixCounter);
    const def = this.register(
      objectDef(seed.name, seed.label ?? labelOf(seed.name), prefix, seed.name.endsWith('__c'), {}),
    );
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

  private addPlainField(objectName: string, name: string, type: FieldType): FieldDef {
    const obj = this.get(objectName)!;
    const def = fieldDef(obj.name, name, type);
    obj.fields.set(name.toLowerCase(), def);
    return def;
  }

  private register(def: ObjectDef): ObjectDef {
    this.objects.set(def.name.toLowerCase(), def);
    this.byPrefix.set(def.keyPrefix, def);
    return def;
  }
}
