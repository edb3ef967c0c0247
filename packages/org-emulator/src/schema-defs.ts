/** Object and field definitions as the emulator's rules shape them (access, system fields, labels, key prefixes). */
import { NOT_PERMISSIONABLE, OBJECT_ACCESS, SYSTEM_FIELDS } from './schema-rules.js';
import type { FieldDef, FieldType, ObjectDef } from './schema.js';

const B62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** The n-th key prefix of a series: the letter, then two base-62 digits. */
export function keyPrefix(letter: string, n: number): string {
  return `${letter}${B62[Math.floor(n / 62) % 62]}${B62[n % 62]}`;
}

export function labelOf(name: string): string {
  return name
    .replace(/__c$/, '')
    .replace(/_/g, ' ')
    .replace(/Id$/, ' ID')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .trim();
}

/** An object with no fields yet; what it allows (create, update, delete) follows the object's access rule. */
export function objectDef(
  name: string,
  label: string,
  prefix: string,
  custom: boolean,
  extra: { since?: string; toolingOnly?: boolean },
): ObjectDef {
  const access = OBJECT_ACCESS[name];
  return {
    name,
    label,
    keyPrefix: prefix,
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
}

/** A field of an object: writable unless a system field, read-only by rule, or on a read-only object. */
export function fieldDef(objectName: string, name: string, type: FieldType, readOnly = false): FieldDef {
  const lower = name.toLowerCase();
  const access = OBJECT_ACCESS[objectName];
  const fixed = access === 'read' || access === 'delete' || SYSTEM_FIELDS.has(lower) || readOnly;
  return {
    name,
    type,
    label: labelOf(name),
    custom: name.endsWith('__c'),
    createable: !fixed,
    updateable: !fixed && access !== 'noUpdate',
    nillable: type !== 'boolean' && type !== 'id',
    permissionable: !SYSTEM_FIELDS.has(lower) && !NOT_PERMISSIONABLE.has(lower),
  };
}

/** Required on create: never null, and not permissionable (the object's access grants it). */
export function markRequired(f: FieldDef): void {
  f.required = true;
  f.nillable = false;
  f.permissionable = false;
}
