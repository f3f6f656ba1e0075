import { DomainError } from '@wholesail/domain';

export const MailErrorCode = {
  /** The data lacks a variable the template uses (or a value a helper cannot use). */
  TemplateData: 'MAIL_TEMPLATE_DATA',
  /** No template of that name in the templates folder. */
  UnknownTemplate: 'MAIL_UNKNOWN_TEMPLATE',
  /** The server or the address was refused for good: resending the same message gets the same answer. */
  Rejected: 'MAIL_REJECTED',
  /** A recipient or sender that is not an e-mail address; caught before connecting. */
  InvalidAddress: 'MAIL_INVALID_ADDRESS',
  /** A 4xx reply: the server asks to try again later. */
  Deferred: 'MAIL_DEFERRED',
  /** Could not reach the server, or it dropped the connection. */
  Connection: 'MAIL_CONNECTION',
  Timeout: 'MAIL_TIMEOUT',
  /** The server refused the credentials in SMTP_URL. */
  Auth: 'MAIL_AUTH',
  /** Anything else. */
  SendFailed: 'MAIL_SEND_FAILED',
} as const;
export type MailErrorCode = (typeof MailErrorCode)[keyof typeof MailErrorCode];

export type MailTemplatePart = 'subject' | 'html' | 'text';

/**
 * Rendering failed because of the template/data pair (a bug in the caller or the template, not a
 * passing condition), so it is a DomainError: activities turn it into a non-retryable failure.
 */
export class MailTemplateError extends DomainError {
  constructor(
    code: typeof MailErrorCode.TemplateData | typeof MailErrorCode.UnknownTemplate,
    message: string,
    readonly template: string,
    /** The variable (path) that was missing or unusable, for MAIL_TEMPLATE_DATA. */
    readonly variable?: string,
    readonly part?: MailTemplatePart,
  ) {
    super(code, message, variable ? [{ field: variable, problem: message }] : [], 'invalid');
  }
}

/**
 * A send that failed. `permanent` says whether sending the same message again can succeed:
 * false (connection refused, timeouts, 4xx replies, refused credentials) → retry with backoff;
 * true (5xx rejections such as 550 mailbox unavailable, malformed addresses) → give up and record
 * it as failed. Deliberately not a DomainError, so a transient failure stays retryable in
 * activities; the caller decides what a permanent one means (a non-retryable failure, a failed
 * outbox row).
 */
export class MailSendError extends Error {
  constructor(
    readonly code: Exclude<MailErrorCode, typeof MailErrorCode.TemplateData | typeof MailErrorCode.UnknownTemplate>,
    message: string,
    readonly permanent: boolean,
    readonly details: {
      /** The server's reply, e.g. "550 5.1.1 Mailbox unavailable". */
      smtpResponse?: string;
      responseCode?: number;
      /** The SMTP command that failed (RCPT TO, DATA, …) or CONN for connection-level errors. */
      command?: string;
      /** Recipients the server refused. */
      rejected?: string[];
      cause?: unknown;
    } = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'MailSendError';
  }

  get smtpResponse(): string | undefined {
    return this.details.smtpResponse;
  }

  get responseCode(): number | undefined {
    return this.details.responseCode;
  }
}

export function isMailSendError(value: unknown): value is MailSendError {
  return value instanceof MailSendError;
}
