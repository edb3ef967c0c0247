/**
 * Profile metadata <-> the org: user permissions live on the Profile and its owned PermissionSet, object and
 * field permissions as ObjectPermissions/FieldPermissions rows of that set; every other element (tabs, layouts,
 * classes, login hours ...) is kept as XML so a retrieve returns what the org holds.
 */
import { XMLBuilder } from 'fast-xml-parser';
import { escapeXml as esc, orderedXmlParser, textOf, type XmlNode } from './xml.js';
import { OBJECT_PERMISSION_FIELDS } from './schema.js';
import type { OrgState, ProfileMeta, Rec } from './state.js';
import { LICENSE_NAMES } from './state.js';
import { syncProfileRecords } from './profile-records.js';
import { NS, schemaVersions, sequenceOf } from './metadata-schema.js';
import { fieldText } from './field-text.js';

/** Profile's elements in schema order at an API version (from metadata-types.json), fullName and module left out. */
const profileSequence = (version: string): string[] =>
  sequenceOf('Profile', version)
    .map((e) => e.name)
    .filter((n) => n !== 'fullName' && n !== 'module');
const NEWEST = schemaVersions().newest;
const RECORD_BACKED = new Set(['fieldPermissions', 'objectPermissions', 'userPermissions', 'userLicense']);
const PROFILE_FILE_NAMES: Record<string, string> = { 'System Administrator': 'Admin', 'Standard User': 'Standard' };

export function profileFullName(p: Rec): string {
  return PROFILE_FILE_NAMES[String(p.Name)] ?? String(p.Name);
}

export type ProfileDoc = {
  userLicense?: string;
  custom?: boolean;
  userPermissions: Array<{ name: string; enabled: boolean }>;
  objectPermissions: Array<Record<string, string>>;
  fieldPermissions: Array<Record<string, string>>;
  /** other elements as XML, by element name */
  raw: Map<string, string[]>;
};

type Node = XmlNode;
const parser = orderedXmlParser();
const builder = new XMLBuilder({ preserveOrder: true });

const nameOf = (n: Node): string | undefined => Object.keys(n).find((k) => k !== ':@' && k !== '#text');

function flat(content: Node[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const c of content) {
    const n = nameOf(c);
    if (n) out[n] = textOf(c[n]);
  }
  return out;
}

/** Parses a .profile file; element names outside the Profile type fail like the Metadata API does. */
export function parseProfileXml(xml: string): ProfileDoc {
  const tree = parser.parse(xml) as Node[];
  const root = tree.find((n) => nameOf(n) === 'Profile');
  if (!root) throw new Error('Error parsing file: root element must be Profile');
  const doc: ProfileDoc = { userPermissions: [], objectPermissions: [], fieldPermissions: [], raw: new Map() };
  for (const child of root.Profile as Node[]) {
    const name = nameOf(child);
    if (!name) continue;
    if (name === 'fullName') continue;
    if (!profileSequence(NEWEST).includes(name))
      throw new Error(`Error parsing file: Element ${NS}${name} invalid at this location in type Profile`);
    const content = child[name] as Node[];
    if (name === 'userLicense') doc.userLicense = textOf(content);
    else if (name === 'custom') doc.custom = textOf(content) === 'true';
    else if (name === 'userPermissions') {
      const e = flat(content);
      doc.userPermissions.push({ name: e.name, enabled: e.enabled === 'true' });
    } else if (name === 'objectPermissions') doc.objectPermissions.push(flat(content));
    else if (name === 'fieldPermissions') doc.fieldPermissions.push(flat(content));
    else {
      const list = doc.raw.get(name) ?? [];
      list.push(builder.build([child]));
      doc.raw.set(name, list);
    }
  }
  return doc;
}

/** Objects, fields and user permissions a profile refers to (to give a seeded org the schema the profile came from). */
export function profileReferences(doc: ProfileDoc): {
  objects: Set<string>;
  fields: Set<string>;
  userPermissions: Set<string>;
} {
  const objects = new Set<string>(doc.objectPermissions.map((o) => o.object).filter(Boolean));
  const fields = new Set<string>(doc.fieldPermissions.map((f) => f.field).filter(Boolean));
  for (const f of fields) objects.add(f.split('.')[0]);
  return { objects, fields, userPermissions: new Set(doc.userPermissions.map((u) => u.name)) };
}

