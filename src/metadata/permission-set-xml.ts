import { PERMISSION_SET_SECTIONS, type Entry, type PermissionSetDoc, type SectionName } from '../permissions/model.js';
import { PERMISSION_SET_ELEMENT_ORDER, SECTION_FIELD_ORDER } from '../permissions/schema.js';

export const METADATA_NAMESPACE = 'http://soap.sforce.com/2006/04/metadata';

const INDENT = '    ';
const ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };
const NEEDS_ESCAPE = /[&<>"']/;
const ESCAPE_ALL = /[&<>"']/g;

/** Escape text content the way Salesforce writes it (quotes and apostrophes included). */
export function escapeXml(text: string): string {
  return NEEDS_ESCAPE.test(text) ? text.replace(ESCAPE_ALL, (c) => ESCAPES[c]) : text;
}

/**
 * A PermissionSet as source-format XML, byte for byte like Salesforce writes it: XML declaration, 4-space indent,
 * elements and each entry's fields in the Metadata API schema order, entries sorted by key, trailing newline.
 * Fields an entry does not have are left out; fields the schema does not know are never written.
 */
export function permissionSetToXml(doc: PermissionSetDoc): string {
  const parts: string[] = [
    '<?xml version="1.0" encoding="UTF-8"?>\n',
    `<PermissionSet xmlns="${METADATA_NAMESPACE}">\n`,
  ];
  for (const element of PERMISSION_SET_ELEMENT_ORDER) {
    if (element in PERMISSION_SET_SECTIONS) {
      const entries = doc.sections[element as SectionName];
      if (entries && entries.length > 0) writeSection(parts, element as SectionName, entries);
      continue;
    }
    const value = scalar(doc, element);
    if (value !== undefined) parts.push(`${INDENT}<${element}>${escapeXml(value)}</${element}>\n`);
  }
  parts.push('</PermissionSet>\n');
  return parts.join('');
}

/** Entries of a section sorted by key (code-unit order, independent of locale); a sorted copy, input untouched. */
export function sortEntries(section: SectionName, entries: readonly Entry[]): Entry[] {
  const key = PERMISSION_SET_SECTIONS[section].key;
  return entries
    .map((entry) => ({ k: String(entry[key] ?? ''), entry }))
    .sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : 0))
    .map(({ entry }) => entry);
}

function writeSection(parts: string[], section: SectionName, entries: readonly Entry[]): void {
  const fields = SECTION_FIELD_ORDER[section];
  const open = `${INDENT}<${section}>\n`;
  const close = `${INDENT}</${section}>\n`;
  for (const entry of sortEntries(section, entries)) {
    parts.push(open);
    for (const field of fields) {
      const value = entry[field];
      if (value === undefined) continue;
      parts.push(`${INDENT}${INDENT}<${field}>${typeof value === 'boolean' ? String(value) : escapeXml(value)}</${field}>\n`);
    }
    parts.push(close);
  }
}

function scalar(doc: PermissionSetDoc, element: string): string | undefined {
  switch (element) {
    case 'description':
      return doc.description || undefined;
    case 'hasActivationRequired':
      return doc.hasActivationRequired === undefined ? undefined : String(doc.hasActivationRequired);
    case 'label':
      return doc.label;
    case 'license':
      return doc.license || undefined;
    default:
      return undefined;
  }
}
