import { DomainError, FieldProblem } from '../errors';
import { isCurrencyCode, MoneyErrorCode } from '../money';
import { CatalogItem, ITEM_CATEGORIES, WholesalePriceVersion } from './catalog';
import { EffectiveRange, overlappingPairs, rangeProblems } from './effective-range';
import { parseInstant } from './instant';
import { ClientPriceOverride, PRICE_BOOK_AUDIENCES, PriceBookVersion } from './price-book';
import { nonNegativeProblems, percentProblems, ruleProblems } from './price-rule';
import { PricingContext } from './pricing-context';
import { PricingErrorCode } from './pricing-errors';

/**
 * Validation of pricing data before it is saved, so that resolution never meets a bad row.
 * Each `assertValid*` throws one DomainError naming every field at fault, checking in this order:
 * the record's own values (PRICING_INVALID_*), then its SKUs against the catalog
 * (PRICING_UNKNOWN_SKU). Where a new version may sit among the stored ones is the versioned-record
 * rule (`versionClosedBy`, libs/domain/src/versioning), which every versioned write uses.
 * `validatePricingContext` reports every error of a whole loaded context, overlaps included.
 */
export interface VersionCheck {
  items: readonly CatalogItem[];
}

export function assertValidCatalogItem(item: CatalogItem): void {
  throwFirst(catalogItemErrors(item, ''));
}

export function assertValidWholesalePrice(version: WholesalePriceVersion, { items }: VersionCheck): void {
  throwFirst([...wholesalePriceErrors(version, ''), ...unknownSkuErrors([{ sku: version.sku, field: 'sku' }], items)]);
}

export function assertValidPriceBookVersion(version: PriceBookVersion, { items }: VersionCheck): void {
  throwFirst([
    ...priceBookErrors(version, ''),
    ...unknownSkuErrors(
      version.rules.map((rule, i) => ({ sku: rule.sku, field: `rules[${i}].sku` })),
      items,
    ),
  ]);
}

export function assertValidClientOverride(override: ClientPriceOverride, { items }: VersionCheck): void {
  throwFirst([...clientOverrideErrors(override, ''), ...unknownSkuErrors([{ sku: override.sku, field: 'sku' }], items)]);
}

/** Every error in a loaded context, fields named from its root (e.g. `priceBooks[2].rules[0].sku`). */
export function validatePricingContext(context: PricingContext): DomainError[] {
  const { catalog, chain, priceBooks, clientOverrides } = context;
  const items = catalog.items;
  const errors: DomainError[] = [];
  if (!isCurrencyCode(catalog.currency))
    errors.push(DomainError.invalid(MoneyErrorCode.UnknownCurrency, 'catalog.currency', 'must be a supported ISO 4217 code'));

  items.forEach((item, i) => errors.push(...catalogItemErrors(item, `catalog.items[${i}]`)));
  const seenSkus = new Set<string>();
  items.forEach((item, i) => {
    if (seenSkus.has(item.sku)) errors.push(DomainError.invalid(PricingErrorCode.InvalidItem, `catalog.items[${i}].sku`, 'is used by another item'));
    seenSkus.add(item.sku);
  });

  catalog.prices.forEach((price, i) => errors.push(...wholesalePriceErrors(price, `catalog.prices[${i}]`)));
  errors.push(
    ...unknownSkuErrors(
      catalog.prices.map((price, i) => ({ sku: price.sku, field: `catalog.prices[${i}].sku` })),
      items,
    ),
  );

  priceBooks.forEach((book, i) => errors.push(...priceBookErrors(book, `priceBooks[${i}]`)));
  errors.push(
    ...unknownSkuErrors(
      priceBooks.flatMap((book, i) => book.rules.map((rule, j) => ({ sku: rule.sku, field: `priceBooks[${i}].rules[${j}].sku` }))),
      items,
    ),
  );

  clientOverrides.forEach((override, i) => errors.push(...clientOverrideErrors(override, `clientOverrides[${i}]`)));
  errors.push(
    ...unknownSkuErrors(
      clientOverrides.map((override, i) => ({ sku: override.sku, field: `clientOverrides[${i}].sku` })),
      items,
    ),
  );

  if (!chain.clientId) errors.push(DomainError.invalid(PricingErrorCode.InvalidChain, 'chain.clientId', 'is required'));
  if (chain.resellerIds.length === 0 || new Set(chain.resellerIds).size !== chain.resellerIds.length) {
    errors.push(DomainError.invalid(PricingErrorCode.InvalidChain, 'chain.resellerIds', 'must name each reseller once, at least the client’s own'));
  }

  // Overlaps only make sense between well-formed ranges.
  if (errors.some((error) => error.code === PricingErrorCode.InvalidRange)) return errors;
  const indexed = <T>(list: readonly T[]) => list.map((value, index) => ({ value, index }));
  for (const [key, group] of groupBy(indexed(catalog.prices), ({ value }) => value.sku)) {
    errors.push(
      ...overlapErrors(
        group.map(({ value }) => value),
        (k) => `catalog.prices[${group[k].index}].effectiveFrom`,
        `the wholesale price of ${key}`,
      ),
    );
  }
  for (const [key, group] of groupBy(indexed(priceBooks), ({ value }) => `${value.resellerId}'s ${value.audience}`)) {
    errors.push(
      ...overlapErrors(
        group.map(({ value }) => value),
        (k) => `priceBooks[${group[k].index}].effectiveFrom`,
        `reseller ${key} price book`,
      ),
    );
  }
  for (const [key, group] of groupBy(indexed(clientOverrides), ({ value }) => `${value.clientId}'s override for ${value.sku}`)) {
    errors.push(
      ...overlapErrors(
        group.map(({ value }) => value),
        (k) => `clientOverrides[${group[k].index}].effectiveFrom`,
        `client ${key}`,
      ),
    );
  }
  return errors;
}