const OBJ_MAP: Record<string, (typeof OBJECT_PERMISSION_FIELDS)[number]> = {
  allowCreate: 'PermissionsCreate',
  allowRead: 'PermissionsRead',
  allowEdit: 'PermissionsEdit',
  allowDelete: 'PermissionsDelete',
  viewAllRecords: 'PermissionsViewAllRecords',
  modifyAllRecords: 'PermissionsModifyAllRecords',
  viewAllFields: 'PermissionsViewAllFields',
};

/**
 * Applies a profile document. `replace` (seeding) makes the document the profile's whole content;
 * otherwise (deploy) only what the file mentions changes, as Profile deploys do.
 */
export function applyProfile(org: OrgState, profile: Rec, doc: ProfileDoc, replace: boolean): void {
  const ps = org.find('PermissionSet', (p) => p.ProfileId === profile.Id)!;
  const perms: Record<string, unknown> = {};
  if (replace) for (const p of org.schema.userPermissions) perms[`Permissions${p}`] = false;
  const permNames = new Map(org.schema.userPermissions.map((p) => [p.toLowerCase(), p]));
  for (const up of doc.userPermissions) {
    const name = permNames.get(up.name.toLowerCase());
    if (name) perms[`Permissions${name}`] = up.enabled;
  }
  org.update(profile, perms);
  org.update(ps, perms);
  if (replace) {
    for (const t of ['ObjectPermissions', 'FieldPermissions'])
      for (const r of org.filter(t, (x) => x.ParentId === ps.Id)) org.remove(r.Id);
  }
  const stored: ProfileMeta = org.profileMeta.get(profile.Id) ?? {
    raw: new Map(),
    zeroObjects: new Set(),
    zeroFields: new Set(),
  };
  if (replace) {
    stored.zeroObjects.clear();
    stored.zeroFields.clear();
  }
  // existing rows of the set by lower-case name, and new rows gathered for one bulk insert (a large profile
  // has tens of thousands of entries: one table scan, not one per entry); a name repeated in the file acts on
  // the row its first mention created, as inserting one by one would
  const objects = childIndex(org, 'ObjectPermissions', ps.Id, 'SobjectType');
  for (const op of doc.objectPermissions) {
    const values: Record<string, unknown> = {
      ParentId: ps.Id,
      SobjectType: org.schema.get(op.object)?.name ?? op.object,
    };
    for (const [k, f] of Object.entries(OBJ_MAP)) values[f] = op[k] === 'true';
    const any = Object.keys(OBJ_MAP).some((k) => op[k] === 'true');
    // a profile lists objects it grants nothing on; keep them for retrieve
    if (any) stored.zeroObjects.delete(String(values.SobjectType));
    else stored.zeroObjects.add(String(values.SobjectType));
    objects.put(op.object.toLowerCase(), any ? values : undefined);
  }
  objects.flush();
  const fields = childIndex(org, 'FieldPermissions', ps.Id, 'Field');
  for (const fp of doc.fieldPermissions) {
    const values = {
      ParentId: ps.Id,
      SobjectType: fp.field.split('.')[0],
      Field: fp.field,
      PermissionsRead: fp.readable === 'true',
      PermissionsEdit: fp.editable === 'true',
    };
    const any = values.PermissionsRead || values.PermissionsEdit;
    if (any) stored.zeroFields.delete(fp.field);
    else stored.zeroFields.add(fp.field);
    fields.put(fp.field.toLowerCase(), any ? values : undefined);
  }
  fields.flush();
  if (replace) stored.raw = new Map(doc.raw);
  else for (const [k, v] of doc.raw) stored.raw.set(k, v);
  if (doc.custom !== undefined) stored.custom = doc.custom;
  org.profileMeta.set(profile.Id, stored);
  // classes, pages, apps, tabs ... as SetupEntityAccess / PermissionSetTabSetting rows of the profile's set
  syncProfileRecords(org, profile);
}

/**
 * The child rows of one permission set keyed by a lower-cased name field: `put` updates or removes an existing row
 * (undefined = remove) or queues a new one; `flush` inserts the queued rows in one insertMany.
 */
