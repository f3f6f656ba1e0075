import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import type { Principal } from '@wholesail/auth';
import { DomainError, isDomainError, parseInstant, priceBillOfMaterials, PricingErrorCode, quoteForClient, quoteForTier, type Quote } from '@wholesail/domain';
import { instantWindow, loadPricingContext, Party } from '@wholesail/persistence';
import { TenancyService } from '../tenancy/tenancy.service';
import type { CreateQuoteDto, QuoteView } from './dto/quote.dto';
import { assertKind } from './price-access';

/**
 * Prices a bill of materials for a client with the engine, from the rows in force at `asOf`, and
 * returns it through the view the caller may see. It writes nothing (no Idempotency-Key needed).
 */
@Injectable()
export class QuotesService {
  constructor(
    private readonly em: EntityManager,
    private readonly tenancy: TenancyService,
  ) {}

  async quote(principal: Principal, dto: CreateQuoteDto): Promise<QuoteView> {
    const client = await this.em.findOne(Party, { id: dto.clientId });
    this.tenancy.assertCanSee(principal, client, dto.clientId);
    assertKind(client, 'client', 'clientId');
    const asOf = dto.asOf ? parseInstant(dto.asOf, 'asOf') : new Date();
    const skus = [...new Set(dto.lines.map((line) => line.sku))];
    const context = await loadPricingContext(this.em, client, skus, instantWindow(asOf));
    let quote: Quote;
    try {
      quote = priceBillOfMaterials(context, { asOf, lines: dto.lines });
    } catch (error) {
      throw principal.partyKind === 'operator' ? error : withoutNames(error);
    }
    switch (principal.partyKind) {
      case 'operator':
        return { view: 'operator', ...quote };
      case 'reseller':
        return { view: 'reseller', ...quoteForTier(quote, principal.partyId) };
      case 'client':
        return { view: 'client', ...quoteForClient(quote) };
      default:
        throw DomainError.forbidden('QUOTE_FORBIDDEN', `a ${principal.partyKind} cannot see client prices`);
    }
  }
}

/**
 * A missing price book up the chain is named by its reseller's id in the engine's message; below
 * the operator that would point at a parent, so the message is told without it.
 */
function withoutNames(error: unknown): unknown {
  if (!isDomainError(error) || error.code !== PricingErrorCode.NoPriceInForce) return error;
  return new DomainError(
    error.code,
    'a price for this quote is not in force at the instant asked (a wholesale price or a price book version in the chain is missing)',
    error.fields,
    error.kind,
  );
}