export function assertValidPricingContext(context: PricingContext): void {
  throwFirst(validatePricingContext(context));
}

function catalogItemErrors(item: CatalogItem, prefix: string): DomainError[] {
  const at = (field: string) => (prefix ? `${prefix}.${field}` : field);
  const problems: FieldProblem[] = [];
  for (const field of ['sku', 'name', 'unit'] as const) {
    if (typeof item[field] !== 'string' || item[field].trim() === '') problems.push({ field: at(field), problem: 'is required' });
  }
  if (!ITEM_CATEGORIES.includes(item.category)) problems.push({ field: at('category'), problem: `must be one of ${ITEM_CATEGORIES.join(', ')}` });
  if (item.retiredAt != null) {
    try {
      parseInstant(item.retiredAt, at('retiredAt'));
    } catch (error) {
      problems.push(...(error as DomainError).fields);
    }
  }
  return errorFrom(PricingErrorCode.InvalidItem, problems);
}

function wholesalePriceErrors(version: WholesalePriceVersion, prefix: string): DomainError[] {
  const at = (field: string) => (prefix ? `${prefix}.${field}` : field);
  return [...errorFrom(PricingErrorCode.InvalidPrice, nonNegativeProblems(version.unitPrice, at('unitPrice'))), ...rangeErrors(version, prefix)];
}

function priceBookErrors(book: PriceBookVersion, prefix: string): DomainError[] {
  const at = (field: string) => (prefix ? `${prefix}.${field}` : field);
  const problems: FieldProblem[] = [];
  if (!book.resellerId) problems.push({ field: at('resellerId'), problem: 'is required' });
  if (!PRICE_BOOK_AUDIENCES.includes(book.audience)) problems.push({ field: at('audience'), problem: `must be one of ${PRICE_BOOK_AUDIENCES.join(', ')}` });
  problems.push(...percentProblems(book.defaultUpliftPercent, at('defaultUpliftPercent'), false));
  const seen = new Set<string>();
  book.rules.forEach((rule, i) => {
    problems.push(...ruleProblems(rule, at(`rules[${i}]`)));
    if (seen.has(rule.sku)) problems.push({ field: at(`rules[${i}].sku`), problem: 'has another rule in this book' });
    seen.add(rule.sku);
  });
  return [...errorFrom(PricingErrorCode.InvalidRule, problems), ...rangeErrors(book, prefix)];
}

function clientOverrideErrors(override: ClientPriceOverride, prefix: string): DomainError[] {
  const at = (field: string) => (prefix ? `${prefix}.${field}` : field);
  const problems = ruleProblems(override, prefix);
  if (!override.clientId) problems.push({ field: at('clientId'), problem: 'is required' });
  return [...errorFrom(PricingErrorCode.InvalidRule, problems), ...rangeErrors(override, prefix)];
}

function rangeErrors(range: EffectiveRange, prefix: string): DomainError[] {
  return errorFrom(PricingErrorCode.InvalidRange, rangeProblems(range, prefix));
}

function unknownSkuErrors(references: readonly { sku: string; field: string }[], items: readonly CatalogItem[]): DomainError[] {
  const known = new Set(items.map((item) => item.sku));
  const problems = references
    .filter(({ sku }) => !known.has(sku))
    .map(({ sku, field }) => ({ field, problem: `is not in the catalog (${JSON.stringify(sku)})` }));
  return errorFrom(PricingErrorCode.UnknownSku, problems);
}

/**
 * Versions of one owner and item in a loaded context; `fieldOf(i)` names version i (the later of
 * each overlapping pair is blamed). Skipped when a range is malformed: that error is reported already.
 */
function overlapErrors(versions: readonly EffectiveRange[], fieldOf: (index: number) => string, describe: string): DomainError[] {
  if (versions.some((version) => rangeProblems(version).length > 0)) return [];
  const problems = overlappingPairs(versions).map(([, j]) => ({ field: fieldOf(j), problem: `overlaps another version of ${describe}` }));
  if (problems.length === 0) return [];
  return [DomainError.conflict(PricingErrorCode.OverlappingVersions, `versions of ${describe} overlap`, problems)];
}

function errorFrom(code: string, problems: FieldProblem[]): DomainError[] {
  if (problems.length === 0) return [];
  return [new DomainError(code, problems.map((p) => `${p.field} ${p.problem}`).join('; '), problems)];
}

function throwFirst(errors: readonly DomainError[]): void {
  if (errors.length > 0) throw errors[0];
}

function groupBy<T>(values: readonly T[], key: (value: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const value of values) groups.set(key(value), [...(groups.get(key(value)) ?? []), value]);
  return groups;
}
