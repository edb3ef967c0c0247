import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { Messages } from '@salesforce/core';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { Entry } from '../permissions/model.js';
import { NotChunkable, TopLevelChunker } from './chunk-scanner.js';

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

// small reads keep little undecoded data and string waiting for the garbage collector (measured: 1 MB reads add ~70 MB)
const READ_CHUNK_BYTES = 64 * 1024;
const SCALARS = new Set(['fullName', 'userLicense', 'custom', 'description']);
const BOOLEAN_TEXT = /^(?:true|false)$/i;
/** fast-xml-parser's name for an element's text when it also has child elements */
const TEXT = '#text';
/**
 * A parsed value: text stays a string (parseTagValue: false), an element with children is an object or an array, and
 * toEntry turns "true"/"false" into booleans in place.
 */
type XmlValue = string | boolean | object | null | undefined;

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

export type ParseOptions = {
  /** characters of XML parsed at a time (default 16 K); tests use tiny batches */
  batchChars?: number;
};

/**
 * Parse the XML of a profile (source or Metadata API format) into a ProfileDoc.
 *
 * The profile's top-level elements are parsed in batches of about `batchChars` characters, so the XML parser's
 * working memory stays bounded (a whole-document parse of a 40 MB profile needs about 10 times the file size).
 * Input the batch reader does not expect, and every malformed input, is read whole as before: same result, same
 * errors.
 *
 * @param xml the file content
 * @param sourceName file name or label used in error messages and to name a profile that has no `fullName`
 * @throws SfError ProfileEmpty, ProfileNotXml, ProfileIsPermissionSet, ProfileWrongRoot
 */
export function parseProfileXml(xml: string, sourceName = 'the input', options: ParseOptions = {}): ProfileDoc {
  const reader = new BatchReader(options.batchChars);
  try {
    reader.push(xml);
    return withName(reader.end(), sourceName);
  } catch (e) {
    if (e instanceof NotChunkable) return parseWholeProfileXml(xml, sourceName);
    throw e;
  }
}

/**
 * Read and parse a profile file (`*.profile-meta.xml` or `*.profile`), streaming it in pieces so the file is never
 * held whole in memory (see {@link parseProfileXml}).
 *
 * @throws SfError ProfileUnreadable, plus those of {@link parseProfileXml}
 */
export async function readProfileFile(path: string, options: ParseOptions = {}): Promise<ProfileDoc> {
  const sourceName = basename(path);
  const reader = new BatchReader(options.batchChars);
  try {
    // utf8 decoding in the stream keeps multi-byte characters split across reads intact
    const stream = createReadStream(path, { encoding: 'utf8', highWaterMark: READ_CHUNK_BYTES });
    try {
      for await (const piece of stream) reader.push(piece as string);
    } catch (e) {
      if (e instanceof NotChunkable) throw e;
      throw unreadable(path, e);
    }
    return withName(reader.end(), sourceName);
  } catch (e) {
    if (!(e instanceof NotChunkable)) throw e;
  }
  // malformed or unusual: read it whole, for the same result or the precise error
  let xml: string;
  try {
    xml = await readFile(path, 'utf8');
  } catch (e) {
    throw unreadable(path, e);
  }
  return parseWholeProfileXml(xml, sourceName);
}

function unreadable(path: string, e: unknown): Error {
  const reason = (e as NodeJS.ErrnoException).code ?? (e instanceof Error ? e.message : String(e));
  return messages.createError('error.ProfileUnreadable', [path, reason]);
}

/**
 * Validates and parses each batch of top-level elements as it comes and gathers them into a ProfileDoc. Throws
 * NotChunkable for anything it cannot vouch for, the caller then reads the document whole.
 */
class BatchReader {
  private readonly chunker: TopLevelChunker;
  /** element name to its entries, in order of first appearance; scalar elements keep their raw values to the end */
  private readonly elements = new Map<string, XmlValue[]>();

  public constructor(batchChars?: number) {
    this.chunker = new TopLevelChunker(batchChars);
  }

  public push(piece: string): void {
    for (const batch of this.chunker.push(piece)) this.add(batch);
  }

