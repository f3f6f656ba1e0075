import { Dec, DecimalInput, exactAdd, exactMul, exactSub, isDecimalInput, Money, parseDecimal } from '../money';
import { DomainError, FieldProblem } from '../errors';
import { PricingErrorCode } from './pricing-errors';

/**
 * How a reseller prices one item over its own cost:
 * - `uplift`:   cost × (1 + upliftPercent / 100), upliftPercent ≥ 0;
 * - `discount`: list price × (1 − discountPercent / 100), 0 ≤ discountPercent ≤ 100, where the list
 *   price is cost × (1 + the book's default uplift / 100). A discount is off the reseller's normal
 *   price, not off its cost, so a modest discount keeps a margin and only a deep one sells below
 *   cost (allowed, and flagged);
 * - `fixed`:    fixedUnitPrice ≥ 0, whatever the cost.
 * `D` is the decimal type: inputs accept strings or decimals; results echo rules as strings.
 */
export type PriceRule<D = DecimalInput> =
  { kind: 'uplift'; upliftPercent: D } | { kind: 'discount'; discountPercent: D } | { kind: 'fixed'; fixedUnitPrice: D };

export type PriceRuleKind = PriceRule['kind'];

const ZERO = new Dec('0');
const HUNDRED = new Dec('100');
const ONE_HUNDREDTH = new Dec('0.01');

/** The unit price `rule` gives over `cost`; `defaultUpliftPercent` sets the list price for discounts. */
export function applyRule(cost: Money, rule: PriceRule, defaultUpliftPercent: Dec, field = 'rule'): Money {
  assertValidRule(rule, field);
  switch (rule.kind) {
    case 'uplift':
      return cost.mul(percentFactor(parseDecimal(rule.upliftPercent), 1));
    case 'discount': {
      const listPrice = cost.mul(percentFactor(defaultUpliftPercent, 1));
      return listPrice.mul(percentFactor(parseDecimal(rule.discountPercent), -1));
    }
    case 'fixed':
      return Money.of(rule.fixedUnitPrice, cost.currency, `${field}.fixedUnitPrice`);
  }
}

/** (100 ± percent) / 100, exactly: a division by 100 is a shift of two decimal places. */
function percentFactor(percent: Dec, sign: 1 | -1): Dec {
  return exactMul(sign === 1 ? exactAdd(HUNDRED, percent) : exactSub(HUNDRED, percent), ONE_HUNDREDTH);
}

/** The problems of a rule, with field names under `field` (e.g. `rules[2].discountPercent`). */
export function ruleProblems(rule: PriceRule, field = 'rule'): FieldProblem[] {
  const prefix = field ? `${field}.` : '';
  switch (rule?.kind) {
    case 'uplift':
      return percentProblems(rule.upliftPercent, `${prefix}upliftPercent`, false);
    case 'discount':
      return percentProblems(rule.discountPercent, `${prefix}discountPercent`, true);
    case 'fixed':
      return nonNegativeProblems(rule.fixedUnitPrice, `${prefix}fixedUnitPrice`);
    default:
      return [{ field: `${prefix}kind`, problem: 'must be one of uplift, discount, fixed' }];
  }
}

export function assertValidRule(rule: PriceRule, field = 'rule'): void {
  const problems = ruleProblems(rule, field);
  if (problems.length > 0) throw invalidRule(problems);
}

/** An uplift is ≥ 0 (a negative uplift is a discount: say so); a discount is 0–100. */
export function percentProblems(value: DecimalInput, field: string, capAtHundred: boolean): FieldProblem[] {
  if (!isDecimalInput(value)) return [{ field, problem: 'must be a decimal string such as "12.5"' }];
  const percent = parseDecimal(value, field);
  if (capAtHundred && (percent.lessThan(ZERO) || percent.greaterThan(HUNDRED))) return [{ field, problem: 'must be between 0 and 100' }];
  if (percent.lessThan(ZERO)) return [{ field, problem: 'must not be negative' }];
  return [];
}

export function nonNegativeProblems(value: DecimalInput, field: string): FieldProblem[] {
  if (!isDecimalInput(value)) return [{ field, problem: 'must be a decimal string such as "12.50"' }];
  return parseDecimal(value, field).lessThan(ZERO) ? [{ field, problem: 'must not be negative' }] : [];
}

export function invalidRule(problems: FieldProblem[]): DomainError {
  return new DomainError(PricingErrorCode.InvalidRule, problems.map((p) => `${p.field} ${p.problem}`).join('; '), problems);
}

/** A rule with its decimals as plain strings, as written ("22.00" stays "22.00"), to echo in results. */
export function ruleToJson(rule: PriceRule): PriceRule<string> {
  switch (rule.kind) {
    case 'uplift':
      return { kind: 'uplift', upliftPercent: decimalText(rule.upliftPercent) };
    case 'discount':
      return { kind: 'discount', discountPercent: decimalText(rule.discountPercent) };
    case 'fixed':
      return { kind: 'fixed', fixedUnitPrice: decimalText(rule.fixedUnitPrice) };
  }
}

function decimalText(value: DecimalInput): string {
  return typeof value === 'string' ? value : parseDecimal(value).toFixed();
}
