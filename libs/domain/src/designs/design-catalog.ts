import type { FieldProblem } from '../errors';
import { parseInstant, type Instant } from '../pricing/instant';

/**
 * What a catalog item is in a design, stored with the item (`catalog_item.design`). The mapping
 * from a graph to a bill of materials reads these roles, never hard-coded SKUs:
 * - `vm-template`: one per VM; its OS and the largest VM it may run (vCPUs, GB RAM, GB boot disk);
 *   `licenceRequired` when a VM of it needs an OS licence (e.g. Windows);
 * - `os-licence`: for VMs whose template runs `os`; priced per VM or per vCPU;
 * - `vcpu`, `ram-gb`, `storage-gb` (boot disks and volumes), `public-ip`: priced per unit.
 */
export const DESIGN_ROLES = ['vm-template', 'os-licence', 'vcpu', 'ram-gb', 'storage-gb', 'public-ip'] as const;
export type DesignRole = (typeof DESIGN_ROLES)[number];

/** The roles priced per unit of a graph's sizes; one item of each is used (see `unitItems`). */
export const UNIT_ROLES = ['vcpu', 'ram-gb', 'storage-gb', 'public-ip'] as const;
export type UnitRole = (typeof UNIT_ROLES)[number];

export interface TemplateAttributes {
  role: 'vm-template';
  os: string;
  maxVcpus: number;
  maxRamGb: number;
  maxDiskGb: number;
  licenceRequired?: boolean;
}

export interface LicenceAttributes {
  role: 'os-licence';
  os: string;
  /** 'vm' (default): one per VM; 'vcpu': one per vCPU of the VM. */
  per?: 'vm' | 'vcpu';
}

export type DesignAttributes = TemplateAttributes | LicenceAttributes | { role: UnitRole };

/** A catalog item as designs see it. */
export interface DesignCatalogItem {
  sku: string;
  name: string;
  retiredAt?: Instant | null;
  design?: DesignAttributes | null;
}

/**
 * What a client's designs may use, at one instant: the catalog's design items (and any item a
 * design names), and the items the client's reseller chain does not sell, each with who says so
 * as the architect should read it ("Acme MSP", "your supplier").
 */
export interface DesignOffer {
  asOf: Instant;
  items: readonly DesignCatalogItem[];
  notSold: readonly { sku: string; by: string }[];
}

export function isRetired(item: DesignCatalogItem, asOf: Instant): boolean {
  return item.retiredAt != null && parseInstant(item.retiredAt, 'retiredAt').getTime() <= parseInstant(asOf, 'asOf').getTime();
}

/**
 * The item priced for each unit role: the first by SKU that is not retired at `asOf` (or, when all
 * are, the first, so that validation can say it is retired); absent when the catalog has none.
 */
export function unitItems(offer: DesignOffer): Partial<Record<UnitRole, DesignCatalogItem>> {
  const chosen: Partial<Record<UnitRole, DesignCatalogItem>> = {};
  const sorted = [...offer.items].sort((a, b) => (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0));
  for (const role of UNIT_ROLES) {
    const candidates = sorted.filter((item) => item.design?.role === role);
    chosen[role] = candidates.find((item) => !isRetired(item, offer.asOf)) ?? candidates[0];
    if (!chosen[role]) delete chosen[role];
  }
  return chosen;
}

/** Problems of design attributes as an operator writes them on a catalog item, fields under `field`. */
export function designAttributeProblems(value: unknown, field = 'design'): FieldProblem[] {
  if (value === null || value === undefined) return [];
  if (typeof value !== 'object' || Array.isArray(value)) return [{ field, problem: 'must be an object with a role' }];
  const attrs = value as Record<string, unknown>;
  const problems: FieldProblem[] = [];
  const allowed: Record<DesignRole, string[]> = {
    'vm-template': ['role', 'os', 'maxVcpus', 'maxRamGb', 'maxDiskGb', 'licenceRequired'],
    'os-licence': ['role', 'os', 'per'],
    vcpu: ['role'],
    'ram-gb': ['role'],
    'storage-gb': ['role'],
    'public-ip': ['role'],
  };
  const role = attrs.role as DesignRole;
  if (!DESIGN_ROLES.includes(role)) return [{ field: `${field}.role`, problem: `must be one of ${DESIGN_ROLES.join(', ')}` }];
  for (const key of Object.keys(attrs))
    if (!allowed[role].includes(key)) problems.push({ field: `${field}.${key}`, problem: `is not an attribute of a ${role}` });
  if (role === 'vm-template' || role === 'os-licence') {
    if (typeof attrs.os !== 'string' || !/^[a-z0-9-]{1,40}$/.test(attrs.os))
      problems.push({ field: `${field}.os`, problem: 'must name the OS, e.g. "linux" or "windows"' });
  }
  if (role === 'vm-template') {
    for (const key of ['maxVcpus', 'maxRamGb', 'maxDiskGb']) {
      const n = attrs[key];
      if (!(typeof n === 'number' && Number.isInteger(n) && n >= 1)) problems.push({ field: `${field}.${key}`, problem: 'must be a whole number ≥ 1' });
    }
    if (attrs.licenceRequired !== undefined && typeof attrs.licenceRequired !== 'boolean')
      problems.push({ field: `${field}.licenceRequired`, problem: 'must be true or false' });
  }
  if (role === 'os-licence' && attrs.per !== undefined && attrs.per !== 'vm' && attrs.per !== 'vcpu') {
    problems.push({ field: `${field}.per`, problem: 'must be "vm" or "vcpu"' });
  }
  return problems;
}
