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
}

export interface AgreementTerms {
  rate: string;
  feePerActiveClient: string | null;
  firstMonths: number | null;
  fundedBy: CommissionFunder | null;
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
  };
}
