/**
 * Codes of the errors rendering and e-mailing a billing document raise. Each is a DomainError: a
 * document that cannot be rendered or sent as it is will not be fixed by retrying, so activities
 * turn them into non-retryable failures.
 */
export const BillingDocumentErrorCode = {
  /** Drafts are never rendered for sending: only a final (numbered) document is. */
  NotFinal: 'BILLING_DOCUMENT_NOT_FINAL',
  /** The document has no address to deliver to (`deliverTo`). */
  NoRecipient: 'BILLING_DOCUMENT_NO_RECIPIENT',
  /** Its lines do not add up to its totals, or its line count differs: never send such a document. */
  TotalsMismatch: 'BILLING_DOCUMENT_TOTALS_MISMATCH',
  /** An amount, quantity or rate that is not a plain decimal string. */
  InvalidFigure: 'BILLING_DOCUMENT_INVALID_FIGURE',
  /** The activity's input is malformed (a missing id, no list of ids). */
  InvalidInput: 'BILLING_DOCUMENT_INVALID_INPUT',
  /** No document with that id. */
  NotFound: 'BILLING_DOCUMENT_NOT_FOUND',
} as const;
export type BillingDocumentErrorCode = (typeof BillingDocumentErrorCode)[keyof typeof BillingDocumentErrorCode];
