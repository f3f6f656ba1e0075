import { AgreementErrorCode } from './party-errors';
import { DomainError, type FieldProblem } from '../errors';
import { isDecimalInput, parseDecimal } from '../money';
import type { PartyKind } from './party';

export const COMMISSION_FUNDERS = ['operator', 'distributor'] as const;
export type CommissionFunder = (typeof COMMISSION_FUNDERS)[number];

/** The terms of one commission agreement version, as sent (decimal strings, never numbers). */
export interface AgreementTermsInput {
  rate: string;
  feePerActiveClient?: string | null;
  firstMonths?: number | null;
  fundedBy?: CommissionFunder | null;
  /** Distributors: marginal brackets on the monthly wholesale volume (`rate` applies below the first `from`). */
  volumeTiers?: ReadonlyArray<{ from: string; rate: string }> | null;
}

export interface AgreementTerms {
  rate: string;
  feePerActiveClient: string | null;
  firstMonths: number | null;
  fundedBy: CommissionFunder | null;
  volumeTiers: Array<{ from: string; rate: string }> | null;
}

/** At most this many volume tiers on one version. */
export const MAX_VOLUME_TIERS = 20;

/**
 * Volume tiers: ascending thresholds (`from`, a monthly wholesale volume above 0 and above the
 * previous tier's) each with a rate, a fraction 0–1 applied to the volume above it (marginal
 * brackets, like income tax). The billing cut applies them (libs/domain billing).
 */
export function volumeTierProblems(tiers: ReadonlyArray<{ from?: unknown; rate?: unknown }>, field = 'volumeTiers'): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (!Array.isArray(tiers) || tiers.length > MAX_VOLUME_TIERS) return [{ field, problem: `must be a list of at most ${MAX_VOLUME_TIERS} tiers` }];
  let previous: ReturnType<typeof parseDecimal> | null = null;
  tiers.forEach((tier, i) => {
    if (!isDecimalInput(tier?.from)) problems.push({ field: `${field}[${i}].from`, problem: 'must be a decimal string such as "10000.00"' });
    else {
      const from = parseDecimal(tier.from as string);
      if (!from.isPositive() || from.isZero() || (previous !== null && !from.greaterThan(previous)))
        problems.push({ field: `${field}[${i}].from`, problem: 'must be above 0 and above the previous tier’s' });
      previous = from;
    }
    if (!isDecimalInput(tier?.rate)) problems.push({ field: `${field}[${i}].rate`, problem: 'must be a decimal string such as "0.06"' });
    else {
      const rate = parseDecimal(tier.rate as string);
      if (rate.isNegative() || rate.greaterThan(1)) problems.push({ field: `${field}[${i}].rate`, problem: 'must be a fraction between 0 and 1' });
    }
  });
  return problems;
}

/** The longest "first N months" limit we accept: 50 years. */
export const MAX_FIRST_MONTHS = 600;

/**
 * Commission terms (DOMAIN.md, the month-end cut): a distributor has a rate on the wholesale revenue
 * of the clients under its resellers and an optional fixed fee per active client; an agent has a
 * rate on the clients it found, optionally only for their first N months, funded by the operator
 * (default) or carved out of its distributor's cut. Rates are fractions: 0.05 is 5 %.
 */
export function agreementTermsProblems(kind: PartyKind, terms: AgreementTermsInput): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (kind !== 'distributor' && kind !== 'agent') return [{ field: 'id', problem: 'only distributors and agents have commission agreements' }];
  if (!isDecimalInput(terms.rate)) problems.push({ field: 'rate', problem: 'must be a decimal string such as "0.05"' });
  else {
    const rate = parseDecimal(terms.rate, 'rate');
    if (rate.isNegative() || rate.greaterThan(1)) problems.push({ field: 'rate', problem: 'must be a fraction between 0 and 1 (0.05 is 5 %)' });
  }
  if (terms.feePerActiveClient != null) {
    if (kind !== 'distributor') problems.push({ field: 'feePerActiveClient', problem: 'applies to distributors only' });
    else if (!isDecimalInput(terms.feePerActiveClient)) problems.push({ field: 'feePerActiveClient', problem: 'must be a decimal string such as "2.00"' });
    else if (parseDecimal(terms.feePerActiveClient, 'feePerActiveClient').isNegative())
      problems.push({ field: 'feePerActiveClient', problem: 'must not be negative' });
  }
  if (terms.firstMonths != null) {
    if (kind !== 'agent') problems.push({ field: 'firstMonths', problem: 'applies to agents only' });
    else if (!Number.isInteger(terms.firstMonths) || terms.firstMonths < 1 || terms.firstMonths > MAX_FIRST_MONTHS)
      problems.push({ field: 'firstMonths', problem: `must be a whole number of months from 1 to ${MAX_FIRST_MONTHS}` });
  }
  if (terms.volumeTiers != null) {
    if (kind !== 'distributor') problems.push({ field: 'volumeTiers', problem: 'apply to distributors only' });
    else problems.push(...volumeTierProblems(terms.volumeTiers));
  }
  if (terms.fundedBy != null) {
    if (kind !== 'agent') problems.push({ field: 'fundedBy', problem: 'applies to agents only' });
    else if (!COMMISSION_FUNDERS.includes(terms.fundedBy)) problems.push({ field: 'fundedBy', problem: `must be one of: ${COMMISSION_FUNDERS.join(', ')}` });
  }
  return problems;
}

/** Validated terms with the defaults applied (an agent's cut is funded by the operator unless said otherwise). */
export function assertAgreementTerms(kind: PartyKind, terms: AgreementTermsInput): AgreementTerms {
  const problems = agreementTermsProblems(kind, terms);
  if (problems.length) {
    throw new DomainError(AgreementErrorCode.InvalidTerms, problems.map((p) => `${p.field} ${p.problem}`).join('; '), problems);
  }
  return {
    rate: parseDecimal(terms.rate, 'rate').toFixed(),
    feePerActiveClient: terms.feePerActiveClient != null ? parseDecimal(terms.feePerActiveClient, 'feePerActiveClient').toFixed() : null,
    firstMonths: kind === 'agent' ? (terms.firstMonths ?? null) : null,
    fundedBy: kind === 'agent' ? (terms.fundedBy ?? 'operator') : null,
    volumeTiers:
      kind === 'distributor' && terms.volumeTiers?.length
        ? terms.volumeTiers.map((t) => ({ from: parseDecimal(t.from).toFixed(), rate: parseDecimal(t.rate).toFixed() }))
        : null,
  };
}
