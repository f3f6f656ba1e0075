import type { FieldProblem } from '@wholesail/domain';

/** An instant as the payloads carry it (ISO 8601) or a Date; templates show it with `formatDate`. */
export type MailInstant = string | Date;

/**
 * Every template in `templates/`, each with the data it renders. Fields marked optional are guarded
 * with `{{#if}}` in the templates; every other field must be present (strict mode), or rendering
 * fails with MAIL_TEMPLATE_DATA. The mail.templates spec checks this list against the folders.
 */
export interface MailTemplateData {
  /** To the applicant, after submitting. */
  'application-received': {
    recipientName: string;
    applicantName: string;
    /** 'distributor', 'reseller' or 'agent'. */
    kind: string;
    applicationId: string;
    submittedAt: MailInstant;
    /** Where the applicant can follow the application. */
    statusUrl?: string;
  };
  /** To the applicant (the address on file only): someone submitted the same application again. */
  'application-exists': {
    recipientName: string;
    applicantName: string;
    applicationId: string;
    submittedAt: MailInstant;
    /** The application's page in the portal, with the applicant's token. */
    statusUrl: string;
  };
  /** To a new contact address: confirm it before the application uses it. */
  'email-change-confirmation': {
    recipientName: string;
    applicantName: string;
    newEmail: string;
    expiresAt: MailInstant;
    confirmUrl: string;
  };
  /** To the address on file: a change of the contact e-mail was asked for. */
  'email-change-requested': {
    recipientName: string;
    applicantName: string;
    newEmail: string;
    expiresAt: MailInstant;
    statusUrl: string;
  };
  /** To the applicant: an approver sent the application back with a comment. */
  'changes-requested': {
    recipientName: string;
    applicantName: string;
    /** The approver's comment, shown as written (escaped). */
    comment: string;
    respondBy: MailInstant;
    resubmitUrl: string;
    /** Who asked, e.g. "Northwind Distribution". */
    requestedBy?: string;
  };
  /** To the applicant: changes are still outstanding. */
  'resubmission-reminder': {
    recipientName: string;
    applicantName: string;
    comment: string;
    respondBy: MailInstant;
    reminderNo: number;
    resubmitUrl: string;
  };
  /** To the applicant: the application was turned down, with a reason and the checks' problems (if any). */
  rejected: {
    recipientName: string;
    applicantName: string;
    reason: string;
    problems?: FieldProblem[];
  };
  /** To the applicant: the application was withdrawn. */
  withdrawn: {
    recipientName: string;
    applicantName: string;
    reason?: string;
  };
  /** To the applicant: a wait ran out ('resubmission': the applicant's; otherwise a review step's). */
  expired: {
    recipientName: string;
    applicantName: string;
    step: 'sponsor' | 'operator' | 'resubmission';
  };
  /** To the new partner's admin: the account exists, set a password through the one-time link. */
  welcome: {
    recipientName: string;
    partnerName: string;
    invitationUrl: string;
    invitationExpiresAt: MailInstant;
    /** The admin user's login, when it helps to repeat it. */
    loginEmail?: string;
  };
  /** To an approver: a new task in the inbox. */
  'approval-requested': {
    recipientName: string;
    taskTitle: string;
    taskDescription: string;
    openedAt: MailInstant;
    dueAt: MailInstant;
    inboxUrl: string;
  };
  /** To an approver who has not decided yet. */
  'approval-reminder': {
    recipientName: string;
    taskTitle: string;
    taskDescription: string;
    openedAt: MailInstant;
    dueAt: MailInstant;
    reminderNo: number;
    inboxUrl: string;
  };
  /** To a design version's author: it was sent back (by an approver, or by validation) or is still awaited (reminderNo). */
  'solution-changes-requested': SolutionMailBase & {
    comment: string;
    respondBy: MailInstant;
    problems?: FieldProblem[];
    reminderNo?: number;
    /** Who asked, e.g. "uma@umbrella.demo". */
    requestedBy?: string;
  };
  /** To a design version's author: every step approved it. */
  'solution-approved': SolutionMailBase & { monthlyTotal?: string };
  /** To a design version's author: an approver rejected it. */
  'solution-rejected': SolutionMailBase & { reason: string };
  /** To a design version's author: a step ('client', 'operator') or the wait for a new version ('resubmission') ran out. */
  'solution-expired': SolutionMailBase & { step: string };
  /** To the operator's finance address: a distributor's or agent's payout invoice (operator-branded). */
  'payout-invoice': BillingDocumentMailData;
  /** To a client's billing contact: its reseller's invoice (reseller-branded). */
  'client-invoice': BillingDocumentMailData;
  /** To a reseller's billing contact: the invoice of the tier above it. */
  'wholesale-invoice': BillingDocumentMailData;
  /** To the recipient of the corrected document. */
  'credit-note': BillingDocumentMailData;
}

/** What every solution e-mail shows: the design, its client and version, and a link to it. */
export interface SolutionMailBase {
  recipientName: string;
  solutionName: string;
  clientName: string;
  versionNo: number;
  solutionUrl: string;
}

/**
 * A billing document's e-mail (payout, client and wholesale invoices, credit notes): every figure
 * arrives formatted (libs/billing-documents renders them from the document), so the templates
 * only lay them out. The table shows at most the first rows; the attached PDF and CSV carry all.
 */
export interface BillingDocumentMailData {
  /** The recipient party, greeted. */
  recipientName: string;
  issuerName: string;
  /** "Payout invoice", "Invoice", "Wholesale invoice", "Credit note". */
  documentTitle: string;
  number: string;
  /** "October 2026". */
  periodLabel: string;
  /** The document's total with its currency, "1,234.50 EUR". */
  total: string;
  /** Number, period, issue date, parties, agreement versions and rates, currency. */
  facts: Array<{ label: string; value: string }>;
  columns: Array<{ label: string; numeric: boolean }>;
  rows: Array<{ cells: Array<{ label: string; value: string; numeric: boolean }> }>;
  /** "and 1,234 more lines in the attachments" when the table is cut short. */
  moreRows?: string;
  /** Subtotals by kind of line, then the totals; `grand` is the figure the document comes to. */
  totals: Array<{ label: string; value: string; grand: boolean }>;
  attachments: Array<{ fileName: string; description: string }>;
}

export type MailTemplateName = keyof MailTemplateData;

export const MAIL_TEMPLATE_NAMES = [
  'application-received',
  'application-exists',
  'email-change-confirmation',
  'email-change-requested',
  'changes-requested',
  'resubmission-reminder',
  'rejected',
  'withdrawn',
  'expired',
  'welcome',
  'approval-requested',
  'approval-reminder',
  'solution-changes-requested',
  'solution-approved',
  'solution-rejected',
  'solution-expired',
  'payout-invoice',
  'client-invoice',
  'wholesale-invoice',
  'credit-note',
] as const satisfies readonly MailTemplateName[];

/** The data `render` takes for a template name: typed for known names, a plain record otherwise. */
export type MailTemplateDataFor<N extends string> = N extends MailTemplateName ? MailTemplateData[N] : Record<string, unknown>;

// Fails to compile when a template is added to MailTemplateData but not to MAIL_TEMPLATE_NAMES.
const _everyNameListed: [Exclude<MailTemplateName, (typeof MAIL_TEMPLATE_NAMES)[number]>] extends [never] ? true : never = true;
