/** The Metadata API's SOAP wire format: values rendered as XML, response envelopes, faults; reading SOAP inputs. */
import { XML_TYPE, type Reply } from '../http/reply.js';
import { escapeXml } from '../xml.js';
import { fieldText } from '../field-text.js';

export type Value = string | number | boolean | null | undefined | Value[] | { [k: string]: Value };

const ENVELOPE_OPEN =
  '<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns="http://soap.sforce.com/2006/04/metadata" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body>';
const ENVELOPE_CLOSE = '</soapenv:Body></soapenv:Envelope>';

/** Renders a value as XML children: arrays repeat the element, null is xsi:nil. */
export function toXml(name: string, v: Value): string {
  if (Array.isArray(v)) return v.map((x) => toXml(name, x)).join('');
  if (v === null) return `<${name} xsi:nil="true"/>`;
  if (v === undefined) return '';
  if (typeof v === 'object')
    return `<${name}>${Object.entries(v)
      .map(([k, x]) => toXml(k, x))
      .join('')}</${name}>`;
  return `<${name}>${escapeXml(String(v))}</${name}>`;
}

export function soapEnvelope(op: string, inner: string): Reply {
  return {
    status: 200,
    body: `${ENVELOPE_OPEN}<${op}Response>${inner}</${op}Response>${ENVELOPE_CLOSE}`,
    contentType: XML_TYPE,
  };
}

export function soapFault(code: string, text: string): Reply {
  return {
    status: 500,
    contentType: XML_TYPE,
    body: `<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:sf="http://soap.sforce.com/2006/04/metadata"><soapenv:Body><soapenv:Fault><faultcode>sf:${code}</faultcode><faultstring>${escapeXml(text)}</faultstring></soapenv:Fault></soapenv:Body></soapenv:Envelope>`,
  };
}

/** A SOAP boolean ('true' / true); absent or empty: the default. */
export const bool = (v: unknown, dflt: boolean): boolean =>
  v === undefined || v === null || v === '' ? dflt : v === true || fieldText(v) === 'true';

/** A repeated SOAP element: one value or many, as a list. */
export const arr = <T>(v: T | T[] | undefined): T[] =>
  v === undefined || v === null ? [] : Array.isArray(v) ? v : [v];
