/**
 * A billing document as plain JSON: what the month-end run drafts, finance approves, numbering
 * stamps, the e-mail renders (HTML, text, PDF, CSV) and the API returns. One shape for every kind.
 *
 * Money: decimal strings in the document's currency, rounded to its minor unit ("12.50", "-3.07").
 * A line's `amount` is rounded once (half-even); a total is the sum of its lines, never re-rounded.
 * Quantities, prices and rates are exact decimal strings. Instants: ISO 8601 (UTC, `Z`).
 *
 * | kind | issuer → recipient | lines | e-mailed to |
 * |---|---|---|---|
 * | `client-invoice` | reseller → client (reseller-branded) | `usage`, `late-usage` | the client's billing contact |
 * | `wholesale-invoice` | operator, or a parent reseller → reseller | `usage`, `late-usage` (one per client usage line, at the issuer's price to the recipient) | the reseller's billing contact |
 * | `payout-invoice` | distributor or agent → operator ("what the operator owes me") | distributor: `commission` and `fee` per reseller and agreement version (with its client count), `carve-out` per agent; agent: `agent-commission` per client and version | the operator's finance address |
 * | `credit-note` | the issuer of the corrected document → its recipient | `correction` (negative: what is credited) | as the corrected document |
 *
 * A draft (`status: 'draft'`) has no number; when finance approves the run, each document gets the
 * next number of its issuer's series (gap-free) and becomes `final`: immutable from then on, in the
 * database. Corrections to a final document are credit notes issued by a later run.
 */
export const BILLING_DOCUMENT_KINDS = ['client-invoice', 'wholesale-invoice', 'payout-invoice', 'credit-note'] as const;
export type BillingDocumentKind = (typeof BILLING_DOCUMENT_KINDS)[number];

export const BILLING_DOCUMENT_STATUSES = ['draft', 'final'] as const;
export type BillingDocumentStatus = (typeof BILLING_DOCUMENT_STATUSES)[number];

/**
 * - `usage`: usage of the document's period: one line per rated line (a stretch of one resource,
 *   or an imported line, at one price and attribution).
 * - `late-usage`: usage of an earlier period that arrived after that period was frozen (a late
 *   start bills, a late stop credits: negative); `usagePeriod` says when it happened.
 * - `commission`: a distributor's commission: `rate` × `basis` (the wholesale revenue of the
 *   reseller's clients), per reseller and agreement version.
 * - `fee`: a distributor's fee per active client, per reseller and agreement version; `clientCount`
 *   active clients, each fee split by the share of the period the client was the distributor's.
 * - `carve-out`: on a distributor's payout, an agent's cut taken out of it (negative).
 * - `agent-commission`: an agent's cut on one client under one agreement version: `rate` × `basis`
 *   (the client's wholesale revenue within the agent's first-N-months window).
 * - `correction`: on a credit note, the amount credited against a line of a final document.
 */
export const BILLING_LINE_KINDS = ['usage', 'late-usage', 'commission', 'fee', 'carve-out', 'agent-commission', 'correction'] as const;
export type BillingLineKind = (typeof BILLING_LINE_KINDS)[number];

export const BILLING_PARTY_KINDS = ['operator', 'distributor', 'agent', 'reseller', 'client'] as const;
export type BillingPartyKind = (typeof BILLING_PARTY_KINDS)[number];

/** A party's brand as documents and their e-mails show it (every field optional). */
export interface BillingBranding {
  displayName?: string | null;
  logoUrl?: string | null;
  primaryColor?: string | null;
  accentColor?: string | null;
  legalName?: string | null;
  address?: string | null;
  websiteUrl?: string | null;
  supportEmail?: string | null;
}

/** Issuer or recipient, as they were when the document was drafted (a final document keeps them). */
export interface BillingPartyRef {
  id: string;
  kind: BillingPartyKind;
  name: string;
  code: string;
  billingEmail: string | null;
  taxId: string | null;
  branding: BillingBranding | null;
}

