import { createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { PERMISSION_SET_SECTIONS, type Entry, type PermissionSetDoc, type SectionName } from '../permissions/model.js';
import { PERMISSION_SET_ELEMENT_ORDER, SECTION_FIELD_ORDER } from '../permissions/schema.js';

export const METADATA_NAMESPACE = 'http://soap.sforce.com/2006/04/metadata';

const INDENT = '    ';
/** characters per piece written: large enough for few writes, small enough to stay out of the way */
const PIECE_CHARS = 64 * 1024;
const ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};
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
  const pieces: string[] = [];
  for (const piece of permissionSetXmlPieces(doc)) pieces.push(piece);
  return pieces.join('');
}

/**
 * Write {@link permissionSetToXml}'s bytes to a file as they are produced, so a permission set of tens of MB is
 * never held whole in memory.
 */
export async function writePermissionSetXml(doc: PermissionSetDoc, path: string): Promise<void> {
  await pipeline(Readable.from(permissionSetXmlPieces(doc)), createWriteStream(path, { encoding: 'utf8' }));
}

/** The XML of {@link permissionSetToXml} in pieces of about `pieceChars` characters. */
export function* permissionSetXmlPieces(doc: PermissionSetDoc, pieceChars = PIECE_CHARS): Generator<string> {
  let out = `<?xml version="1.0" encoding="UTF-8"?>\n<PermissionSet xmlns="${METADATA_NAMESPACE}">\n`;
  for (const element of PERMISSION_SET_ELEMENT_ORDER) {
    if (element in PERMISSION_SET_SECTIONS) {
      const section = element as SectionName;
      const entries = doc.sections[section];
      if (!entries || entries.length === 0) continue;
      const fields = SECTION_FIELD_ORDER[section];
      const open = `${INDENT}<${section}>\n`;
      const close = `${INDENT}</${section}>\n`;
      for (const entry of sortEntries(section, entries)) {
        out += open;
        for (const field of fields) {
          const value = entry[field];
          if (value === undefined) continue;
          out += `${INDENT}${INDENT}<${field}>${typeof value === 'boolean' ? String(value) : escapeXml(value)}</${field}>\n`;
        }
        out += close;
        if (out.length >= pieceChars) {
          yield out;
          out = '';
        }
      }
      continue;
    }
    const value = scalar(doc, element);
    if (value !== undefined) out += `${INDENT}<${element}>${escapeXml(value)}</${element}>\n`;
  }
  yield `${out}</PermissionSet>\n`;
}

/** Entries of a section sorted by key (code-unit order, independent of locale); a sorted copy, input untouched. */
export function sortEntries(section: SectionName, entries: readonly Entry[]): Entry[] {
  const key = PERMISSION_SET_SECTIONS[section].key;
  return entries
    .map((entry) => ({ k: String(entry[key] ?? ''), entry }))
    .sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : 0))
    .map(({ entry }) => entry);
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
