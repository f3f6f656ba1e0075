import type { FieldProblem } from '../errors';

/**
 * Tax identifiers. We accept the common VAT/TIN shape: a two-letter country prefix followed by
 * 2–13 letters or digits (EU VAT numbers, GB, CH, NO, ...), after removing spaces, dots and
 * dashes that people type. Country-specific checksums are a natural extension.
 */
const WELL_FORMED = /^[A-Z]{2}[A-Z0-9]{2,13}$/;

export function normalizeTaxId(raw: string): string {
  return raw.toUpperCase().replace(/[\s.\-/]/g, '');
}

export function isWellFormedTaxId(raw: string): boolean {
  return WELL_FORMED.test(normalizeTaxId(raw));
}

/** The problem with a tax ID as typed, for validators that report every field at once. */
export function taxIdProblems(raw: string, field = 'taxId'): FieldProblem[] {
  return isWellFormedTaxId(raw) ? [] : [{ field, problem: 'is not a well-formed tax ID (two-letter country code and 2–13 letters or digits)' }];
}
