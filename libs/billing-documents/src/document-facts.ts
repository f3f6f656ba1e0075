import type { BillingAgreementRef, BillingPartyRef } from '@wholesail/contracts';
import { formatInstant } from '@wholesail/mail';
import { formatAmount, formatDecimal, formatPeriod, formatRate } from './document-figures';
import type { BillingDocumentHeader } from './document-layout';

export interface DocumentFact {
  label: string;
  value: string;
}

/**
 * The facts at the head of a document, in the order the e-mail and the PDF show them: number,
 * period, issue date, the parties' tax IDs and, for a payout, every agreement version it was
 * computed under with its rate (and fee, tiers, first-N months, funding).
 */
export function documentFacts(document: BillingDocumentHeader, timeZone: string): DocumentFact[] {
  const facts: DocumentFact[] = [
    { label: 'Number', value: document.number ?? 'draft' },
    { label: 'Period', value: formatPeriod(document.period) },
  ];
  const issued = document.issuedAt ?? document.finalisedAt;
  if (issued) facts.push({ label: 'Issued', value: formatInstant(issued, timeZone, 'date', 'issuedAt') });
  facts.push({ label: 'From', value: partyLine(document.issuer) });
  facts.push({ label: 'To', value: partyLine(document.recipient) });
  for (const agreement of document.agreements) {
    facts.push({ label: agreementLabel(agreement, timeZone), value: agreementTerms(agreement, document.currency) });
  }
  if (document.correctsDocumentId) facts.push({ label: 'Corrects', value: `document ${document.correctsDocumentId}` });
  facts.push({ label: 'Currency', value: document.currency });
  return facts;
}

function partyLine(party: BillingPartyRef): string {
  return party.taxId ? `${party.name} (tax ID ${party.taxId})` : party.name;
}

/** "Agreement version of 1 October 2026" (and "to 15 October 2026" when it ended). */
export function agreementLabel(agreement: BillingAgreementRef, timeZone: string): string {
  const from = formatInstant(agreement.effectiveFrom, timeZone, 'date', 'agreement.effectiveFrom');
  const to = agreement.effectiveTo ? ` to ${formatInstant(agreement.effectiveTo, timeZone, 'date', 'agreement.effectiveTo')}` : '';
  return `Agreement version of ${from}${to}`;
}

/** "5 % of wholesale revenue, 6 % above 10,000.00 EUR, plus 2.00 EUR per active client". */
export function agreementTerms(agreement: BillingAgreementRef, currency: string): string {
  const parts = [`${formatRate(agreement.rate, 'agreement.rate')} of wholesale revenue`];
  for (const tier of agreement.volumeTiers ?? []) {
    parts.push(`${formatRate(tier.rate, 'agreement.volumeTiers.rate')} above ${formatAmount(tier.from, currency, 'agreement.volumeTiers.from')}`);
  }
  if (agreement.feePerActiveClient)
    parts.push(`plus ${formatAmount(agreement.feePerActiveClient, currency, 'agreement.feePerActiveClient')} per active client`);
  if (agreement.firstMonths !== null) parts.push(`for a client's first ${formatDecimal(String(agreement.firstMonths))} months`);
  if (agreement.fundedBy === 'distributor') parts.push("carved out of the distributor's cut");
  return parts.join(', ');
}