/** A commission agreement version a payout is computed under. */
export interface BillingAgreementRef {
  /** The version's id (a `commission_agreement` row). */
  id: string;
  partyId: string;
  partyKind: 'distributor' | 'agent';
  /** A fraction as a decimal string: "0.05" is 5 %. With volume tiers: the rate up to the first tier. */
  rate: string;
  /** Distributors. */
  feePerActiveClient: string | null;
  /** Distributors: marginal brackets on the monthly wholesale volume (`from` upwards at `rate`). */
  volumeTiers: Array<{ from: string; rate: string }> | null;
  /** Agents: the cut applies to a client's first N months. */
  firstMonths: number | null;
  /** Agents: who pays the cut. */
  fundedBy: 'operator' | 'distributor' | null;
  effectiveFrom: string;
  effectiveTo: string | null;
}

export interface BillingDocumentLine {
  /** Stable id; `GET /documents/{documentId}/lines/{id}/explanation` explains it. */
  id: string;
  /** 1, 2, … in display order. */
  position: number;
  kind: BillingLineKind;
  /** One line of text, e.g. "vCPU × 4 (1–15 Oct 2026)", "Commission 5 % on Acme MSP (12 clients)". */
  description: string;
  clientId: string | null;
  clientName: string | null;
  /** Wholesale/client lines: the client's own reseller; distributor lines: the reseller the line is for. */
  resellerId: string | null;
  resellerName: string | null;
  /** Carve-outs: the agent the amount went to. */
  agentId: string | null;
  agentName: string | null;
  /** Distributor lines: how many clients the line covers (fee lines: active clients). */
  clientCount: number | null;
  sku: string | null;
  /** The catalog item's unit (e.g. "vCPU", "GB"). */
  unit: string | null;
  /** The period the usage happened in (≠ the document's period for late usage). */
  usagePeriod: string | null;
  /** Usage lines: the stretch billed, [from, to). */
  from: string | null;
  to: string | null;
  /** Usage: the quantity running over the stretch (negative for a credit). */
  quantity: string | null;
  /** Usage: quantity × seconds / seconds in the period, rounded half-even to 6 places (display only). */
  proratedQuantity: string | null;
  /** Usage: the price per unit per month. */
  unitPrice: string | null;
  /** Commission lines: the wholesale revenue the rate applies to. */
  basis: string | null;
  /** Commission lines: the rate applied, a fraction ("0.05"); with volume tiers the blended rate, rounded to 10 places for display. */
  rate: string | null;
  /** Commission, fee, carve-out and agent lines: the agreement version. */
  agreementId: string | null;
  /** Credit-note lines: the line of the final document it corrects. */
  correctsLineId: string | null;
  /** Rounded to the minor unit, signed. */
  amount: string;
}

export interface BillingDocumentTotals {
  lineCount: number;
  /** Σ amounts of every line but carve-outs. */
  gross: string;
  /** Σ carve-outs, as a positive figure (payouts of distributors; "0.00" elsewhere). */
  deductions: string;
  /** gross − deductions: what the recipient owes the issuer. */
  total: string;
}

export interface BillingDocument {
  id: string;
  kind: BillingDocumentKind;
  status: BillingDocumentStatus;
  /** The billing period, "2026-10". */
  period: string;
  /** The billing run (a `billing_run` row) that drafted it. */
  runId: string;
  /** The issuer's number once final ("ACME-MSP-INV-000042"), null while draft. */
  number: string | null;
  /** The series the number belongs to (`invoice`, `payout`, `credit-note`) and its place in it. */
  series: BillingNumberSeries;
  sequence: number | null;
  issuer: BillingPartyRef;
  recipient: BillingPartyRef;
  currency: string;
  createdAt: string;
  /** Set when it becomes final (numbered). */
  issuedAt: string | null;
  finalisedAt: string | null;
  /** Where the e-mail goes: the recipient's billing contact, or the operator's finance address for payouts. */
  deliverTo: string | null;
  /** Payout invoices: every agreement version the lines were computed under. Empty otherwise. */
  agreements: BillingAgreementRef[];
  /** Credit notes: the final document corrected. */
  correctsDocumentId: string | null;
  lines: BillingDocumentLine[];
  totals: BillingDocumentTotals;
}

/** Number series per issuer: each is gap-free on its own. */
export const BILLING_NUMBER_SERIES = ['invoice', 'payout', 'credit-note'] as const;
export type BillingNumberSeries = (typeof BILLING_NUMBER_SERIES)[number];

/** The series a document kind is numbered in. */
export function numberSeriesOf(kind: BillingDocumentKind): BillingNumberSeries {
  return kind === 'payout-invoice' ? 'payout' : kind === 'credit-note' ? 'credit-note' : 'invoice';
}
