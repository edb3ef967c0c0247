/**
 * PermissionSet metadata <-> the org's records (PermissionSet, ObjectPermissions, FieldPermissions,
 * SetupEntityAccess). Deploy validates a document against the schema order and the org, then replaces the
 * permission set whole; retrieve renders it back.
 */
import { escapeXml as esc, orderedXmlParser, textOf } from './xml.js';
import { OBJECT_PERMISSION_FIELDS } from './schema.js';
import { NS, schemaVersions, sequenceOf } from './metadata-schema.js';
import type { OrgState, Rec } from './state.js';
import { writeSetupEntityRows } from './setup-entities.js';

export type PsDoc = {
  fullName: string;
  label: string;
  description?: string;
  license?: string;
  hasActivationRequired?: boolean;
  /** repeated sections by element name; entry values as they appear in XML */
  sections: Record<string, Array<Record<string, string>>>;
};

/** Records are rendered with every element the newest schema has, unless a request asks for an older version. */
const NEWEST = schemaVersions().newest;
const RECORD_SECTIONS = new Set(['userPermissions', 'objectPermissions', 'fieldPermissions']);

const OBJ_MAP: Array<[string, (typeof OBJECT_PERMISSION_FIELDS)[number]]> = [
  ['allowCreate', 'PermissionsCreate'],
  ['allowRead', 'PermissionsRead'],
  ['allowEdit', 'PermissionsEdit'],
  ['allowDelete', 'PermissionsDelete'],
  ['viewAllRecords', 'PermissionsViewAllRecords'],
  ['modifyAllRecords', 'PermissionsModifyAllRecords'],
  ['viewAllFields', 'PermissionsViewAllFields'],
];

export class ParseError extends Error {}

/**
 * Reads a .permissionset file the Metadata API schema has already accepted (metadata-schema.ts): single-valued
 * elements by name, repeated ones as entries of their fields' text.
 */
export function parsePermissionSetXml(xml: string, fullName: string): PsDoc {
  const parser = orderedXmlParser();
  let tree: Array<Record<string, unknown>>;
  try {
    tree = parser.parse(xml) as Array<Record<string, unknown>>;
  } catch (e) {
    throw new ParseError(`Error parsing file: ${(e as Error).message}`);
  }
  const rootNode = tree.find((n) => Object.keys(n).some((k) => k !== '?xml' && k !== '#text'));
  const rootName = rootNode ? Object.keys(rootNode).find((k) => k !== ':@')! : '';
  if (rootName !== 'PermissionSet')
    throw new ParseError(`Error parsing file: root element must be PermissionSet, found ${rootName || 'nothing'}`);
  const repeated = new Set(
    sequenceOf('PermissionSet', NEWEST)
      .filter((e) => e.maxOccurs !== '1')
      .map((e) => e.name),
  );
  const doc: PsDoc = { fullName, label: '', sections: {} };
  let sawLabel = false;
  for (const child of rootNode![rootName] as Array<Record<string, unknown>>) {
    const name = Object.keys(child).find((k) => k !== ':@');
    if (!name || name === '#text' || name === 'fullName') continue;
    const content = child[name] as Array<Record<string, unknown>>;
    if (!repeated.has(name)) {
      const text = textOf(content);
      if (name === 'label') {
        doc.label = text;
        sawLabel = true;
      } else if (name === 'description') doc.description = text;
      else if (name === 'license') doc.license = text;
      else if (name === 'hasActivationRequired') doc.hasActivationRequired = text === 'true';
      continue;
    }
    const entry: Record<string, string> = {};
    for (const sub of content) {
      const fname = Object.keys(sub).find((k) => k !== ':@');
      if (fname && fname !== '#text') entry[fname] = textOf(sub[fname]);
    }
    (doc.sections[name] ??= []).push(entry);
  }
  // label is the one required element of PermissionSet (minOccurs 1)
  if (!sawLabel) throw new ParseError(`Error parsing file: Element ${NS}label is required in type PermissionSet`);
  return doc;
}

const truthy = (v: string | undefined): boolean => v === 'true';

