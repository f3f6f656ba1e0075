import { intervalContains, parseRange, versionInForce } from '../pricing/effective-range';
import { parseInstant } from '../pricing/instant';
import type { WholesaleCatalog } from '../pricing/catalog';
import type { ResourceEventKind } from './usage-input';

/** What usage of an item is being recorded: an event at an instant, or an imported line over a period. */
export type BillableUsage = { kind: ResourceEventKind; at: Date } | { kind: 'line'; from: Date; to: Date };

/**
 * Why usage of `sku` cannot be billed, or null when it can. The item must be in the catalog; a
 * resource may not start once the item is retired (a running one may still change and stop: past
 * and running usage of a retired item is billed); a start or change needs a wholesale price in
 * force at its instant, and an imported line one over its whole period, so the run can rate it.
 */
export function skuUsageProblem(catalog: WholesaleCatalog, sku: string, usage: BillableUsage): string | null {
  const item = catalog.items.find((i) => i.sku === sku);
  if (!item) return 'is not in the catalog';
  const prices = catalog.prices.filter((p) => p.sku === sku);
  const retiredAt = item.retiredAt ? parseInstant(item.retiredAt, 'retiredAt') : null;
  if (usage.kind === 'stop') return null;
  if (usage.kind === 'line') {
    if (retiredAt && retiredAt.getTime() <= usage.from.getTime()) return `was retired on ${retiredAt.toISOString()}, before the period`;
    const gap = firstUncovered(prices, usage.from, usage.to);
    return gap ? `has no wholesale price in force at ${gap.toISOString()}, inside the period` : null;
  }
  if (usage.kind === 'start' && retiredAt && retiredAt.getTime() <= usage.at.getTime())
    return `is retired since ${retiredAt.toISOString()}: no new resource of it can start`;
  return versionInForce(prices, usage.at, `the wholesale price of ${sku}`) ? null : `has no wholesale price in force at ${usage.at.toISOString()}`;
}

/** The first instant of [from, to) that no version covers, or null. */
function firstUncovered(versions: Parameters<typeof versionInForce>[0], from: Date, to: Date): Date | null {
  const ranges = versions.map((v) => parseRange(v));
  let cursor = from;
  while (cursor.getTime() < to.getTime()) {
    const covering = ranges.find((r) => intervalContains(r, cursor));
    if (!covering) return cursor;
    if (covering.to === null) return null;
    cursor = covering.to;
  }
  return null;
}
