import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { Messages } from '@salesforce/core';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { Entry } from '../permissions/model.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('sf-integration-user', 'profile.read');

/**
 * A profile's content, or any input to convert given as grants (the `create` command builds one from flags).
 *
 * `sections` maps an element name of the Profile metadata type (`fieldPermissions`, `tabVisibilities`,
 * `loginHours`…) to its entries, each a flat record of the entry's fields with booleans as booleans. A profile-wide
 * single element (`loginHours`) is a one-entry list.
 */
export type ProfileDoc = {
  fullName?: string;
  userLicense?: string;
  custom?: boolean;
  description?: string;
  sections: Partial<Record<string, Entry[]>>;
};

const SCALARS = new Set(['fullName', 'userLicense', 'custom', 'description']);
const BOOLEAN_TEXT = /^(?:true|false)$/i;

let parser: XMLParser | undefined;

/** The XML parser used for profiles (exported so the benchmark parses with exactly the same settings). */
export function profileXmlParser(): XMLParser {
  parser ??= new XMLParser({
    ignoreAttributes: true,
    removeNSPrefix: true,
    // values stay strings: booleans are recognised per field below, names such as "0012" must not become numbers
    parseTagValue: false,
    trimValues: true,
    ignoreDeclaration: true,
    ignorePiTags: true,
    processEntities: true,
    htmlEntities: true,
  });
  return parser;
}

/**
 * Parse the XML of a profile (source or Metadata API format) into a ProfileDoc.
 *
 * @param xml the file content
 * @param sourceName file name or label used in error messages and to name a profile that has no `fullName`
 * @throws SfError ProfileEmpty, ProfileNotXml, ProfileIsPermissionSet, ProfileWrongRoot
 */
export function parseProfileXml(xml: string, sourceName = 'the input'): ProfileDoc {
  // a BOM before the declaration is common in files saved by Windows editors
  const text = xml.charCodeAt(0) === 0xfeff ? xml.slice(1) : xml;
  const start = text.search(/\S/);
  if (start < 0) throw messages.createError('error.ProfileEmpty', [sourceName]);
  if (text[start] !== '<') throw messages.createError('error.ProfileNotXml', [sourceName, 'it does not start with "<"']);

  // the parser is lenient with unclosed or mismatched tags; the validator is not, and costs a fraction of a parse
  const valid = XMLValidator.validate(text);
  if (valid !== true) {
    const { msg, line, col } = valid.err;
    throw messages.createError('error.ProfileNotXml', [sourceName, `${msg} (line ${line}, column ${col})`]);
  }
  let parsed: Record<string, unknown>;
  try {
    parsed = profileXmlParser().parse(text) as Record<string, unknown>;
  } catch (e) {
    throw messages.createError('error.ProfileNotXml', [sourceName, e instanceof Error ? e.message : String(e)]);
  }
  const roots = Object.keys(parsed).filter((k) => !k.startsWith('?') && !k.startsWith('!'));
  if (roots.length === 0) throw messages.createError('error.ProfileNotXml', [sourceName, 'it has no root element']);
  const root = roots[0];
  if (root === 'PermissionSet') throw messages.createError('error.ProfileIsPermissionSet', [sourceName]);
  if (root !== 'Profile') throw messages.createError('error.ProfileWrongRoot', [sourceName, root]);

  const body = parsed[root];
  const doc: ProfileDoc = { sections: {} };
  if (body === null || typeof body !== 'object') return withName(doc, sourceName);

  for (const [element, value] of Object.entries(body as Record<string, unknown>)) {
    if (SCALARS.has(element) && !Array.isArray(value) && typeof value !== 'object') {
      setScalar(doc, element, String(value));
      continue;
    }
    const items = Array.isArray(value) ? (value as unknown[]) : [value];
    const entries: Entry[] = [];
    for (const item of items) entries.push(toEntry(item));
    doc.sections[element] = entries;
  }
  return withName(doc, sourceName);
}

/**
 * Read and parse a profile file (`*.profile-meta.xml` or `*.profile`).
 *
 * @throws SfError ProfileUnreadable, plus those of {@link parseProfileXml}
 */
export async function readProfileFile(path: string): Promise<ProfileDoc> {
  let xml: string;
  try {
    xml = await readFile(path, 'utf8');
  } catch (e) {
    const reason = (e as NodeJS.ErrnoException).code ?? (e instanceof Error ? e.message : String(e));
    throw messages.createError('error.ProfileUnreadable', [path, reason]);
  }
  return parseProfileXml(xml, basename(path));
}

/** The profile name a file name stands for: `Custom%3A Sales Profile.profile-meta.xml` is "Custom: Sales Profile". */
export function profileNameFromFileName(fileName: string): string | undefined {
  const match = /^(.+?)\.profile(?:-meta\.xml)?$/.exec(basename(fileName));
  if (!match) return undefined;
  try {
    return decodeURIComponent(match[1]);
  } catch {
    return match[1];
  }
}

function withName(doc: ProfileDoc, sourceName: string): ProfileDoc {
  if (!doc.fullName) {
    const name = profileNameFromFileName(sourceName);
    if (name) doc.fullName = name;
  }
  return doc;
}

function setScalar(doc: ProfileDoc, element: string, value: string): void {
  if (element === 'custom') doc.custom = value.toLowerCase() === 'true';
  else if (element === 'fullName' || element === 'userLicense' || element === 'description') doc[element] = value;
}

/** Turns a parsed element into an Entry in place (the parser's objects are reused to keep memory low). */
function toEntry(item: unknown): Entry {
  if (item === null || typeof item !== 'object') {
    // `<loginHours/>` parses as "", text directly inside a section element is kept for the report
    return item === '' || item === undefined ? {} : { value: String(item) };
  }
  const entry = item as Record<string, unknown>;
  for (const field of Object.keys(entry)) {
    const v = entry[field];
    if (typeof v === 'string') {
      if (BOOLEAN_TEXT.test(v)) entry[field] = v.length === 4 ? v.toLowerCase() === 'true' : false;
    } else if (Array.isArray(v)) {
      // repeated scalar fields such as categoryGroupVisibilities.dataCategories
      entry[field] = v.map((x) => (typeof x === 'object' ? JSON.stringify(x) : String(x))).join(',');
    } else if (typeof v === 'object' && v !== null) {
      entry[field] = JSON.stringify(v);
    } else if (v === undefined || v === null) {
      delete entry[field];
    } else {
      entry[field] = String(v);
    }
  }
  return entry as Entry;
}
