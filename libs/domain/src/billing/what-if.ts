import { DomainError } from '../errors';
import { parseInstant, type Instant } from '../pricing/instant';
import { assertAgreementTerms, type AgreementTermsInput } from '../parties/agreement-terms';
import { BillingErrorCode } from './billing-errors';
import { assertVolumeTiers, type AgentAgreementVersion, type ChannelSnapshot, type DistributorAgreementVersion } from './channel';
import type { BillingPeriod } from './period';

/**
 * What-if: a dry run under proposed agreement versions, beside the terms in force. A proposal is a
 * new version for one distributor or agent from `effectiveFrom` (default the period's start): it
 * ends the party's versions there, as adding the version would, and nothing is written.
 */
export interface ProposedAgreement extends AgreementTermsInput {
  /** An id for the proposed version (the caller's, e.g. a fresh UUID): lines computed under it name it. */
  id: string;
  partyId: string;
  partyKind: 'distributor' | 'agent';
  effectiveFrom?: Instant | null;
}

/** The channel with the proposals in force. Refuses bad terms (AGREEMENT_INVALID_TERMS / BILLING_INVALID_AGREEMENT) naming `agreements[i]`. */
export function withProposedAgreements(snapshot: ChannelSnapshot, proposals: readonly ProposedAgreement[], period: BillingPeriod): ChannelSnapshot {
  const seen = new Set<string>();
  let distributorAgreements: DistributorAgreementVersion[] = [...snapshot.distributorAgreements];
  let agentAgreements: AgentAgreementVersion[] = [...snapshot.agentAgreements];
  proposals.forEach((proposal, i) => {
    const field = `agreements[${i}]`;
    if (seen.has(proposal.partyId))
      throw DomainError.invalid(BillingErrorCode.InvalidAgreement, `${field}.partyId`, 'is proposed twice: one version per party');
    seen.add(proposal.partyId);
    const from = proposal.effectiveFrom ? parseInstant(proposal.effectiveFrom, `${field}.effectiveFrom`) : period.start;
    if (from.getTime() >= period.end.getTime())
      throw DomainError.invalid(BillingErrorCode.InvalidAgreement, `${field}.effectiveFrom`, `must be before the end of ${period.id}`);
    const terms = assertAgreementTerms(proposal.partyKind, proposal);
    const cut = <T extends { effectiveFrom: Instant; effectiveTo?: Instant | null }>(versions: T[], owner: (v: T) => string): T[] =>
      versions.flatMap((v) => {
        if (owner(v) !== proposal.partyId) return [v];
        if (parseInstant(v.effectiveFrom, 'effectiveFrom').getTime() >= from.getTime()) return [];
        const to = v.effectiveTo ? parseInstant(v.effectiveTo, 'effectiveTo') : null;
        return to !== null && to.getTime() <= from.getTime() ? [v] : [{ ...v, effectiveTo: from }];
      });
    if (proposal.partyKind === 'distributor') {
      const version: DistributorAgreementVersion = {
        id: proposal.id,
        distributorId: proposal.partyId,
        rate: terms.rate,
        feePerActiveClient: terms.feePerActiveClient,
        volumeTiers: terms.volumeTiers,
        effectiveFrom: from,
      };
      assertVolumeTiers(version);
      distributorAgreements = [...cut(distributorAgreements, (v) => v.distributorId), version];
    } else {
      const version: AgentAgreementVersion = {
        id: proposal.id,
        agentId: proposal.partyId,
        rate: terms.rate,
        firstMonths: terms.firstMonths,
        fundedBy: terms.fundedBy,
        effectiveFrom: from,
      };
      agentAgreements = [...cut(agentAgreements, (v) => v.agentId), version];
    }
  });
  return { ...snapshot, distributorAgreements, agentAgreements };
}
