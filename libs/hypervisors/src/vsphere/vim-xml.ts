import { escapeXml, XSI_NS, type XmlElement } from '../xml/xml';

/**
 * Writing vim25 request bodies: every value goes through escapeXml, polymorphic values carry an
 * `xsi:type`. The envelope declares `xsi` and `xsd`, so fragments may use those prefixes.
 */
export type Fragment = string;

export interface MoRef {
  type: string;
  value: string;
}

/** `<name>value</name>`; nothing at all for undefined (an optional field left out). */
export function field(name: string, value: string | number | boolean | undefined): Fragment {
  return value === undefined ? '' : `<${name}>${escapeXml(value)}</${name}>`;
}

/** One element per value, vim25's way of writing arrays. */
export function fields(name: string, values: readonly (string | number)[]): Fragment {
  return values.map((value) => field(name, value)).join('');
}

/** A structure: `<name xsi:type="Type">…</name>`, the type only when given. */
export function struct(name: string, children: readonly Fragment[], xsiType?: string): Fragment {
  return `<${name}${xsiType ? ` xsi:type="${escapeXml(xsiType)}"` : ''}>${children.join('')}</${name}>`;
}

export function moRef(name: string, ref: MoRef | undefined): Fragment {
  return ref ? `<${name} type="${escapeXml(ref.type)}">${escapeXml(ref.value)}</${name}>` : '';
}

/** An `anyType` string value, e.g. an OptionValue's value. */
export function typedString(name: string, value: string): Fragment {
  return `<${name} xsi:type="xsd:string">${escapeXml(value)}</${name}>`;
}

export function envelope(body: Fragment): string {
  return (
    '<?xml version="1.0" encoding="UTF-8"?>' +
    '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsd="http://www.w3.org/2001/XMLSchema" ' +
    `xmlns:xsi="${XSI_NS}"><soapenv:Body>${body}</soapenv:Body></soapenv:Envelope>`
  );
}

/** Reads a ManagedObjectReference element (`<obj type="VirtualMachine">vm-42</obj>`). */
export function readMoRef(element: XmlElement | undefined): MoRef | undefined {
  if (!element) return undefined;
  const type = element.attr('type');
  return type ? { type, value: element.text.trim() } : undefined;
}

export function sameRef(a: MoRef | undefined, b: MoRef | undefined): boolean {
  return !!a && !!b && a.type === b.type && a.value === b.value;
}

export function refKey(ref: MoRef): string {
  return `${ref.type}:${ref.value}`;
}
