import type { BillingDocumentHeader } from './document-layout';
import type { LinePages } from './billing-document-renderer';

/**
 * Where the e-mail activity reads final documents from: the header, then the lines a page at a
 * time (a wholesale invoice can have many thousands; they are never all in memory). The billing
 * run's document store implements it; the worker binds it.
 */
export abstract class BillingDocumentSource {
  /** The document without its lines; a not-found DomainError when there is none. */
  abstract header(documentId: string): Promise<BillingDocumentHeader>;
  /** Its lines in position order, `pageSize` at a time. */
  abstract linePages(documentId: string, pageSize: number): LinePages;
}
