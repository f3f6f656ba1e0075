/**
 * The price book editor's live margin preview. It prices with the domain's own rule (applyRule,
 * the function the API and billing use), so the preview and the saved book always agree.
 */
import { applyRule, Dec, Money, percentProblems, ruleProblems, type PriceRule } from '@wholesail/domain';

export type RuleChoice = { kind: 'default' } | { kind: 'uplift' | 'discount' | 'fixed'; value: string };

export interface PreviewLine {
  price: string | null;
  margin: string | null;
  /** Margin as a share of the price, one decimal (display only). */
  marginPercent: string | null;
  belowCost: boolean;
  problem: string | null;
}

export function toRule(choice: RuleChoice): PriceRule | null {
  switch (choice.kind) {
    case 'default':
      return null;
    case 'uplift':
      return { kind: 'uplift', upliftPercent: choice.value };
    case 'discount':
      return { kind: 'discount', discountPercent: choice.value };
    case 'fixed':
      return { kind: 'fixed', fixedUnitPrice: choice.value };
  }
}

const EMPTY: PreviewLine = { price: null, margin: null, marginPercent: null, belowCost: false, problem: null };

export function defaultUpliftProblem(value: string): string | null {
  if (value.trim() === '') return 'is required';
  try {
    return percentProblems(value.trim(), 'defaultUpliftPercent', false)[0]?.problem ?? null;
  } catch (error) {
    return error instanceof Error ? error.message : 'is not a decimal';
  }
}

/** One item's unit price, margin and margin share under a rule (the default uplift when there is none). */
export function previewLine(cost: string | null, currency: string, choice: RuleChoice, defaultUpliftPercent: string): PreviewLine {
  if (cost === null) return { ...EMPTY, problem: 'no cost in force' };
  if (defaultUpliftProblem(defaultUpliftPercent)) return EMPTY;
  const rule = toRule(choice) ?? { kind: 'uplift' as const, upliftPercent: defaultUpliftPercent.trim() };
  try {
    const problems = ruleProblems(rule, '');
    if (problems.length > 0) return { ...EMPTY, problem: problems[0].problem };
    const unitCost = Money.of(cost, currency);
    const price = applyRule(unitCost, rule, new Dec(defaultUpliftPercent.trim()));
    const margin = price.sub(unitCost);
    return {
      price: price.toString(),
      margin: margin.toString(),
      marginPercent: price.isZero() ? null : margin.amount.div(price.amount).mul(100).toFixed(1),
      belowCost: price.lessThan(unitCost),
      problem: null,
    };
  } catch (error) {
    return { ...EMPTY, problem: error instanceof Error ? error.message : 'cannot be priced' };
  }
}
