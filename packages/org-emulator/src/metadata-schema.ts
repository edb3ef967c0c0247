/**
 * The Metadata API's XML schema, per API version, from Salesforce's own metadata.wsdl of each release
 * (../shared/reference/salesforce/metadata-types.json): which elements a type has at a version, in which order,
 * and which values an enumeration accepts. A deployed file is checked against it as Salesforce's parser does,
 * before anything in the org is looked at.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { orderedXmlParser, textOf, type XmlNode } from './xml.js';

type ElementSpec = { maxOccurs: string; minOccurs: string; since: string; type: string };
type ComplexType = { elements: Record<string, ElementSpec>; order: string[]; extends: string | null; since: string };
type MetadataTypes = {
  complexTypes: Record<string, ComplexType>;
  enumerations: Record<string, Record<string, string>>;
  versions: string[];
};

/** Where the reference data lives: beside the repository (`../shared`), or SF_REFERENCE_DIR. */
const REFERENCE_DIR =
  process.env.SF_REFERENCE_DIR ??
  resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..', 'shared', 'reference', 'salesforce');

let data: MetadataTypes | undefined;
function types(): MetadataTypes {
  data ??= JSON.parse(readFileSync(join(REFERENCE_DIR, 'metadata-types.json'), 'utf8')) as MetadataTypes;
  return data;
}

export const NS = '{http://soap.sforce.com/2006/04/metadata}';

/** The text Salesforce gives for an element the type doesn't have (at this version) or that is out of order. */
export const invalidAtLocation = (element: string, type: string): string =>
  `Error parsing file: Element ${NS}${element} invalid at this location in type ${type}`;

const num = (v: string): number => Number(v);

/** A type's elements in schema order at an API version: its base types' first (xsd:extension), each with its spec. */
export function sequenceOf(type: string, version: string): Array<{ name: string } & ElementSpec> {
  const t = types().complexTypes[type];
  if (!t) return [];
  const own = t.order.map((name) => ({ name, ...t.elements[name] })).filter((e) => num(e.since) <= num(version));
  return [...(t.extends ? sequenceOf(t.extends, version) : []), ...own];
}

export const isComplexType = (type: string): boolean => type in types().complexTypes;

/** The first API version of a type, undefined when the data doesn't know it. */
export const typeSince = (type: string): string | undefined => types().complexTypes[type]?.since;

/** The oldest and newest API versions the schema data covers. */
export function schemaVersions(): { oldest: string; newest: string } {
  const v = types().versions;
  return { oldest: v[0], newest: v[v.length - 1] };
}

export class SchemaError extends Error {}

type Node = XmlNode;
const parser = orderedXmlParser();
const nameOf = (n: Node): string | undefined => Object.keys(n).find((k) => k !== ':@' && k !== '#text' && k !== '?xml');

/**
 * Checks a component file against its type at an API version; throws SchemaError with Salesforce's text for the
 * first problem (element unknown at that version or out of order, at any depth; a value outside its enumeration
 * at that version; a boolean or int that isn't one).
 */
export function validateAgainstSchema(xml: string, rootType: string, version: string): void {
  let tree: Node[];
  try {
    tree = parser.parse(xml) as Node[];
  } catch (e) {
    throw new SchemaError(`Error parsing file: ${(e as Error).message}`);
  }
  const root = tree.find((n) => nameOf(n));
  const rootName = root ? nameOf(root) : undefined;
  if (!root || rootName !== rootType)
    throw new SchemaError(`Error parsing file: root element ${rootName ?? 'nothing'} is not ${rootType}`);
  checkChildren(root[rootName] as Node[], rootType, version);
}

function checkChildren(children: Node[], type: string, version: string): void {
  const sequence = sequenceOf(type, version);
  let at = -1;
  for (const child of children) {
    const name = nameOf(child);
    if (!name) continue;
    // the next place in the sequence this element may take: the same place again only for a repeated element
    const start = at >= 0 && sequence[at].name === name && sequence[at].maxOccurs !== '1' ? at : at + 1;
    const found = sequence.findIndex((e, i) => i >= start && e.name === name);
    if (found < 0) throw new SchemaError(invalidAtLocation(name, type));
    at = found;
    checkValue(child[name], sequence[found].type, version);
  }
}

function checkValue(content: unknown, type: string, version: string): void {
  if (isComplexType(type)) {
    checkChildren(Array.isArray(content) ? (content as Node[]) : [], type, version);
    return;
  }
  const text = textOf(content);
  const values = types().enumerations[type];
  if (values && Object.keys(values).length) {
    const since = values[text];
    if (since === undefined || num(since) > num(version))
      throw new SchemaError(`Error parsing file: '${text}' is not a valid value for the enum '${type}'`);
    return;
  }
  if (type === 'boolean' && !['true', 'false', '1', '0'].includes(text))
    throw new SchemaError(`Error parsing file: '${text}' is not valid for the type xsd:boolean`);
  if (type === 'int' && !/^[+-]?\d+$/.test(text))
    throw new SchemaError(`Error parsing file: '${text}' is not valid for the type xsd:int`);
}
