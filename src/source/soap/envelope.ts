import { XMLBuilder, XMLParser } from 'fast-xml-parser';

import { credentialNames, type ServiceName, SERVICES } from './services';

const SOAP11_NAMESPACE = 'http://schemas.xmlsoap.org/soap/envelope/';

/** A parameter value: scalars become text, string lists become ArrayOfString (<string> items). */
export type SoapValue = string | number | boolean | readonly string[] | null;

/** Parsed XML: element name → text, nested element, or a list when the element repeats. */
export type XmlNode = string | { [name: string]: XmlNode | XmlNode[] };

const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: '@_', suppressEmptyNode: false });

/**
 * Text is kept as text (no number guessing: ticket numbers, ids with leading zeros) and untrimmed
 * (message bodies); whitespace between elements is dropped afterwards.
 */
const parser = new XMLParser({
  removeNSPrefix: true,
  ignoreAttributes: true,
  parseTagValue: false,
  trimValues: false,
  ignoreDeclaration: true,
});

export interface SoapCall {
  service: ServiceName;
  operation: string;
  user: string;
  password: string;
  /** In WSDL order: element order matters to ASMX. */
  params: [string, SoapValue][];
}

export function buildRequest(call: SoapCall): string {
  const [userElement, passwordElement] = credentialNames(call.service, call.operation);
  const body: Record<string, unknown> = {
    '@_xmlns': SERVICES[call.service].namespace,
    [userElement]: call.user,
    [passwordElement]: call.password,
  };
  for (const [name, value] of call.params) {
    if (value === null) continue;
    body[name] = Array.isArray(value) ? (value.length ? { string: [...value] } : '') : String(value);
  }
  return (
    '<?xml version="1.0" encoding="utf-8"?>' +
    builder.build({
      'soap:Envelope': {
        '@_xmlns:soap': SOAP11_NAMESPACE,
        '@_xmlns:xsi': 'http://www.w3.org/2001/XMLSchema-instance',
        '@_xmlns:xsd': 'http://www.w3.org/2001/XMLSchema',
        'soap:Body': { [call.operation]: body },
      },
    })
  );
}

export type ParsedResponse = { kind: 'result'; result: XmlNode } | { kind: 'fault'; code: string; message: string };

/** Reads `<Envelope><Body><{op}Response><{op}Result>` or a SOAP Fault. Throws on anything else. */
export function parseResponse(xml: string, operation: string): ParsedResponse {
  const doc = clean(parser.parse(xml) as XmlNode);
  const body = child(child(doc, 'Envelope'), 'Body');
  if (body === undefined) throw new Error('no SOAP Envelope/Body in the answer');
  const fault = child(body, 'Fault');
  if (fault !== undefined) {
    return {
      kind: 'fault',
      code: text(child(fault, 'faultcode')) ?? '',
      message: text(child(fault, 'faultstring')) ?? '',
    };
  }
  const response = child(body, `${operation}Response`);
  if (response === undefined) throw new Error(`no ${operation}Response in the answer`);
  const result = child(response, `${operation}Result`);
  return { kind: 'result', result: result ?? '' };
}

/** Drops whitespace-only text between elements (pretty-printed answers). */
function clean(node: XmlNode): XmlNode {
  if (typeof node === 'string') return node;
  const out: Record<string, XmlNode | XmlNode[]> = {};
  for (const [k, v] of Object.entries(node)) {
    if (k === '#text') {
      if (typeof v === 'string' && v.trim() === '') continue;
      out[k] = v;
      continue;
    }
    out[k] = Array.isArray(v) ? v.map(clean) : clean(v);
  }
  // An element that only held whitespace around nothing is empty.
  return Object.keys(out).length === 0 ? '' : out;
}

export function child(node: XmlNode | XmlNode[] | undefined, name: string): XmlNode | undefined {
  if (node === undefined || typeof node === 'string' || Array.isArray(node)) return undefined;
  const v = node[name];
  return Array.isArray(v) ? v[0] : v;
}

export function text(node: XmlNode | XmlNode[] | undefined): string | null {
  if (node === undefined) return null;
  if (typeof node === 'string') return node;
  if (Array.isArray(node)) return text(node[0]);
  const t = node['#text'];
  return typeof t === 'string' ? t : null;
}

/** The repeated `item` elements of a container element (none, one or many). */
export function items(container: XmlNode | undefined, item: string): XmlNode[] {
  if (container === undefined || typeof container === 'string') return [];
  const v = container[item];
  if (v === undefined) return [];
  return Array.isArray(v) ? v : [v];
}

/** An element's direct children as plain text, for zod to parse. */
export function flat(node: XmlNode | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (node === undefined || typeof node === 'string') return out;
  for (const [k, v] of Object.entries(node)) {
    const t = text(v);
    if (t !== null) out[k] = t;
  }
  return out;
}
