import { Inject, Injectable, Logger } from '@nestjs/common';
import { heartbeat } from '@temporalio/activity';
import { billingDocumentEmailKey, type BillingEmailActivities, type SendBillingDocumentInput, type SendBillingDocumentResult } from '@wholesail/contracts';
import { DomainError } from '@wholesail/domain';
import { BILLING_MAIL_SENDER, BillingDocumentErrorCode, BillingDocumentRenderer, BillingDocumentSource } from '@wholesail/billing-documents';
import { MailSender } from '@wholesail/mail';
import { withDomainFailures } from '@wholesail/temporal';
import { EmailOutbox } from '../mail/email-outbox.service';
import { BillingFault } from './billing-faults';

/** Lines read per query while a document renders. */
export const DOCUMENT_LINES_PER_PAGE = 1_000;

export interface SendBillingDocumentsInput {
  documentIds: string[];
  runId: string;
  /** Documents rendered and sent at once (default 8). */
  concurrency?: number;
}

export interface SendBillingDocumentsResult {
  results: SendBillingDocumentResult[];
}

/**
 * E-mails final billing documents (contract: BillingEmailActivities). Each document is loaded by
 * id, its lines a page at a time, rendered (HTML and text from its template, PDF and CSV
 * attached) and sent to its `deliverTo` through the outbox under `billingDocumentEmailKey`: one
 * e-mail per document, ever, whatever is retried or re-run; the Message-ID derives from that key.
 * The content is built only when the outbox holds the mail and has not sent it before.
 * A transient SMTP failure is thrown for Temporal to retry with backoff; a permanent one, a draft
 * or a document whose lines do not add up fail without retrying.
 */
@Injectable()
export class BillingDocumentActivities implements BillingEmailActivities {
  private readonly logger = new Logger('BillingDocuments');

  constructor(
    private readonly source: BillingDocumentSource,
    private readonly renderer: BillingDocumentRenderer,
    private readonly outbox: EmailOutbox,
    @Inject(BILLING_MAIL_SENDER) private readonly sender: MailSender,
  ) {}

  sendBillingDocument(input: SendBillingDocumentInput): Promise<SendBillingDocumentResult> {
    return withDomainFailures(async () => {
      const fault = BillingFault.enter('email');
      await fault.before();
      const sent = await this.send(input.documentId, input.runId);
      await fault.after();
      return sent;
    });
  }

  /**
   * Sends a page of documents with bounded concurrency over the pooled connections (for callers
   * that send many at once, e.g. the bench); heartbeats after each. Stops at the first failure
   * once the documents in flight are done; re-running it skips what was sent.
   */
  sendBillingDocuments(input: SendBillingDocumentsInput): Promise<SendBillingDocumentsResult> {
    return withDomainFailures(async () => {
      if (!Array.isArray(input.documentIds)) throw DomainError.invalid(BillingDocumentErrorCode.InvalidInput, 'documentIds', 'must be a list of document ids');
      const queue = [...input.documentIds];
      const results: SendBillingDocumentResult[] = [];
      let failure: unknown;
      const worker = async (): Promise<void> => {
        for (let id = queue.shift(); id !== undefined && failure === undefined; id = queue.shift()) {
          try {
            results.push(await this.send(id, input.runId));
            heartbeatIfInActivity(results.length);
          } catch (error) {
            failure ??= error;
          }
        }
      };
      await Promise.all(Array.from({ length: Math.max(1, Math.min(input.concurrency ?? 8, queue.length)) }, worker));
      if (failure !== undefined) throw failure;
      return { results };
    });
  }

  private async send(documentId: string, runId: string): Promise<SendBillingDocumentResult> {
    if (typeof documentId !== 'string' || !documentId) throw DomainError.invalid(BillingDocumentErrorCode.InvalidInput, 'documentId', 'is required');
    const header = await this.source.header(documentId);
    const envelope = this.renderer.envelope(header);
    const result = await this.outbox.sendPrepared(
      {
        idempotencyKey: billingDocumentEmailKey(documentId),
        template: envelope.template,
        to: envelope.to,
        subject: envelope.subject,
        fromName: envelope.fromName,
        subjectRef: `billing-run:${runId}`,
        build: () => this.renderer.render(header, this.source.linePages(documentId, DOCUMENT_LINES_PER_PAGE)),
      },
      this.sender,
    );
    if (result.status === 'sent') this.logger.debug(`billing document ${header.number} sent to ${envelope.to}`);
    return { documentId, status: result.status, messageId: result.messageId };
  }
}

/** Outside an activity (a script, the bench) there is no one to heartbeat to. */
function heartbeatIfInActivity(details: unknown): void {
  try {
    heartbeat(details);
  } catch {
    // not in an activity context
  }
}