/** Problems Salesforce reports for a permission set against this org; empty when it would deploy. */
export function validatePermissionSet(org: OrgState, doc: PsDoc): string[] {
  const problems: string[] = [];
  if (doc.license && !org.pslByName(doc.license) && !org.userLicenseByName(doc.license)) {
    problems.push(`Unknown license: ${doc.license}`);
  }
  const known = new Set(org.schema.userPermissions.map((p) => p.toLowerCase()));
  for (const up of doc.sections.userPermissions ?? []) {
    if (!known.has((up.name ?? '').toLowerCase())) problems.push(`Unknown user permission: ${up.name}`);
  }
  for (const op of doc.sections.objectPermissions ?? []) {
    const obj = org.schema.get(op.object ?? '');
    if (!obj || obj.toolingOnly) {
      problems.push(`In field: object - no CustomObject named ${op.object} found`);
      continue;
    }
    problems.push(...objectPermissionDependencies(op, obj.name));
  }
  for (const fp of doc.sections.fieldPermissions ?? []) {
    const [objName, fieldName] = (fp.field ?? '').split('.');
    const obj = org.schema.get(objName ?? '');
    const field = fieldName ? obj?.fields.get(fieldName.toLowerCase()) : undefined;
    if (!field) {
      problems.push(`In field: field - no CustomField named ${fp.field} found`);
    } else if (!field.permissionable) {
      // required and system fields come with the object's access; naming one fails, whatever its values
      problems.push(`You cannot deploy to a required field: ${fp.field}`);
    } else if (truthy(fp.editable) && !truthy(fp.readable)) {
      problems.push(`Permission Edit ${fp.field} depends on permission(s): Read ${fp.field}`);
    }
  }
  return problems;
}

function objectPermissionDependencies(op: Record<string, string>, object: string): string[] {
  const has = (k: string): boolean => truthy(op[k]);
  const out: string[] = [];
  const need = (perm: string, reqs: Array<[string, string]>): void => {
    const missing = reqs.filter(([k]) => !has(k)).map(([, label]) => `${label} ${object}`);
    if (missing.length) out.push(`Permission ${perm} ${object} depends on permission(s): ${missing.join(', ')}`);
  };
  if (has('allowCreate')) need('Create', [['allowRead', 'Read']]);
  if (has('allowEdit')) need('Edit', [['allowRead', 'Read']]);
  if (has('allowDelete')) need('Delete', [['allowEdit', 'Edit']]);
  if (has('viewAllRecords')) need('View All', [['allowRead', 'Read']]);
  if (has('modifyAllRecords'))
    need('Modify All', [
      ['allowDelete', 'Delete'],
      ['viewAllRecords', 'View All'],
    ]);
  if (has('viewAllFields')) need('View All Fields', [['allowRead', 'Read']]);
  return out;
}

/** Creates or replaces (whole) the permission set described by doc; returns its record and whether it was new. */
export function applyPermissionSet(org: OrgState, doc: PsDoc): { rec: Rec; created: boolean } {
  const licenseRec = doc.license ? (org.pslByName(doc.license) ?? org.userLicenseByName(doc.license)) : undefined;
  let rec = org.permissionSetByName(doc.fullName);
  const created = !rec;
  const base: Record<string, unknown> = {
    Name: doc.fullName,
    Label: doc.label,
    Description: doc.description ?? null,
    LicenseId: licenseRec?.Id ?? null,
    HasActivationRequired: doc.hasActivationRequired ?? false,
  };
  for (const p of org.schema.userPermissions) base[`Permissions${p}`] = false;
  const permNames = new Map(org.schema.userPermissions.map((p) => [p.toLowerCase(), p]));
  for (const up of doc.sections.userPermissions ?? []) {
    const name = permNames.get((up.name ?? '').toLowerCase());
    if (name && truthy(up.enabled)) base[`Permissions${name}`] = true;
  }
  if (rec) org.update(rec, base);
  else rec = org.insert('PermissionSet', { ...base, IsCustom: true, IsOwnedByProfile: false, Type: 'Regular' });
  writeChildren(org, rec, doc);
  return { rec, created };
}

