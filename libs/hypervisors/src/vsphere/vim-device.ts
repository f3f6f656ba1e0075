import { XSI_NS, escapeXml, type XmlElement } from '../xml/xml';
import type { Fragment } from './vim-xml';

const XSD_NS = 'http://www.w3.org/2001/XMLSchema';

/** The virtual devices of a VM as `config.hardware.device` returns them. */
export interface VimDevice {
  key: number;
  /** The xsi:type, e.g. VirtualDisk, VirtualVmxnet3. */
  type: string;
  element: XmlElement;
}

const NIC_TYPES = new Set([
  'VirtualE1000',
  'VirtualE1000e',
  'VirtualPCNet32',
  'VirtualVmxnet',
  'VirtualVmxnet2',
  'VirtualVmxnet3',
  'VirtualVmxnet3Vrdma',
  'VirtualSriovEthernetCard',
]);

export function readDevices(val: XmlElement | undefined): VimDevice[] {
  if (!val) return [];
  return val.elements().map((element) => ({ key: Number(element.textAt('key')), type: element.xsiType ?? element.local, element }));
}

export function isNic(device: VimDevice): boolean {
  return NIC_TYPES.has(device.type) || device.element.child('macAddress') !== undefined;
}

export function isDisk(device: VimDevice): boolean {
  return device.type === 'VirtualDisk';
}

/** A disk's capacity in KiB (capacityInBytes wins when present, as vSphere documents). */
export function diskCapacityKb(device: VimDevice): number {
  const bytes = Number(device.element.textAt('capacityInBytes') ?? 0);
  return bytes > 0 ? Math.ceil(bytes / 1024) : Number(device.element.textAt('capacityInKB') ?? 0);
}

/**
 * Writes a fetched device back into a request (for an `edit` device change) under a new element
 * name, with some children replaced. The response used whatever namespace prefixes the server
 * chose, declared on ancestors we do not copy, so every xsi:type is rewritten with the request's
 * own `xsi` prefix and names lose their prefixes.
 */
export function echoElement(element: XmlElement, name: string, replace: Record<string, Fragment> = {}): Fragment {
  const type = element.xsiType;
  const typeAttribute = type ? ` xsi:type="${escapeXml(typeValue(element, type))}"` : '';
  const other = Object.entries(element.attributes)
    .filter(([attribute]) => !attribute.startsWith('xmlns') && !isXsiType(element, attribute))
    .map(([attribute, value]) => ` ${attribute.slice(attribute.indexOf(':') + 1)}="${escapeXml(value)}"`)
    .join('');
  const seen = new Set<string>();
  const children = element.elements();
  let inner = '';
  if (children.length === 0) inner = escapeXml(element.text);
  for (const child of children) {
    if (child.local in replace) {
      if (!seen.has(child.local)) inner += replace[child.local];
      seen.add(child.local);
      continue;
    }
    inner += echoElement(child, child.local);
  }
  // Replacements for children the device did not have go last (optional fields at the end).
  for (const [local, fragment] of Object.entries(replace)) if (!seen.has(local)) inner += fragment;
  return `<${name}${typeAttribute}${other}>${inner}</${name}>`;
}

function isXsiType(element: XmlElement, attribute: string): boolean {
  const colon = attribute.indexOf(':');
  return colon >= 0 && attribute.slice(colon + 1) === 'type' && element.scope.get(attribute.slice(0, colon)) === XSI_NS;
}

/** xsd:string stays in the XML Schema namespace; vim25 types need no prefix (urn:vim25 is the default). */
function typeValue(element: XmlElement, local: string): string {
  const raw = element.attrNs(XSI_NS, 'type') ?? local;
  const colon = raw.indexOf(':');
  if (colon >= 0 && element.scope.get(raw.slice(0, colon)) === XSD_NS) return `xsd:${local}`;
  return local;
}
