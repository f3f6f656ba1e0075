import type { BillingAgreementRef, BillingDocument, BillingDocumentLine, BillingPartyRef } from '@wholesail/contracts';
import { BillingDocumentSource, type BillingDocumentHeader, type LinePages } from '@wholesail/billing-documents';
import { DomainError } from '@wholesail/domain';
import { sampleDocument, sampleLine, SAMPLE_PARTIES } from '../../libs/billing-documents/src/testing/sample-documents';

/** The bench's channel: the sizes. */
export const CHANNEL = { clients: 100_000, resellers: 2_000, distributors: 50, agents: 500, usageEvents: 1_000_000 } as const;

/** Share of clients credited to an agent. */
const AGENT_SHARE = 0.6;

/**
 * The payout invoices of one month of the bench's channel, shaped as the run drafts them: per
 * distributor a commission and a fee line for each of its resellers (with client counts) and a
 * carve-out per carved agent client; per agent a commission line for each client it found.
 * Amounts are whole cents derived from the indices, so totals are exact and reproducible.
 */
export function payoutDocuments(period = '2026-10'): BillingDocument[] {
  const documents: BillingDocument[] = [];
  const resellersPerDistributor = CHANNEL.resellers / CHANNEL.distributors;
  const clientsPerReseller = CHANNEL.clients / CHANNEL.resellers;
  const clientsPerAgent = Math.round((CHANNEL.clients * AGENT_SHARE) / CHANNEL.agents);
  const operator: BillingPartyRef = { ...SAMPLE_PARTIES.operator, billingEmail: 'finance@operator.bench' };
  const cents = (n: number) => `${Math.floor(n / 100)}.${String(n % 100).padStart(2, '0')}`;

  for (let d = 0; d < CHANNEL.distributors; d += 1) {
    const issuer: BillingPartyRef = { ...SAMPLE_PARTIES.distributor, id: uuid(1, d), name: `Distributor ${d}`, code: `distributor-${d}` };
    const agreement = agreementOf(issuer, 'distributor', '0.05');
    const lines: BillingDocumentLine[] = [];
    for (let r = 0; r < resellersPerDistributor; r += 1) {
      const reseller = { resellerId: uuid(2, d * 1000 + r), resellerName: `Reseller ${d}-${r}`, agreementId: agreement.id };
      const basis = 250_000 + ((d * 7919 + r * 104_729) % 5_000_000);
      lines.push(
        sampleLine(lines.length + 1, {
          ...reseller,
          kind: 'commission',
          description: `Commission 5 % on ${reseller.resellerName} (${clientsPerReseller} clients)`,
          clientCount: clientsPerReseller,
          basis: cents(basis),
          rate: '0.05',
          amount: cents(Math.round(basis / 20)),
        }),
        sampleLine(lines.length + 2, {
          ...reseller,
          kind: 'fee',
          description: `Fee for ${clientsPerReseller} active clients`,
          clientCount: clientsPerReseller,
          amount: cents(clientsPerReseller * 200),
        }),
      );
    }
    for (let c = 0; c < 10; c += 1) {
      lines.push(
        sampleLine(lines.length + 1, {
          kind: 'carve-out',
          description: `Carve-out for agent ${d}-${c}`,
          agentName: `Agent ${d}-${c}`,
          clientName: `Client ${d}-${c}`,
          amount: `-${cents(100 + c)}`,
        }),
      );
    }
    documents.push(
      bench(sampleDocument({ kind: 'payout-invoice', number: `DIST-${d}-PAY-000001`, issuer, recipient: operator, agreements: [agreement], period }, lines), d),
    );
  }
  for (let a = 0; a < CHANNEL.agents; a += 1) {
    const issuer: BillingPartyRef = { ...SAMPLE_PARTIES.agent, id: uuid(3, a), name: `Agent ${a}`, code: `agent-${a}` };
    const agreement = agreementOf(issuer, 'agent', '0.02');
    const lines = Array.from({ length: clientsPerAgent }, (_, c) => {
      const basis = 1_000 + ((a * 31 + c * 977) % 90_000);
      return sampleLine(c + 1, {
        kind: 'agent-commission',
        description: `Commission 2 % on Client ${a}-${c}`,
        clientId: uuid(4, a * 1000 + c),
        clientName: `Client ${a}-${c}`,
        basis: cents(basis),
        rate: '0.02',
        agreementId: agreement.id,
        amount: cents(Math.round(basis / 50)),
      });
    });
    documents.push(
      bench(
        sampleDocument({ kind: 'payout-invoice', number: `AGENT-${a}-PAY-000001`, issuer, recipient: operator, agreements: [agreement], period }, lines),
        1000 + a,
      ),
    );
  }
  return documents;
}

function bench(document: BillingDocument, n: number): BillingDocument {
  return { ...document, id: uuid(9, n), runId: 'bench-run' };
}

function uuid(kind: number, n: number): string {
  return `00000000-0000-4000-${8000 + kind}-${String(n).padStart(12, '0')}`;
}

function agreementOf(party: BillingPartyRef, partyKind: 'distributor' | 'agent', rate: string): BillingAgreementRef {
  return {
    id: uuid(5, Number(party.id.slice(-6))),
    partyId: party.id,
    partyKind,
    rate,
    feePerActiveClient: partyKind === 'distributor' ? '2.00' : null,
    volumeTiers: null,
    firstMonths: partyKind === 'agent' ? 12 : null,
    fundedBy: partyKind === 'agent' ? 'operator' : null,
    effectiveFrom: '2026-01-01T00:00:00.000Z',
    effectiveTo: null,
  };
}

/** The generated documents as the activity reads them: a header, then the lines a page at a time. */
export class GeneratedDocuments extends BillingDocumentSource {
  private readonly byId: Map<string, BillingDocument>;

  constructor(documents: BillingDocument[]) {
    super();
    this.byId = new Map(documents.map((document) => [document.id, document]));
  }

  header(documentId: string): Promise<BillingDocumentHeader> {
    const document = this.byId.get(documentId);
    if (!document) return Promise.reject(DomainError.notFound('BILLING_DOCUMENT_NOT_FOUND', `no document ${documentId}`));
    const { lines: _lines, ...header } = document;
    return Promise.resolve(header);
  }

  async *linePages(documentId: string, pageSize: number): LinePages {
    const lines = this.byId.get(documentId)?.lines ?? [];
    for (let start = 0; start < lines.length; start += pageSize) yield lines.slice(start, start + pageSize);
  }
}