/** Replaces the ObjectPermissions/FieldPermissions/SetupEntityAccess/PermissionSetTabSetting rows of a permission set. */
export function writeChildren(org: OrgState, rec: Rec, doc: PsDoc): void {
  for (const t of ['ObjectPermissions', 'FieldPermissions']) {
    for (const r of org.filter(t, (x) => x.ParentId === rec.Id)) org.remove(r.Id);
  }
  // one bulk insert per object: a large set has tens of thousands of field entries
  const objectRows: Array<Record<string, unknown>> = [];
  for (const op of doc.sections.objectPermissions ?? []) {
    const values: Record<string, unknown> = {
      ParentId: rec.Id,
      SobjectType: org.schema.get(op.object)?.name ?? op.object,
    };
    let any = false;
    for (const [k, f] of OBJ_MAP) {
      values[f] = truthy(op[k]);
      any ||= truthy(op[k]);
    }
    if (any) objectRows.push(values);
  }
  org.insertMany('ObjectPermissions', objectRows);
  const fieldRows: Array<Record<string, unknown>> = [];
  for (const fp of doc.sections.fieldPermissions ?? []) {
    if (!truthy(fp.readable) && !truthy(fp.editable)) continue;
    fieldRows.push({
      ParentId: rec.Id,
      SobjectType: fp.field.split('.')[0],
      Field: fp.field,
      PermissionsRead: truthy(fp.readable),
      PermissionsEdit: truthy(fp.editable),
    });
  }
  org.insertMany('FieldPermissions', fieldRows);
  const stored: Record<string, Array<Record<string, string>>> = {};
  for (const [section, entries] of Object.entries(doc.sections)) {
    if (!RECORD_SECTIONS.has(section)) stored[section] = entries;
  }
  writeSetupEntityRows(org, rec, stored);
  org.permissionSetMeta.set(rec.Id, {
    description: doc.description,
    hasActivationRequired: doc.hasActivationRequired,
    sections: stored,
  });
}

/** The permission set as the org holds it, rebuilt from its records (userPermissions, objectPermissions, fieldPermissions) and stored sections. */
export function readPermissionSet(org: OrgState, rec: Rec): PsDoc {
  const meta = org.permissionSetMeta.get(rec.Id) ?? { sections: {} };
  const license = rec.LicenseId ? org.get(rec.LicenseId as string) : undefined;
  const sections: PsDoc['sections'] = { ...meta.sections };
  const ops = org
    .filter('ObjectPermissions', (o) => o.ParentId === rec.Id)
    .sort((a, b) => String(a.SobjectType).localeCompare(String(b.SobjectType)));
  if (ops.length) {
    sections.objectPermissions = ops.map((o) => {
      const e: Record<string, string> = {};
      for (const { name: k } of sequenceOf('PermissionSetObjectPermissions', NEWEST)) {
        const m = OBJ_MAP.find(([mk]) => mk === k);
        if (k === 'object') e.object = String(o.SobjectType);
        else if (m) e[k] = String(o[m[1]] === true);
      }
      return e;
    });
  }
  const fps = org
    .filter('FieldPermissions', (f) => f.ParentId === rec.Id)
    .sort((a, b) => String(a.Field).localeCompare(String(b.Field)));
  if (fps.length)
    sections.fieldPermissions = fps.map((f) => ({
      editable: String(f.PermissionsEdit === true),
      field: String(f.Field),
      readable: String(f.PermissionsRead === true),
    }));
  const ups = org.schema.userPermissions.filter((p) => rec[`Permissions${p}`] === true);
  if (ups.length) sections.userPermissions = ups.map((p) => ({ enabled: 'true', name: p }));
  return {
    fullName: String(rec.Name),
    label: String(rec.Label ?? rec.Name),
    description: (rec.Description as string | null) ?? undefined,
    license: license ? String(license.DeveloperName ?? license.Name) : undefined,
    hasActivationRequired: rec.HasActivationRequired === true,
    sections,
  };
}

/** Metadata body elements of a PermissionSet in schema order at an API version (without the root element). */
export function permissionSetBody(doc: PsDoc, withFullName = false, version = NEWEST): string {
  const out: string[] = [];
  if (withFullName) out.push(`<fullName>${esc(doc.fullName)}</fullName>`);
  for (const spec of sequenceOf('PermissionSet', version)) {
    if (spec.maxOccurs === '1') {
      const v =
        spec.name === 'label'
          ? doc.label
          : spec.name === 'description'
            ? doc.description
            : spec.name === 'license'
              ? doc.license
              : spec.name === 'hasActivationRequired'
                ? String(doc.hasActivationRequired ?? false)
                : undefined;
      if (v !== undefined && v !== null) out.push(`<${spec.name}>${esc(v)}</${spec.name}>`);
      continue;
    }
    // an element or field the version doesn't have is left out, as a retrieve at that version does
    const fields = sequenceOf(spec.type, version).map((f) => f.name);
    for (const e of doc.sections[spec.name] ?? []) {
      out.push(
        `<${spec.name}>${fields
          .filter((f) => e[f] !== undefined)
          .map((f) => `<${f}>${esc(e[f])}</${f}>`)
          .join('')}</${spec.name}>`,
      );
    }
  }
  return out.join('');
}

export function permissionSetXml(doc: PsDoc): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<PermissionSet xmlns="http://soap.sforce.com/2006/04/metadata">${permissionSetBody(doc)}</PermissionSet>\n`;
}
