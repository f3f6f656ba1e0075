import type { BillingDocument, BillingDocumentLine, BillingPartyRef } from '@wholesail/contracts';
import { Money } from '@wholesail/domain';

/**
 * Billing documents as the run hands them over, for specs, integration tests, the bench and
 * previews. Totals are computed from the lines exactly as the run does (gross = Σ lines but
 * carve-outs, deductions = −Σ carve-outs), so every sample is consistent.
 */
export const SAMPLE_PARTIES = {
  operator: party(1, 'operator', 'Wholesail Cloud', 'finance@wholesail.test', {
    displayName: 'Wholesail Cloud',
    primaryColor: '#0b5cab',
    accentColor: '#f59e0b',
    legalName: 'Wholesail Cloud B.V.',
    address: 'Keizersgracht 1\n1015 CJ Amsterdam',
    logoUrl: 'https://wholesail.test/logo.png',
  }),
  distributor: party(2, 'distributor', 'Northwind Distribution', 'billing@northwind.test'),
  agent: party(3, 'agent', 'Alice Agent', 'alice@northwind.test'),
  reseller: party(4, 'reseller', 'Acme MSP', 'billing@acme.test', {
    displayName: 'Acme MSP',
    logoUrl: 'https://acme.test/logo.png',
    primaryColor: '#7c3aed',
    accentColor: '#10b981',
    legalName: 'Acme Managed Services Ltd',
  }),
  client: party(5, 'client', 'Umbrella Corp', 'ap@umbrella.test'),
};

function party(n: number, kind: BillingPartyRef['kind'], name: string, billingEmail: string, branding: BillingPartyRef['branding'] = null): BillingPartyRef {
  const code = name.toLowerCase().replace(/[^a-z0-9]+/g, '-');
  return { id: `00000000-0000-4000-8000-00000000000${n}`, kind, name, code, billingEmail, taxId: `NL00000000${n}B01`, branding };
}

const BLANK_LINE: Omit<BillingDocumentLine, 'id' | 'position' | 'kind' | 'description' | 'amount'> = {
  clientId: null,
  clientName: null,
  resellerId: null,
  resellerName: null,
  agentId: null,
  agentName: null,
  clientCount: null,
  sku: null,
  unit: null,
  usagePeriod: null,
  from: null,
  to: null,
  quantity: null,
  proratedQuantity: null,
  unitPrice: null,
  basis: null,
  rate: null,
  agreementId: null,
  correctsLineId: null,
};

export function sampleLine(
  position: number,
  fields: Partial<BillingDocumentLine> & Pick<BillingDocumentLine, 'kind' | 'description' | 'amount'>,
): BillingDocumentLine {
  return { ...BLANK_LINE, id: `line-${position}`, position, ...fields };
}

/** A final document around the given lines, with totals computed from them. */
export function sampleDocument(
  fields: Pick<BillingDocument, 'kind' | 'issuer' | 'recipient' | 'number'> & Partial<BillingDocument>,
  lines: BillingDocumentLine[],
): BillingDocument {
  const currency = fields.currency ?? 'EUR';
  const sum = (list: BillingDocumentLine[]) =>
    Money.sum(
      list.map((line) => Money.of(line.amount, currency)),
      currency,
    );
  const gross = sum(lines.filter((line) => line.kind !== 'carve-out'));
  const carveOuts = sum(lines.filter((line) => line.kind === 'carve-out'));
  return {
    id: `doc-${fields.number}`,
    status: 'final',
    period: '2026-10',
    runId: 'run-2026-10',
    series: fields.kind === 'payout-invoice' ? 'payout' : fields.kind === 'credit-note' ? 'credit-note' : 'invoice',
    sequence: 7,
    currency,
    createdAt: '2026-11-01T02:00:00.000Z',
    issuedAt: '2026-11-02T09:30:00.000Z',
    finalisedAt: '2026-11-02T09:30:00.000Z',
    deliverTo: fields.recipient.billingEmail,
    agreements: [],
    correctsDocumentId: null,
    ...fields,
    lines,
    totals: {
      lineCount: lines.length,
      gross: gross.toString(),
      deductions: Money.zero(currency).sub(carveOuts).toString(),
      total: gross.add(carveOuts).toString(),
    },
  };
}

const DISTRIBUTOR_AGREEMENT = {
  id: 'agreement-northwind-1',
  partyId: SAMPLE_PARTIES.distributor.id,
  partyKind: 'distributor' as const,
  rate: '0.05',
  feePerActiveClient: '2.00',
  volumeTiers: [{ from: '10000.00', rate: '0.06' }],
  firstMonths: null,
  fundedBy: null,
  effectiveFrom: '2026-01-01T00:00:00.000Z',
  effectiveTo: null,
};

