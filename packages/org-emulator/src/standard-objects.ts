/**
 * The standard objects, built once per process from Salesforce's schema data (reference-data.ts) and the
 * emulator's rules (schema-rules.ts): fields with their types and versions, lookups, child relationships,
 * compound names and required fields. Each org's Schema copies the maps and shares the definitions.
 */
import { referenceSObjects, type RefObject } from './reference-data.js';
import {
  FULL_NAME_OBJECTS,
  KEY_PREFIXES,
  POLYMORPHIC_TARGETS,
  READ_ONLY_FIELDS,
  REQUIRED_STANDARD_FIELDS,
  TYPE_REFINEMENTS,
} from './schema-rules.js';
import { fieldDef, keyPrefix, labelOf, markRequired, objectDef } from './schema-defs.js';
import type { FieldType, ObjectDef } from './schema.js';

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

let standard: Map<string, ObjectDef> | undefined;

/** The standard objects by lower-case name (never changed after they are built). */
export function standardObjects(): ReadonlyMap<string, ObjectDef> {
  standard ??= buildStandardObjects();
  return standard;
}

function buildStandardObjects(): Map<string, ObjectDef> {
  const objects = new Map<string, ObjectDef>();
  const byPrefix = new Map<string, ObjectDef>();
  let emulatorPrefixes = 0;
  const data = referenceSObjects();
  for (const [name, ref] of Object.entries(data)) {
    // objects without a known key prefix get one of the emulator's own (z..)
    const prefix = KEY_PREFIXES[name] || keyPrefix('z', ++emulatorPrefixes);
    if (byPrefix.has(prefix))
      throw new Error(`key prefix ${prefix} of ${name} is already ${byPrefix.get(prefix)!.name}'s`);
    const def = standardObject(name, ref, prefix);
    objects.set(name.toLowerCase(), def);
    byPrefix.set(prefix, def);
  }
  for (const [name, ref] of Object.entries(data)) addChildren(objects, name, ref);
  for (const o of FULL_NAME_OBJECTS) {
    const f = objects.get(o.toLowerCase())?.fields.get('name');
    if (f) {
      f.computed = fullName;
      f.permissionable = false;
    }
  }
  for (const [object, names] of Object.entries(REQUIRED_STANDARD_FIELDS)) {
    for (const n of names) markRequired(objects.get(object.toLowerCase())!.fields.get(n.toLowerCase())!);
  }
  return objects;
}

function standardObject(name: string, ref: RefObject, prefix: string): ObjectDef {
  const def = objectDef(name, labelOf(name), prefix, false, { since: ref.since, toolingOnly: ref.tooling });
  const readOnly = new Set((READ_ONLY_FIELDS[name] ?? []).map((f) => f.toLowerCase()));
  for (const [fname, rf] of Object.entries(ref.fields)) {
    const type: FieldType =
      (TYPE_REFINEMENTS[`${name}.${fname}`] as FieldType | undefined) ??
      (rf.type === 'Id' ? (fname === 'Id' ? 'id' : 'reference') : (DATA_TYPES[rf.type] ?? 'string'));
    const lower = fname.toLowerCase();
    def.fields.set(lower, { ...fieldDef(name, fname, type, readOnly.has(lower)), since: rf.since });
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
  return def;
}

/** Child relationships: the child's lookup to this object (the one named like it when several). */
function addChildren(objects: Map<string, ObjectDef>, name: string, ref: RefObject): void {
  const parent = objects.get(name.toLowerCase())!;
  for (const [rel, link] of Object.entries(ref.childRelationships)) {
    const child = objects.get(link.sObject.toLowerCase());
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

function fullName(rec: Record<string, unknown>): string {
  return [rec.FirstName, rec.LastName].filter((v) => typeof v === 'string' && v).join(' ');
}
