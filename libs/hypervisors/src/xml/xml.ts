import { XMLParser } from 'fast-xml-parser';

export const XSI_NS = 'http://www.w3.org/2001/XMLSchema-instance';
const XML_NS = 'http://www.w3.org/XML/1998/namespace';

/** Text between elements; kept so that a document round-trips (libvirt's XML is edited and redefined). */
export interface XmlText {
  text: string;
}

export type XmlChild = XmlElement | XmlText;

/**
 * An element of a parsed document with its namespace resolved: `ns` is the namespace URI its
 * prefix (or the default namespace) stands for where it appears, so code matches `urn:vim25`
 * elements and `xsi:type` attributes by URI, never by whatever prefix a server happened to use.
 * Mutable, for editing libvirt documents before serializing them again.
 */
export class XmlElement {
  constructor(
    /** The name as written, with its prefix. */
    public name: string,
    public attributes: Record<string, string> = {},
    public children: XmlChild[] = [],
    /** Prefix → namespace URI in force at this element ('' is the default namespace). */
    readonly scope: ReadonlyMap<string, string> = new Map(),
  ) {}

  get local(): string {
    const colon = this.name.indexOf(':');
    return colon < 0 ? this.name : this.name.slice(colon + 1);
  }

  get ns(): string | undefined {
    const colon = this.name.indexOf(':');
    return this.scope.get(colon < 0 ? '' : this.name.slice(0, colon));
  }

  elements(): XmlElement[] {
    return this.children.filter((child): child is XmlElement => child instanceof XmlElement);
  }

  /** The first child element with this local name (and namespace, when given). */
  child(local: string, ns?: string): XmlElement | undefined {
    return this.elements().find((element) => element.local === local && (ns === undefined || element.ns === ns));
  }

  all(local: string, ns?: string): XmlElement[] {
    return this.elements().filter((element) => element.local === local && (ns === undefined || element.ns === ns));
  }

  /** Follows child elements by local name: `el.at('config', 'hardware')`. */
  at(...path: string[]): XmlElement | undefined {
    return path.reduce<XmlElement | undefined>((current, local) => current?.child(local), this);
  }

  /** The element's own text (not its descendants'). */
  get text(): string {
    return this.children
      .filter((child): child is XmlText => !(child instanceof XmlElement))
      .map((child) => child.text)
      .join('');
  }

  set text(value: string) {
    this.children = [{ text: value }];
  }

  /** Text of the child element at `path`, undefined when there is none. */
  textAt(...path: string[]): string | undefined {
    return this.at(...path)?.text;
  }

  /** An attribute by its name as written (unprefixed attributes have no namespace). */
  attr(name: string): string | undefined {
    return this.attributes[name];
  }

  /** An attribute by namespace URI and local name, whatever prefix the document used. */
  attrNs(ns: string, local: string): string | undefined {
    for (const [name, value] of Object.entries(this.attributes)) {
      const colon = name.indexOf(':');
      if (colon < 0 || name.slice(colon + 1) !== local) continue;
      const prefix = name.slice(0, colon);
      if ((prefix === 'xml' ? XML_NS : this.scope.get(prefix)) === ns) return value;
    }
    return undefined;
  }

  /** The local part of `xsi:type` (vim25 marks polymorphic values with it), e.g. "VirtualDisk". */
  get xsiType(): string | undefined {
    const value = this.attrNs(XSI_NS, 'type');
    if (value === undefined) return undefined;
    const colon = value.indexOf(':');
    return colon < 0 ? value : value.slice(colon + 1);
  }

  /** Removes the child elements matching `predicate`; returns how many went. */
  remove(predicate: (element: XmlElement) => boolean): number {
    const before = this.children.length;
    this.children = this.children.filter((child) => !(child instanceof XmlElement && predicate(child)));
    return before - this.children.length;
  }

  /** Appends a new child element (in this element's scope) and returns it. */
  append(name: string, attributes: Record<string, string> = {}, text?: string): XmlElement {
    const element = new XmlElement(name, attributes, text === undefined ? [] : [{ text }], this.scope);
    this.children.push(element);
    return element;
  }

  /** The first child with this local name, appended when missing. */
  ensure(local: string): XmlElement {
    return this.child(local) ?? this.append(local);
  }
}

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  processEntities: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  commentPropName: false,
});

type Ordered = Record<string, unknown> & { ':@'?: Record<string, string> };

/**
 * Parses a document and returns its root element. DOCTYPEs are refused: neither vSphere nor
 * libvirt sends one, and refusing them rules out entity-expansion attacks from a hostile endpoint.
 */
export function parseXml(xml: string): XmlElement {
  if (/<!DOCTYPE/i.test(xml)) throw new Error('XML with a DOCTYPE is not accepted');
  const nodes = parser.parse(xml) as Ordered[];
  const root = nodes.map((node) => convert(node, new Map([['xml', XML_NS]]))).find((node): node is XmlElement => node instanceof XmlElement);
  if (!root) throw new Error('the XML document has no root element');
  return root;
}

function convert(node: Ordered, parentScope: ReadonlyMap<string, string>): XmlChild | undefined {
  const name = Object.keys(node).find((key) => key !== ':@');
  if (name === undefined) return undefined;
  if (name === '#text') return { text: String(node[name]) };
  const attributes = { ...(node[':@'] ?? {}) };
  let scope = parentScope;
  for (const [attribute, value] of Object.entries(attributes)) {
    if (attribute === 'xmlns' || attribute.startsWith('xmlns:')) {
      if (scope === parentScope) scope = new Map(parentScope);
      (scope as Map<string, string>).set(attribute === 'xmlns' ? '' : attribute.slice(6), value);
    }
  }
  const children = ((node[name] as Ordered[] | undefined) ?? [])
    .map((child) => convert(child, scope))
    .filter((child): child is XmlChild => child !== undefined);
  return new XmlElement(name, attributes, children, scope);
}

/** Serializes an element (and its subtree) back to text; namespace declarations are its attributes. */
export function serializeXml(element: XmlElement): string {
  const attributes = Object.entries(element.attributes)
    .map(([name, value]) => ` ${name}="${escapeXml(value)}"`)
    .join('');
  if (element.children.length === 0) return `<${element.name}${attributes}/>`;
  const inner = element.children.map((child) => (child instanceof XmlElement ? serializeXml(child) : escapeXml(child.text))).join('');
  return `<${element.name}${attributes}>${inner}</${element.name}>`;
}

/** Escapes text for element content and attribute values alike. */
export function escapeXml(value: string | number | boolean): string {
  return String(value).replace(/[&<>"']/g, (char) => ESCAPES[char]);
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };
