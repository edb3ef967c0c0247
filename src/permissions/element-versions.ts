/**
 * The first Metadata API version of each PermissionSet element this project writes that is newer than the oldest
 * version it supports (the `since` facts of registry.ts, from Salesforce's metadata.wsdl of each release;
 * test/unit/permissions/element-versions.test.ts checks them against the reference data). An element a
 * version doesn't have fails the whole deploy ("Element … invalid at this location"), so a permission set is written
 * without them for an older target version, and what granted something is reported, never lost silently.
 */
import type { Entry, PermissionSetDoc, SectionName } from './model.js';
import { PERMISSION_SET_SECTIONS } from './model.js';
import { SECTION_NAMES, sectionFacts } from './registry.js';

/** Sections (top-level PermissionSet elements) by first API version; absent: in every supported version. */
export const SECTION_SINCE: Readonly<Partial<Record<SectionName, string>>> = Object.fromEntries(
  SECTION_NAMES.flatMap((n) => {
    const since = sectionFacts(n).since;
    return since ? [[n, since]] : [];
  }),
);

/** Fields of a section's entries by first API version (the section itself being older). */
export const FIELD_SINCE: Readonly<Partial<Record<SectionName, Readonly<Record<string, string>>>>> = Object.fromEntries(
  SECTION_NAMES.flatMap((n) => {
    const since = sectionFacts(n).fieldSince;
    return since ? [[n, since]] : [];
  }),
);

/** Admin-facing names of the fields above, for reports. */
const FIELD_LABELS: Readonly<Record<string, string>> = { viewAllFields: 'View All Fields' };

export const versionNumber = (v: string): number => Number(v);

/** A grant left out because the target API version lacks its element. */
export type VersionDrop = { section: string; name: string; element: string; since: string; reason: string };

/**
 * The docs as the target API version can hold them: sections and fields newer than it removed. Returns what granted
 * something and was removed (an entry whose removed parts grant nothing is dropped quietly: nothing is lost).
 */
export function fitToApiVersion(
  docs: readonly PermissionSetDoc[],
  version: string,
): { docs: PermissionSetDoc[]; dropped: VersionDrop[] } {
  const target = versionNumber(version);
  const dropped: VersionDrop[] = [];
  const fitted = docs.map((doc) => {
    const sections: PermissionSetDoc['sections'] = {};
    for (const [name, entries] of Object.entries(doc.sections) as Array<[SectionName, Entry[] | undefined]>) {
      if (!entries) continue;
      const spec = PERMISSION_SET_SECTIONS[name];
      const since = SECTION_SINCE[name];
      if (since && versionNumber(since) > target) {
        for (const e of entries.filter((x) => grants(name, x))) {
          dropped.push(drop(doc, name, String(e[spec.key]), name, since, version));
        }
        continue;
      }
      const newer = Object.entries(FIELD_SINCE[name] ?? {}).filter(([, s]) => versionNumber(s) > target);
      sections[name] =
        newer.length === 0 ? entries : entries.map((e) => withoutFields(doc, name, e, newer, version, dropped));
    }
    return { ...doc, sections };
  });
  return { docs: fitted, dropped };
}

function withoutFields(
  doc: PermissionSetDoc,
  section: SectionName,
  entry: Entry,
  newer: Array<[string, string]>,
  version: string,
  out: VersionDrop[],
): Entry {
  const copy = { ...entry };
  for (const [field, since] of newer) {
    if (!(field in copy)) continue;
    if (copy[field] === true || copy[field] === 'true') {
      out.push(
        drop(doc, section, `${String(entry[PERMISSION_SET_SECTIONS[section].key])}.${field}`, field, since, version),
      );
    }
    delete copy[field];
  }
  return copy;
}

function drop(
  doc: PermissionSetDoc,
  section: string,
  name: string,
  element: string,
  since: string,
  version: string,
): VersionDrop {
  const what = FIELD_LABELS[element] ?? element;
  return {
    section,
    name,
    element,
    since,
    reason: `${what} exists from API ${since}; ${doc.fullName} is written for API ${version}. Raise sourceApiVersion (or --api-version) to ${since} or later to keep it.`,
  };
}

function grants(section: SectionName, entry: Entry): boolean {
  const spec = PERMISSION_SET_SECTIONS[section];
  if (spec.grants.length === 0) return true;
  return spec.grants.some((g: string) => entry[g] === true || entry[g] === 'true');
}
