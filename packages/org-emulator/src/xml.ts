/** XML helpers the metadata modules share: text escaping, and reading metadata files in document order. */
import { XMLParser } from 'fast-xml-parser';
import { fieldText } from './field-text.js';

/** A node of fast-xml-parser's preserveOrder tree: `{ elementName: children, ':@'?: attributes }`. */
export type XmlNode = Record<string, unknown>;

export const escapeXml = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** A parser keeping element order (metadata files are validated and read in schema order), text unparsed. */
export function orderedXmlParser(): XMLParser {
  return new XMLParser({
    preserveOrder: true,
    ignoreAttributes: true,
    removeNSPrefix: true,
    parseTagValue: false,
    trimValues: true,
  });
}

/** The text of an element's children (empty for none). */
export function textOf(content: unknown): string {
  return Array.isArray(content)
    ? (content as XmlNode[]).map((c) => (c['#text'] === undefined ? '' : fieldText(c['#text']))).join('')
    : '';
}