/** A distributor's payout: commission and fee per reseller (with client counts), carve-outs per agent. */
export function distributorPayout(resellers = 3, number = 'NORTHWIND-PAY-000007'): BillingDocument {
  const lines: BillingDocumentLine[] = [];
  for (let r = 1; r <= resellers; r += 1) {
    const common = { resellerId: `reseller-${r}`, resellerName: `Reseller ${r} & Co`, agreementId: DISTRIBUTOR_AGREEMENT.id };
    lines.push(
      sampleLine(lines.length + 1, {
        ...common,
        kind: 'commission',
        description: `Commission 5 % on Reseller ${r} & Co (${r + 2} clients)`,
        clientCount: r + 2,
        basis: `${1000 * r}.10`,
        rate: '0.05',
        amount: `${50 * r}.01`,
      }),
      sampleLine(lines.length + 2, { ...common, kind: 'fee', description: `Fee for ${r + 1} active clients`, clientCount: r + 1, amount: `${2 * (r + 1)}.00` }),
    );
  }
  lines.push(
    sampleLine(lines.length + 1, {
      kind: 'carve-out',
      description: 'Carve-out for Bob Agent on Hooli',
      agentId: 'agent-bob',
      agentName: 'Bob Agent',
      clientId: 'client-hooli',
      clientName: 'Hooli',
      amount: '-3.07',
    }),
  );
  return sampleDocument(
    { kind: 'payout-invoice', number, issuer: SAMPLE_PARTIES.distributor, recipient: SAMPLE_PARTIES.operator, agreements: [DISTRIBUTOR_AGREEMENT] },
    lines,
  );
}

/** An agent's payout: its commission per client. */
export function agentPayout(clients = 4, number = 'ALICE-PAY-000003'): BillingDocument {
  const agreement = {
    ...DISTRIBUTOR_AGREEMENT,
    id: 'agreement-alice-1',
    partyId: SAMPLE_PARTIES.agent.id,
    partyKind: 'agent' as const,
    rate: '0.02',
    feePerActiveClient: null,
    volumeTiers: null,
    firstMonths: 12,
    fundedBy: 'operator' as const,
  };
  const lines = Array.from({ length: clients }, (_, i) =>
    sampleLine(i + 1, {
      kind: 'agent-commission',
      description: `Commission 2 % on Client ${i + 1}`,
      clientId: `client-${i + 1}`,
      clientName: `Client ${i + 1}`,
      basis: `${100 + i}.50`,
      rate: '0.02',
      agreementId: agreement.id,
      amount: `${2 + i}.01`,
    }),
  );
  return sampleDocument({ kind: 'payout-invoice', number, issuer: SAMPLE_PARTIES.agent, recipient: SAMPLE_PARTIES.operator, agreements: [agreement] }, lines);
}

function usageLines(count: number, withClient: boolean): BillingDocumentLine[] {
  return Array.from({ length: count }, (_, i) =>
    sampleLine(i + 1, {
      kind: i === count - 1 && count > 1 ? 'late-usage' : 'usage',
      description: `vCPU × ${i + 1} (1–15 Oct 2026)`,
      ...(withClient ? { clientId: `client-${i % 3}`, clientName: `Client ${i % 3}` } : {}),
      sku: 'VCPU',
      unit: 'vCPU',
      usagePeriod: i === count - 1 && count > 1 ? '2026-09' : '2026-10',
      from: '2026-10-01T00:00:00.000Z',
      to: '2026-10-16T00:00:00.000Z',
      quantity: String(i + 1),
      proratedQuantity: '0.483871',
      unitPrice: '12.50',
      amount: i === count - 1 && count > 1 ? '-1.25' : `${6 * (i + 1)}.05`,
    }),
  );
}

/** A reseller's invoice to its client, in the reseller's brand. */
export function clientInvoice(lines = 3, number = 'ACME-MSP-INV-000042'): BillingDocument {
  return sampleDocument({ kind: 'client-invoice', number, issuer: SAMPLE_PARTIES.reseller, recipient: SAMPLE_PARTIES.client }, usageLines(lines, false));
}

/** The operator's invoice to a reseller, a line per client usage line. */
export function wholesaleInvoice(lines = 3, number = 'WHOLESAIL-INV-000913'): BillingDocument {
  return sampleDocument({ kind: 'wholesale-invoice', number, issuer: SAMPLE_PARTIES.operator, recipient: SAMPLE_PARTIES.reseller }, usageLines(lines, true));
}

/** A credit note correcting a client invoice. */
export function creditNote(number = 'ACME-MSP-CN-000003'): BillingDocument {
  return sampleDocument(
    { kind: 'credit-note', number, issuer: SAMPLE_PARTIES.reseller, recipient: SAMPLE_PARTIES.client, correctsDocumentId: 'doc-ACME-MSP-INV-000041' },
    [
      sampleLine(1, {
        kind: 'correction',
        description: 'Credit: vCPU billed twice on 3 Oct',
        clientId: 'client-umbrella',
        clientName: 'Umbrella Corp',
        correctsLineId: 'line-9',
        amount: '-12.40',
      }),
    ],
  );
}
