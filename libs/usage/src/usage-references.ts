import type { EntityManager } from '@mikro-orm/postgresql';
import { isWithin, skuUsageProblem, type BillableUsage, type WholesaleCatalog } from '@wholesail/domain';
import { loadCatalog, Party } from '@wholesail/persistence';

/**
 * Checks what usage refers to — the client and the catalog item — for the recorder and the
 * importer alike, with lookups cached for one request (an import of 100k lines names few clients).
 * A client outside the caller's scope reads exactly like one that does not exist.
 */
export class UsageReferences {
  private readonly clients = new Map<string, string | null>();
  private catalog: WholesaleCatalog | null = null;
  /** Imported lines repeat a few (SKU, period) pairs many times. */
  private readonly periodProblems = new Map<string, string | null>();

  constructor(
    private readonly em: EntityManager,
    /** Only clients whose path starts with this are visible (the caller's party path). */
    private readonly scopePath: string | null,
  ) {}

  /** Looks up the clients not seen yet, in one query. */
  async loadClients(ids: Iterable<string>): Promise<void> {
    const missing = [...new Set(ids)].filter((id) => !this.clients.has(id));
    if (!missing.length) return;
    const parties = await this.em.find(Party, { id: { $in: missing } }, { fields: ['id', 'kind', 'path'] });
    for (const id of missing) {
      const party = parties.find((p) => p.id === id);
      if (!party || (this.scopePath !== null && !isWithin(party.path, this.scopePath))) this.clients.set(id, 'does not exist');
      else this.clients.set(id, party.kind === 'client' ? null : `is a ${party.kind}, not a client`);
    }
  }

  /** Why a client cannot have usage, or null (call `loadClients` first). */
  clientProblem(id: string): string | null {
    const problem = this.clients.get(id);
    if (problem === undefined) throw new Error(`client ${id} was not loaded`);
    return problem;
  }

  /** Why an item's usage cannot be billed, or null. The catalog is read once. */
  async skuProblem(sku: string, usage: BillableUsage): Promise<string | null> {
    this.catalog ??= await loadCatalog(this.em);
    if (usage.kind !== 'line') return skuUsageProblem(this.catalog, sku, usage);
    const key = `${sku} ${usage.from.getTime()} ${usage.to.getTime()}`;
    if (!this.periodProblems.has(key)) this.periodProblems.set(key, skuUsageProblem(this.catalog, sku, usage));
    return this.periodProblems.get(key)!;
  }
}