  public end(): ProfileDoc {
    for (const batch of this.chunker.end()) this.add(batch);
    const { prolog, rootName, rootSelfClosing, epilog } = this.chunker;
    // the declaration, the root tags and what follows the root, checked as one small document
    if (XMLValidator.validate(`${prolog}${rootSelfClosing ? '' : `</${rootName}>`}${epilog}`) !== true) {
      throw new NotChunkable('invalid prolog or epilog');
    }
    const doc: ProfileDoc = { sections: {} };
    // like a whole-document parse: text directly inside the root counts only when the root also has elements
    if (this.elements.size === 1 && this.elements.has(TEXT)) return doc;
    for (const [element, items] of this.elements) {
      if (element === TEXT) {
        doc.sections[element] = items.map(toEntry);
      } else if (SCALARS.has(element)) {
        if (items.length === 1 && typeof items[0] !== 'object') {
          setScalar(doc, element, String(items[0]));
          continue;
        }
        doc.sections[element] = items.map(toEntry);
      } else {
        doc.sections[element] = items as Entry[];
      }
    }
    return doc;
  }

  /** The parser joins the text pieces of an element into one `#text` value; so do the batches together. */
  private addText(value: unknown): void {
    const items = this.elements.get(TEXT);
    if (items) items[0] = `${items[0] as string}${String(value)}`;
    else this.elements.set(TEXT, [String(value)]);
  }

  private add(batch: string): void {
    const xml = `${this.chunker.rootStartTag}${batch}</${this.chunker.rootName}>`;
    // the parser is lenient with unclosed or mismatched tags; the validator is not
    if (XMLValidator.validate(xml) !== true) throw new NotChunkable('invalid batch');
    let parsed: Record<string, unknown>;
    try {
      parsed = profileXmlParser().parse(xml) as Record<string, unknown>;
    } catch {
      throw new NotChunkable('batch does not parse');
    }
    const keys = Object.keys(parsed);
    if (keys.length !== 1 || keys[0] !== 'Profile') throw new NotChunkable('unexpected batch root');
    const body = parsed.Profile;
    // a batch without elements: whitespace and comments, or stray text after the last element
    if (typeof body === 'string' && body !== '') this.addText(body);
    if (body === null || typeof body !== 'object') return;
    for (const [element, value] of Object.entries(body as Record<string, XmlValue>)) {
      if (element === TEXT) {
        this.addText(value);
        continue;
      }
      let items = this.elements.get(element);
      if (!items) this.elements.set(element, (items = []));
      const scalar = SCALARS.has(element);
      if (Array.isArray(value)) for (const item of value as XmlValue[]) items.push(scalar ? item : toEntry(item));
      else items.push(scalar ? value : toEntry(value));
    }
  }
}

/** The document parsed in one piece: the reference behaviour, kept for input the batch reader does not take. */
export function parseWholeProfileXml(xml: string, sourceName = 'the input'): ProfileDoc {
  // a BOM before the declaration is common in files saved by Windows editors
  const text = xml.charCodeAt(0) === 0xfeff ? xml.slice(1) : xml;
  const start = text.search(/\S/);
  if (start < 0) throw messages.createError('error.ProfileEmpty', [sourceName]);
  if (text[start] !== '<')
    throw messages.createError('error.ProfileNotXml', [sourceName, 'it does not start with "<"']);

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

  for (const [element, value] of Object.entries(body as Record<string, XmlValue>)) {
    if (SCALARS.has(element) && !Array.isArray(value) && typeof value !== 'object') {
      setScalar(doc, element, String(value));
      continue;
    }
    const items = Array.isArray(value) ? (value as XmlValue[]) : [value];
    const entries: Entry[] = [];
    for (const item of items) entries.push(toEntry(item));
    doc.sections[element] = entries;
  }
  return withName(doc, sourceName);
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
function toEntry(item: XmlValue): Entry {
  if (item === null || typeof item !== 'object') {
    // `<loginHours/>` parses as "", text directly inside a section element is kept for the report
    return item === '' || item === undefined ? {} : { value: String(item) };
  }
  const entry = item as Record<string, XmlValue>;
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
