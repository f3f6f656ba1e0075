/**
 * Codes of the errors the pricing engine raises, stable for the API's exception filter (which maps
 * a DomainError's kind to a status): the `Invalid*`, `UnknownSku` and `ItemRetired` codes are
 * input problems (kind `invalid`, with the fields at fault, as is `EffectiveInPast`), `OverlappingVersions` and
 * `NoPriceInForce` are data conflicts (`conflict`), `NotInChain` is a visibility refusal
 * (`forbidden`).
 */
export const PricingErrorCode = {
  InvalidItem: 'PRICING_INVALID_ITEM',
  /** A wholesale price that is negative or not a decimal. */
  InvalidPrice: 'PRICING_INVALID_PRICE',
  /** An uplift, discount or fixed price outside its bounds, or a duplicate rule in one book. */
  InvalidRule: 'PRICING_INVALID_RULE',
  /** An effective range whose end is not after its start, or an instant that is not ISO 8601. */
  InvalidRange: 'PRICING_INVALID_RANGE',
  InvalidQuantity: 'PRICING_INVALID_QUANTITY',
  /** A share of a period that is not 0 ≤ seconds existed ≤ seconds in period, or usage outside its period. */
  InvalidProration: 'PRICING_INVALID_PRORATION',
  /** An empty or repeating reseller chain. */
  InvalidChain: 'PRICING_INVALID_CHAIN',
  UnknownSku: 'PRICING_UNKNOWN_SKU',
  /** A price book for a party that is not a reseller, or an override for one that is not a client. */
  NotAReseller: 'PRICING_NOT_A_RESELLER',
  NotAClient: 'PRICING_NOT_A_CLIENT',
  /** Two versions of the same owner and item in force at the same instant. */
  OverlappingVersions: 'PRICING_OVERLAPPING_VERSIONS',
  /** A new version, end or retirement before the earliest instant a change may take effect. */
  EffectiveInPast: 'PRICING_EFFECTIVE_IN_PAST',
  /** No wholesale price or price book version in force at the instant being priced. */
  NoPriceInForce: 'PRICING_NO_PRICE_IN_FORCE',
  /** A retired item on a new quote. */
  ItemRetired: 'PRICING_ITEM_RETIRED',
  /** A party asked for its view of a price chain it is not part of. */
  NotInChain: 'PRICING_NOT_IN_CHAIN',
} as const;

export type PricingErrorCode = (typeof PricingErrorCode)[keyof typeof PricingErrorCode];
