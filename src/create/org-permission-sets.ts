import type { Connection } from '@salesforce/core';
import { PERMISSION_SET_SECTIONS, type Entry, type PermissionSetDoc, type SectionName } from '../permissions/model.js';
import { fieldText } from '../org-api/field-text.js';

/** readMetadata takes at most 10 names per call. */
const READ_BATCH = 10;

/** Whether the org already holds the generated permission sets, so the deploy can be left out. */
export type OrgState = {
  /** true when every generated set is in the org with the same content */
  upToDate: boolean;
  /** one line for the step detail: why a deploy is (or isn't) needed */
  reason: string;
};

type RawRecord = Record<string, unknown> | null | undefined;

const asArray = <T>(v: T | T[] | undefined | null): T[] =>
  v === undefined || v === null ? [] : Array.isArray(v) ? v : [v];

/**
 * The permission sets as the org holds them (Metadata API readMetadata, 10 names per call); a name
 * the org doesn't have maps to undefined. Throws what the Metadata API throws.
 */
export async function readOrgPermissionSets(
  conn: Connection,
  names: readonly string[],
): Promise<Map<string, PermissionSetDoc | undefined>> {
  const found = new Map<string, PermissionSetDoc | undefined>(names.map((n) => [n, undefined]));
  for (let i = 0; i < names.length; i += READ_BATCH) {
    const batch = names.slice(i, i + READ_BATCH);
    // an array of names always answers an array, one record (or an empty one) per name
    const records = asArray((await conn.metadata.read('PermissionSet', batch)) as unknown as RawRecord | RawRecord[]);
    for (const record of records) {
      const doc = toDoc(record);
      const name = doc && batch.find((n) => n.toLowerCase() === doc.fullName.toLowerCase());
      if (doc && name) found.set(name, doc);
    }
  }
  return found;
}

/** A readMetadata record as a permission set document; undefined for the empty record of a missing set. */
export function toDoc(record: RawRecord): PermissionSetDoc | undefined {
  if (!record || typeof record.fullName !== 'string' || record.fullName === '') return undefined;
  const text = (v: unknown): string | undefined =>
    v === undefined || v === null || typeof v === 'object' ? undefined : fieldText(v);
  const sections: PermissionSetDoc['sections'] = {};
  for (const section of Object.keys(PERMISSION_SET_SECTIONS) as SectionName[]) {
    const entries = asArray(record[section] as Array<Record<string, unknown>> | Record<string, unknown>).map((raw) => {
      const entry: Entry = {};
      for (const [k, v] of Object.entries(raw ?? {})) {
        const value = typeof v === 'boolean' ? v : text(v);
        if (value !== undefined) entry[k] = value;
      }
      return entry;
    });
    if (entries.length) sections[section] = entries;
  }
  return {
    fullName: record.fullName,
    label: text(record.label) ?? record.fullName,
    description: text(record.description),
    license: text(record.license),
    hasActivationRequired: record.hasActivationRequired === undefined ? undefined : bool(record.hasActivationRequired),
    sections,
  };
}

const bool = (v: unknown): boolean => v === true || (typeof v === 'string' && v.toLowerCase() === 'true');

/** Whether an entry grants anything: tabs by visibility, every other section by its boolean grants. */
export function grantsSomething(section: SectionName, entry: Entry): boolean {
  if (section === 'tabSettings') {
    const visibility = entry.visibility;
    return typeof visibility === 'string' && visibility !== '' && visibility.toLowerCase() !== 'none';
  }
  return PERMISSION_SET_SECTIONS[section].grants.some((g) => bool(entry[g]));
}

/** An entry's fields that matter, booleans normalised (absent = false); the key lower-cased, as the org matches names. */
function signature(section: SectionName, entry: Entry): string {
  const spec = PERMISSION_SET_SECTIONS[section];
  const grants: readonly string[] = spec.grants;
  return spec.fields
    .map((f) => {
      if (f === spec.key) return `${f}=${String(entry[f] ?? '').toLowerCase()}`;
      if (grants.includes(f)) return `${f}=${String(bool(entry[f]))}`;
      const v = entry[f];
      return `${f}=${typeof v === 'boolean' ? String(v) : (v ?? '')}`;
    })
    .join(';');
}

function granting(section: SectionName, doc: PermissionSetDoc): Map<string, { name: string; signature: string }> {
  const key = PERMISSION_SET_SECTIONS[section].key;
  const out = new Map<string, { name: string; signature: string }>();
  for (const entry of doc.sections[section] ?? []) {
    if (!grantsSomething(section, entry)) continue;
    const name = String(entry[key] ?? '');
    out.set(name.toLowerCase(), { name, signature: signature(section, entry) });
  }
  return out;
}

/**
 * What differs between the generated permission set and the org's, in what it grants: label,
 * description, license, activation, and per section the entries that grant something (all-false
 * entries, which Salesforce returns for objects and fields it knows, grant nothing and are ignored;
 * so is ordering). Empty when they are the same.
 */
export function diffPermissionSet(generated: PermissionSetDoc, org: PermissionSetDoc): string[] {
  const diffs: string[] = [];
  const str = (v: string | undefined): string => (v ?? '').trim();
  if (str(generated.label) !== str(org.label)) diffs.push('label');
  if (str(generated.description) !== str(org.description)) diffs.push('description');
  if (str(generated.license).toLowerCase() !== str(org.license).toLowerCase()) diffs.push('license');
  if (Boolean(generated.hasActivationRequired) !== Boolean(org.hasActivationRequired))
    diffs.push('hasActivationRequired');
  for (const section of Object.keys(PERMISSION_SET_SECTIONS) as SectionName[]) {
    const want = granting(section, generated);
    const have = granting(section, org);
    for (const [k, w] of want) {
      const h = have.get(k);
      if (!h) diffs.push(`${section} ${w.name} not in the org`);
      else if (h.signature !== w.signature) diffs.push(`${section} ${w.name}`);
    }
    for (const [k, h] of have) if (!want.has(k)) diffs.push(`${section} ${h.name} only in the org`);
  }
  return diffs;
}

/**
 * Compares the generated permission sets with the org's. Never throws: when the org can't be read
 * (an error, or an org without readMetadata), the answer is "deploy", with the reason.
 */
export async function checkOrgPermissionSets(conn: Connection, docs: readonly PermissionSetDoc[]): Promise<OrgState> {
  let inOrg: Map<string, PermissionSetDoc | undefined>;
  try {
    inOrg = await readOrgPermissionSets(
      conn,
      docs.map((d) => d.fullName),
    );
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    return {
      upToDate: false,
      reason: `could not read the permission sets in the org (${message.split('\n')[0]}): deploying`,
    };
  }
  const reasons: string[] = [];
  for (const doc of docs) {
    const org = inOrg.get(doc.fullName);
    if (!org) {
      reasons.push(`${doc.fullName} is not in the org`);
      continue;
    }
    const diffs = diffPermissionSet(doc, org);
    if (diffs.length === 0) continue;
    const shown = diffs.slice(0, 3).join(', ') + (diffs.length > 3 ? ` and ${diffs.length - 3} more` : '');
    reasons.push(`${doc.fullName} differs in the org (${shown})`);
  }
  if (reasons.length === 0) {
    return {
      upToDate: true,
      reason: `${docs.map((d) => d.fullName).join(', ')} in the org as generated: nothing to deploy`,
    };
  }
  return { upToDate: false, reason: reasons.join('; ') };
}
