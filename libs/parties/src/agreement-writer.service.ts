import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import {
  AgreementErrorCode,
  assertAgreementTerms,
  DomainError,
  MoneyErrorCode,
  parseCurrency,
  parseInstant,
  versionClosedBy,
  type AgreementTermsInput,
  type Instant,
  type PartyKind,
} from '@wholesail/domain';
import { catalogCurrency, CommissionAgreement, EffectiveDatePolicy, type Party } from '@wholesail/persistence';
import { lockedParty } from './party-writer.service';

export interface NewAgreementVersion extends AgreementTermsInput {
  /** The catalog's currency (the default): cuts are shares of wholesale revenue. */
  currency?: string;
  /** Default now; never before the EffectiveDatePolicy's earliest instant. */
  effectiveFrom?: Instant;
}

const VERSIONS = { field: 'effectiveFrom', what: 'commission agreement' };

/**
 * Versioned commission agreements of distributors and agents, written by the operator through the
 * API and by onboarding for a new partner. A version is never edited: a new one ends the one in
 * force where it starts.
 */
@Injectable()
export class AgreementWriter {
  constructor(private readonly policy: EffectiveDatePolicy) {}

  async addVersion(tx: EntityManager, party: Party, input: NewAgreementVersion): Promise<CommissionAgreement> {
    const now = new Date();
    // Locking the party serialises its versions, so two concurrent ones cannot both close the same one.
    const owner = await lockedParty(tx, party);
    assertHasAgreements(owner.kind);
    const terms = assertAgreementTerms(owner.kind, input);
    const from = input.effectiveFrom !== undefined ? parseInstant(input.effectiveFrom, 'effectiveFrom') : now;
    await this.policy.assertAllowed(tx, from, now, { ...VERSIONS, code: AgreementErrorCode.EffectiveInPast });
    if (owner.status === 'closed') throw DomainError.conflict(AgreementErrorCode.PartyClosed, `party ${owner.id} is closed`);
    const catalog = await catalogCurrency(tx);
    const currency = parseCurrency(input.currency ?? catalog, 'currency');
    if (currency !== catalog) throw DomainError.invalid(MoneyErrorCode.CurrencyMismatch, 'currency', `must be the catalog's currency, ${catalog}`);

    const rows = await tx.find(CommissionAgreement, { party: owner }, { orderBy: { effectiveFrom: 'asc' } });
    const closing = versionClosedBy(rows, { from }, { ...VERSIONS, code: AgreementErrorCode.OverlappingVersions });
    if (closing) closing.effectiveTo = from;
    const created = tx.create(CommissionAgreement, { party: owner, ...terms, currency, effectiveFrom: from, effectiveTo: null });
    await tx.flush();
    return created;
  }
}

export function assertHasAgreements(kind: PartyKind): void {
  if (kind !== 'distributor' && kind !== 'agent') {
    throw DomainError.invalid(AgreementErrorCode.InvalidParty, 'id', `is a ${kind}: only distributors and agents have commission agreements`);
  }
}
