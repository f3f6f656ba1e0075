/**
 * The activity that e-mails one final billing document (implemented in activities/billing by the
 * document mail service; called by the billing run's e-mail phase, one call per document).
 *
 * It loads the document by id (`BillingDocumentReader.document(em, documentId)` in libs/billing
 * returns the `BillingDocument` JSON of billing-document.contract.ts), renders it with the issuer's
 * branding (HTML and text, a PDF of the document and a CSV of its lines attached) and sends it to
 * `document.deliverTo` through the outbox. Idempotent per document: the outbox key is
 * `billingDocumentEmailKey(documentId)`, so a retried or repeated call never sends twice, and the
 * Message-ID derives from that key. A transient SMTP failure is thrown (Temporal retries with
 * backoff); a permanent one is a non-retryable failure. A document that is not final is refused
 * (non-retryable): drafts are never e-mailed.
 */
export interface SendBillingDocumentInput {
  documentId: string;
  /** The billing run sending it (for the outbox's subject reference and the logs). */
  runId: string;
}

export interface SendBillingDocumentResult {
  documentId: string;
  /** `already-sent`: the outbox had sent it before (a retry, a restarted run). */
  status: 'sent' | 'already-sent';
  messageId: string;
}

export interface BillingEmailActivities {
  /** Activity name is part of saved histories: never rename. */
  sendBillingDocument(input: SendBillingDocumentInput): Promise<SendBillingDocumentResult>;
}

/** The outbox idempotency key of a document's e-mail: one e-mail per document, ever. */
export function billingDocumentEmailKey(documentId: string): string {
  return `billing-document:${documentId}`;
}
