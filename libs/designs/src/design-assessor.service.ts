import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import {
  billOfMaterials,
  designTotals,
  isDomainError,
  priceBillOfMaterials,
  skusOf,
  validateDesign,
  type BillOfMaterialsLine,
  type DesignGraph,
  type DesignOffer,
  type DesignTotals,
  type FieldProblem,
  type Quote,
} from '@wholesail/domain';
import { CatalogItem, instantWindow, loadPricingContext, Party, resellerChain, SolutionPolicyRecord } from '@wholesail/persistence';

/** A design checked against what the client may buy now, and priced at the client's prices. */
export interface DesignCheck {
  /** Empty: the design can be submitted. */
  problems: FieldProblem[];
  totals: DesignTotals;
  billOfMaterials: BillOfMaterialsLine[];
  /** Design fields left out of the quote (an unknown, retired or unsold item). */
  unpriced: string[];
  /** Every tier (the operator's view); callers show each party its own view. Null when nothing could be priced. */
  quote: Quote | null;
  /** Why pricing failed (e.g. a price book missing up the chain), when it did. */
  quoteError: { code: string; message: string } | null;
}

/**
 * Validates and quotes designs for the API (the designer's live check, saves, submissions) and the
 * approval activities alike, from the same rows: the catalog's design items, the solution policies
 * of the client's reseller chain (what they do not sell) and the pricing engine's context.
 */
@Injectable()
export class DesignAssessor {
  constructor(private readonly em: EntityManager) {}

  async check(client: Party, graph: DesignGraph, asOf = new Date()): Promise<DesignCheck> {
    const em = this.em.fork();
    const offer = await this.offer(em, client, skusOf(graph), asOf);
    const problems = validateDesign(graph, offer);
    const bom = billOfMaterials(graph, offer);
    let quote: Quote | null = null;
    let quoteError: DesignCheck['quoteError'] = null;
    if (bom.lines.length > 0) {
      try {
        const context = await loadPricingContext(em, client, [...new Set(bom.lines.map((l) => l.sku))], instantWindow(asOf));
        quote = priceBillOfMaterials(context, { asOf, lines: bom.lines });
      } catch (error) {
        if (!isDomainError(error)) throw error;
        quoteError = { code: error.code, message: error.message };
      }
    }
    return { problems, totals: designTotals(graph), billOfMaterials: bom.lines, unpriced: bom.unpriced, quote, quoteError };
  }

  /**
   * What `client`'s designs may use at `asOf`: the catalog's design items and any SKU a design
   * names, and the SKUs its reseller chain does not sell. The client's own reseller is named; a
   * reseller above it is not (a sub-reseller learns nothing of its parent beyond the refusal).
   */
  async offer(em: EntityManager, client: Party, skus: readonly string[], asOf: Date): Promise<DesignOffer> {
    const items = await em.find(CatalogItem, { $or: [{ design: { $ne: null } }, { sku: { $in: [...skus] } }] }, { orderBy: { sku: 'asc' } });
    const chain = await resellerChain(em, client);
    const own = chain.at(-1);
    const policies = chain.length ? await em.find(SolutionPolicyRecord, { reseller: { $in: chain } }, { populate: ['reseller'] }) : [];
    const notSold = policies.flatMap((record) =>
      record.policy.notSold.map((sku) => ({
        sku,
        by: record.reseller.id === own?.id ? record.reseller.name : `the reseller that supplies ${own?.name ?? 'yours'}`,
      })),
    );
    // The client's own reseller's word comes first, so its name is what the architect reads.
    notSold.sort((a, b) => Number(b.by === own?.name) - Number(a.by === own?.name));
    return {
      asOf,
      items: items.map((item) => ({ sku: item.sku, name: item.name, retiredAt: item.retiredAt ?? null, design: item.design ?? null })),
      notSold,
    };
  }
}