function childIndex(
  org: OrgState,
  object: string,
  parentId: string,
  nameField: string,
): { put: (name: string, values: Record<string, unknown> | undefined) => void; flush: () => void } {
  // a name can have more than one row (rows created through the API are not deduplicated): the first is used
  const existing = new Map<string, Rec[]>();
  for (const r of org.table(object).values()) {
    if (r.ParentId === parentId) {
      const k = String(r[nameField]).toLowerCase();
      const list = existing.get(k);
      if (list) list.push(r);
      else existing.set(k, [r]);
    }
  }
  const pending = new Map<string, Record<string, unknown>>();
  return {
    put: (name, values): void => {
      const rows = existing.get(name);
      if (rows?.length) {
        if (values) org.update(rows[0], values);
        else org.remove(rows.shift()!.Id);
      } else if (values) pending.set(name, values);
      else pending.delete(name);
    },
    flush: (): void => {
      if (pending.size) org.insertMany(object, [...pending.values()]);
      pending.clear();
    },
  };
}

/** The profile's metadata body in schema order (without the root element). */
export function profileBody(org: OrgState, profile: Rec, withFullName: boolean, version = NEWEST): string {
  const ps = org.find('PermissionSet', (p) => p.ProfileId === profile.Id);
  const stored = org.profileMeta.get(profile.Id);
  const lic = org.get(profile.UserLicenseId as string);
  const parts: string[] = [];
  if (withFullName) parts.push(`<fullName>${esc(profileFullName(profile))}</fullName>`);
  const objectFields = new Set(sequenceOf('ProfileObjectPermissions', version).map((e) => e.name));
  for (const el of profileSequence(version)) {
    if (!RECORD_BACKED.has(el)) {
      if (el === 'custom') parts.push(`<custom>${String(stored?.custom ?? false)}</custom>`);
      else parts.push(...(stored?.raw.get(el) ?? []));
      continue;
    }
    if (!ps) continue;
    if (el === 'fieldPermissions') {
      const rows: Array<Record<string, unknown>> = org.filter('FieldPermissions', (x) => x.ParentId === ps.Id);
      for (const z of stored?.zeroFields ?? []) rows.push({ Field: z });
      for (const f of rows.sort((a, b) => String(a.Field).localeCompare(String(b.Field)))) {
        parts.push(
          `<fieldPermissions><editable>${String(f.PermissionsEdit === true)}</editable><field>${esc(String(f.Field))}</field><readable>${String(f.PermissionsRead === true)}</readable></fieldPermissions>`,
        );
      }
    } else if (el === 'objectPermissions') {
      const rows: Array<Record<string, unknown>> = org.filter('ObjectPermissions', (x) => x.ParentId === ps.Id);
      for (const z of stored?.zeroObjects ?? []) rows.push({ SobjectType: z });
      for (const o of rows.sort((a, b) => String(a.SobjectType).localeCompare(String(b.SobjectType)))) {
        const b = (f: string): string => String(o[f] === true);
        parts.push(
          `<objectPermissions><allowCreate>${b('PermissionsCreate')}</allowCreate><allowDelete>${b('PermissionsDelete')}</allowDelete><allowEdit>${b('PermissionsEdit')}</allowEdit><allowRead>${b('PermissionsRead')}</allowRead><modifyAllRecords>${b('PermissionsModifyAllRecords')}</modifyAllRecords><object>${esc(String(o.SobjectType))}</object>${objectFields.has('viewAllFields') ? `<viewAllFields>${b('PermissionsViewAllFields')}</viewAllFields>` : ''}<viewAllRecords>${b('PermissionsViewAllRecords')}</viewAllRecords></objectPermissions>`,
        );
      }
    } else if (el === 'userLicense') {
      parts.push(`<userLicense>${esc(fieldText(lic?.Name ?? LICENSE_NAMES.salesforce))}</userLicense>`);
    } else {
      for (const p of org.schema.userPermissions)
        if (ps[`Permissions${p}`] === true)
          parts.push(`<userPermissions><enabled>true</enabled><name>${esc(p)}</name></userPermissions>`);
    }
  }
  return parts.join('');
}
