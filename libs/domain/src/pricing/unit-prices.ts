import { DomainError } from '../errors';
import { Dec, Money, parseCurrency, parseDecimal } from '../money';
import { CatalogItem } from './catalog';
import { versionInForce } from './effective-range';
import { Instant, parseInstant } from './instant';
import { ClientPriceOverride, PriceBookAudience, PriceBookVersion } from './price-book';
import { applyRule, invalidRule, percentProblems, PriceRule, ruleToJson } from './price-rule';
import { PricingChain, PricingContext } from './pricing-context';
import { PricingErrorCode } from './pricing-errors';
import { RuleSource, TierUnitPrice, UnitPriceChain } from './waterfall';

/**
 * The exact unit prices of `sku` for the context's client at instant `at`, tier by tier:
 * the top-level reseller's cost is the wholesale price in force; each reseller with a reseller
 * below it sells at its sub-reseller book applied to its cost, and that is the next tier's cost;
 * the client's reseller sells at the client's override for the item if one is in force, else at
 * its client book. Nothing is rounded here.
 */
export function resolveUnitPrices(context: PricingContext, sku: string, at: Instant): UnitPriceChain {
  const instant = parseInstant(at, 'at');
  const { catalog, chain } = context;
  assertValidChain(chain);
  const currency = parseCurrency(catalog.currency, 'catalog.currency');
  findCatalogItem(catalog.items, sku);

  const wholesale = versionInForce(
    catalog.prices.filter((version) => version.sku === sku),
    instant,
    `the wholesale price of ${sku}`,
  );
  if (!wholesale) throw noPriceInForce(`no wholesale price of ${sku} is in force at ${instant.toISOString()}`, 'sku');
  const wholesaleUnitPrice = Money.of(wholesale.unitPrice, currency, 'unitPrice');
  if (wholesaleUnitPrice.isNegative()) throw DomainError.invalid(PricingErrorCode.InvalidPrice, 'unitPrice', `of ${sku} must not be negative`);

  const tiers: TierUnitPrice[] = [];
  let unitCost = wholesaleUnitPrice;
  chain.resellerIds.forEach((resellerId, depth) => {
    const sellsToClient = depth === chain.resellerIds.length - 1;
    const book = bookInForce(context.priceBooks, resellerId, sellsToClient ? 'clients' : 'subResellers', instant);
    const override = sellsToClient ? overrideInForce(context.clientOverrides, chain.clientId, sku, instant) : undefined;
    const chosen = override ? overrideRule(override) : bookRule(book, sku);
    const unitPrice = applyRule(unitCost, chosen.rule, defaultUplift(book), chosen.field);
    tiers.push({
      resellerId,
      depth,
      sellsTo: sellsToClient ? 'client' : 'subReseller',
      unitCost,
      unitPrice,
      appliedRule: { source: chosen.source, rule: ruleToJson(chosen.rule), versionId: chosen.versionId },
      belowCost: unitPrice.lessThan(unitCost),
    });
    unitCost = unitPrice;
  });

  return {
    clientId: chain.clientId,
    sku,
    at: instant,
    currency,
    wholesaleUnitPrice,
    wholesalePriceVersionId: wholesale.id ?? null,
    tiers,
    clientUnitPrice: unitCost,
  };
}

export function findCatalogItem(items: readonly CatalogItem[], sku: string, field = 'sku'): CatalogItem {
  const item = items.find((candidate) => candidate.sku === sku);
  if (!item) throw DomainError.invalid(PricingErrorCode.UnknownSku, field, `is not in the catalog (${JSON.stringify(sku)})`);
  return item;
}

export function assertValidChain(chain: PricingChain): void {
  if (!chain.clientId) throw DomainError.invalid(PricingErrorCode.InvalidChain, 'chain.clientId', 'is required');
  if (chain.resellerIds.length === 0) throw DomainError.invalid(PricingErrorCode.InvalidChain, 'chain.resellerIds', 'must name at least the client’s reseller');
  if (new Set(chain.resellerIds).size !== chain.resellerIds.length) {
    throw DomainError.invalid(PricingErrorCode.InvalidChain, 'chain.resellerIds', 'must not name a reseller twice');
  }
}

function bookInForce(books: readonly PriceBookVersion[], resellerId: string, audience: PriceBookAudience, at: Date): PriceBookVersion {
  const describe = `reseller ${resellerId}'s ${audience} price book`;
  const book = versionInForce(
    books.filter((version) => version.resellerId === resellerId && version.audience === audience),
    at,
    describe,
  );
  if (!book) throw noPriceInForce(`no version of ${describe} is in force at ${at.toISOString()}`, 'priceBooks');
  return book;
}

function overrideInForce(overrides: readonly ClientPriceOverride[], clientId: string, sku: string, at: Date): ClientPriceOverride | undefined {
  return versionInForce(
    overrides.filter((override) => override.clientId === clientId && override.sku === sku),
    at,
    `client ${clientId}'s override for ${sku}`,
  );
}

/** The rule a tier applies, and where it came from; `field` names it if a stored row is out of bounds. */
interface ChosenRule {
  rule: PriceRule;
  source: RuleSource;
  versionId: string | null;
  field: string;
}

function overrideRule(override: ClientPriceOverride): ChosenRule {
  return { rule: override, source: 'clientOverride', versionId: override.id ?? null, field: `clientOverrides[${override.id ?? override.sku}]` };
}

function bookRule(book: PriceBookVersion, sku: string): ChosenRule {
  const versionId = book.id ?? null;
  const index = book.rules.findIndex((candidate) => candidate.sku === sku);
  if (index < 0) {
    return {
      rule: { kind: 'uplift', upliftPercent: book.defaultUpliftPercent },
      source: 'defaultUplift',
      versionId,
      field: `${bookField(book)}.defaultUplift`,
    };
  }
  return { rule: book.rules[index], source: 'rule', versionId, field: `${bookField(book)}.rules[${index}]` };
}

/** The book's default uplift, which also sets the list price that discounts are taken off. */
function defaultUplift(book: PriceBookVersion): Dec {
  const problems = percentProblems(book.defaultUpliftPercent, `${bookField(book)}.defaultUpliftPercent`, false);
  if (problems.length > 0) throw invalidRule(problems);
  return parseDecimal(book.defaultUpliftPercent);
}

function bookField(book: PriceBookVersion): string {
  return `priceBooks[${book.id ?? `${book.resellerId}/${book.audience}`}]`;
}

function noPriceInForce(message: string, field: string): DomainError {
  return DomainError.conflict(PricingErrorCode.NoPriceInForce, message, [{ field, problem: 'has no version in force at the instant priced' }]);
}
