import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { DomainError, PartyErrorCode, type FieldProblem } from '@wholesail/domain';

/**
 * Every uniqueness rule of the partner network is a database constraint (the unique indexes of
 * the `party` and `app_user` tables); this is the one map from an index to the field it protects
 * and how the refusal reads. The pre-checks that word a refusal before writing use the same
 * entries, so the message is the same whichever of the two catches a duplicate.
 */
export const PARTY_UNIQUE_INDEXES = {
  party_code_unique: { field: 'code', problem: 'is already used by another party' },
  party_partner_name_unique: { field: 'name', problem: 'is already used by another partner' },
  party_partner_tax_id_unique: { field: 'taxId', problem: 'is already registered to another partner' },
  party_client_name_unique: { field: 'name', problem: 'is already used by another client of this reseller' },
  party_client_tax_id_unique: { field: 'taxId', problem: 'is already registered to another client of this reseller' },
} as const satisfies Record<string, FieldProblem>;

export const USER_UNIQUE_INDEXES = {
  app_user_email_unique: { field: 'email', problem: 'already belongs to a user' },
} as const satisfies Record<string, FieldProblem>;

/** The rule a failed write broke, when it broke one of `indexes`; undefined for any other error. */
export function violatedRule(error: unknown, indexes: Record<string, FieldProblem>): FieldProblem | undefined {
  if (!(error instanceof UniqueConstraintViolationException)) return undefined;
  const constraint = (error as { constraint?: unknown }).constraint;
  return typeof constraint === 'string' ? indexes[constraint] : undefined;
}

/** The 409 of a taken code, name or tax ID, naming each field. */
export function partyDuplicate(problems: readonly FieldProblem[]): DomainError {
  return DomainError.conflict(PartyErrorCode.Duplicate, problems.map((p) => `${p.field} ${p.problem}`).join('; '), [...problems]);
}
