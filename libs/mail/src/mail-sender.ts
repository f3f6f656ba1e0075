import { createTransport, type Transporter } from 'nodemailer';
import addressparser from 'nodemailer/lib/addressparser';
import { MailErrorCode, MailSendError } from './mail.errors';

export interface MailSenderOptions {
  /** smtp://[user:pass@]host[:port] (STARTTLS when offered) or smtps://… (TLS from the start). */
  smtpUrl: string;
  /** The sender when a mail names none, e.g. "Wholesail <no-reply@wholesail.local>" (MAIL_FROM). */
  defaultFrom: string;
  /** Keep connections open between sends; off by default (one connection per send). */
  pool?: boolean;
  /** With `pool`: how many connections at most (nodemailer's default is 5). */
  maxConnections?: number;
  /**
   * How the HTML and text parts are encoded. Quoted-printable (the default, chosen per part by
   * nodemailer) keeps the raw message readable; base64 costs a fraction of the CPU for large
   * parts (a billing document's table), which matters when a month's e-mails go out at once.
   */
  textEncoding?: 'quoted-printable' | 'base64';
  connectionTimeoutMs?: number;
  greetingTimeoutMs?: number;
  socketTimeoutMs?: number;
}

export interface MailAddress {
  name: string;
  address: string;
}

/** A file attached to a mail, e.g. an invoice's PDF: its bytes (or text), name and MIME type. */
export interface MailAttachment {
  filename: string;
  content: Buffer | string;
  contentType: string;
}

export interface OutgoingMail {
  to: string | string[];
  cc?: string | string[];
  /** The default sender when absent; see `fromFor` for a branded display name. */
  from?: string | MailAddress;
  replyTo?: string | MailAddress;
  subject: string;
  html: string;
  text: string;
  headers?: Record<string, string>;
  /** "<…@…>", stable per logical mail (see `messageIdFor`), so a retried send is recognisable. */
  messageId?: string;
  attachments?: MailAttachment[];
}

export interface SentMail {
  messageId: string;
  /** Recipients the server accepted. */
  accepted: string[];
  /** Recipients the server refused while accepting others (a send where it refuses all throws). */
  rejected: string[];
  /** The server's final reply, e.g. "250 OK: queued". */
  response: string;
}

export const DEFAULT_CONNECTION_TIMEOUT_MS = 10_000;
export const DEFAULT_GREETING_TIMEOUT_MS = 10_000;
export const DEFAULT_SOCKET_TIMEOUT_MS = 30_000;

/**
 * The Message-ID for a logical mail, from its idempotency key ("onboarding:<id>:welcome" →
 * "<onboarding%3A<id>%3Awelcome@wholesail>"). Percent-encoding keeps it a valid RFC 5322
 * dot-atom and distinct keys distinct.
 */
export function messageIdFor(idempotencyKey: string, domain = 'wholesail'): string {
  if (!idempotencyKey) throw new Error('messageIdFor: the idempotency key is empty');
  const local = encodeURIComponent(idempotencyKey).replace(/[!'()*.~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `<${local}@${domain}>`;
}

/**
 * Sends mail over SMTP with nodemailer. Pure transport: rendering is MailRenderer's job and the
 * record of each send (status, attempts, idempotency) is the caller's outbox. Failures are
 * MailSendErrors that say whether resending can help (`permanent`).
 */
export class MailSender {
  private readonly transport: Transporter;
  private readonly defaultFrom: MailAddress;

  constructor(readonly options: MailSenderOptions) {
    this.defaultFrom = parseAddress(options.defaultFrom, 'MAIL_FROM');
    this.transport = createTransport({
      ...connectionOptions(options.smtpUrl),
      pool: options.pool ?? false,
      ...(options.pool && options.maxConnections ? { maxConnections: options.maxConnections } : {}),
      connectionTimeout: options.connectionTimeoutMs ?? DEFAULT_CONNECTION_TIMEOUT_MS,
      greetingTimeout: options.greetingTimeoutMs ?? DEFAULT_GREETING_TIMEOUT_MS,
      socketTimeout: options.socketTimeoutMs ?? DEFAULT_SOCKET_TIMEOUT_MS,
    });
  }

  /** The default sender's address under another display name (the sender's branding). */
  fromFor(displayName?: string | null): MailAddress {
    const name = displayName?.replace(/[\r\n]+/g, ' ').trim();
    return name ? { name, address: this.defaultFrom.address } : { ...this.defaultFrom };
  }

  async send(mail: OutgoingMail): Promise<SentMail> {
    const to = recipients(mail.to, 'to');
    const cc = mail.cc === undefined ? [] : recipients(mail.cc, 'cc');
    if (to.length === 0) throw invalidAddress('to has no recipient');
    const messageId = mail.messageId === undefined ? undefined : normaliseMessageId(mail.messageId);
    try {
      const info = await this.transport.sendMail({
        from: typeof mail.from === 'string' ? parseAddress(mail.from, 'from') : (mail.from ?? this.defaultFrom),
        to,
        cc: cc.length ? cc : undefined,
        replyTo: typeof mail.replyTo === 'string' ? parseAddress(mail.replyTo, 'replyTo') : mail.replyTo,
        subject: mail.subject,
        html: mail.html,
        text: mail.text,
        headers: mail.headers,
        messageId,
        attachments: mail.attachments?.map(({ filename, content, contentType }) => ({ filename, content, contentType })),
        ...(this.options.textEncoding ? { textEncoding: this.options.textEncoding } : {}),
      });
      return {
        messageId: info.messageId,
        accepted: addresses(info.accepted),
        rejected: addresses(info.rejected),
        response: typeof info.response === 'string' ? info.response : '',
      };
    } catch (error) {
      throw classifySendError(error);
    }
  }

  /** Connects, greets and (with credentials) authenticates, then hangs up: for health checks. */
  async verify(): Promise<void> {
    try {
      await this.transport.verify();
    } catch (error) {
      throw classifySendError(error);
    }
  }

  /** Closes pooled connections (nothing to close without a pool). */
  close(): void {
    this.transport.close();
  }
}

function connectionOptions(smtpUrl: string): { host: string; port?: number; secure: boolean; auth?: { user: string; pass: string } } {
  let url: URL;
  try {
    url = new URL(smtpUrl);
  } catch {
    throw new Error('MailSender: SMTP URL is not a valid URL');
  }
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') throw new Error(`MailSender: SMTP URL must use smtp: or smtps: (got "${url.protocol}")`);
  return {
    host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    // Without a port nodemailer uses 587 (smtp) or 465 (smtps).
    ...(url.port ? { port: Number(url.port) } : {}),
    secure: url.protocol === 'smtps:',
    ...(url.username ? { auth: { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } } : {}),
  };
}

/** Deliberately plain: one @, no spaces or brackets; the server has the final word. */
const ADDRESS = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+$/;

function parseAddress(value: string, field: string): MailAddress {
  const parsed = addressparser(value, { flatten: true });
  const first = parsed[0];
  if (parsed.length !== 1 || !first || !first.address || !ADDRESS.test(first.address)) {
    throw invalidAddress(`${field} is not one e-mail address: ${JSON.stringify(value)}`);
  }
  return { name: first.name, address: first.address };
}

function recipients(value: string | string[], field: string): MailAddress[] {
  return (Array.isArray(value) ? value : [value]).map((entry) => parseAddress(entry, field));
}

function normaliseMessageId(value: string): string {
  const id = value.trim().replace(/^<(.*)>$/, '$1');
  if (!/^[^\s<>@]+@[^\s<>@]+$/.test(id)) throw new Error(`MailSender: message id ${JSON.stringify(value)} is not of the form <local@domain>`);
  return `<${id}>`;
}

function addresses(list: unknown): string[] {
  if (!Array.isArray(list)) return [];
  return list.map((entry) => (typeof entry === 'string' ? entry : String((entry as { address?: string }).address ?? entry)));
}

function invalidAddress(message: string): MailSendError {
  return new MailSendError(MailErrorCode.InvalidAddress, message, true);
}

interface NodemailerFailure {
  message?: string;
  code?: string;
  originalCode?: string;
  response?: string;
  responseCode?: number;
  command?: string;
  rejected?: unknown;
}

const TIMEOUT_CODES = new Set(['ETIMEDOUT', 'ESOCKETTIMEDOUT']);
const CONNECTION_CODES = new Set([
  'ECONNECTION',
  'ESOCKET',
  'EDNS',
  'ETLS',
  'EPROXY',
  'ECONNREFUSED',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
]);

/**
 * Transient unless resending the same message cannot help. Permanent: a 5xx reply to the message
 * or its envelope (550 mailbox unavailable, 553 bad address, 554 rejected), except 503 (a
 * session out of step) and except on AUTH: refused credentials are a configuration problem that
 * an operator fixes, after which the retries succeed. Connection failures, timeouts and 4xx
 * replies are transient.
 */
export function classifySendError(error: unknown): MailSendError {
  if (error instanceof MailSendError) return error;
  const failure = (typeof error === 'object' && error !== null ? error : {}) as NodemailerFailure;
  const message = failure.message ?? String(error);
  const responseCode = typeof failure.responseCode === 'number' ? failure.responseCode : undefined;
  const details = {
    smtpResponse: failure.response,
    responseCode,
    command: failure.command,
    rejected: Array.isArray(failure.rejected) ? addresses(failure.rejected) : undefined,
    cause: error,
  };
  const code = failure.code ?? '';

  if (code === 'EAUTH' || code === 'ENOAUTH') return new MailSendError(MailErrorCode.Auth, `SMTP authentication failed: ${message}`, false, details);
  if (responseCode !== undefined && responseCode >= 500 && responseCode < 600 && responseCode !== 503) {
    const addressProblem = responseCode === 501 || responseCode === 553;
    return new MailSendError(
      addressProblem ? MailErrorCode.InvalidAddress : MailErrorCode.Rejected,
      `SMTP server rejected the message: ${message}`,
      true,
      details,
    );
  }
  if (responseCode !== undefined && responseCode >= 400 && responseCode < 500) {
    return new MailSendError(MailErrorCode.Deferred, `SMTP server deferred the message: ${message}`, false, details);
  }
  if (TIMEOUT_CODES.has(code)) return new MailSendError(MailErrorCode.Timeout, `SMTP timed out: ${message}`, false, details);
  if (CONNECTION_CODES.has(code) || CONNECTION_CODES.has(failure.originalCode ?? '')) {
    return new MailSendError(MailErrorCode.Connection, `SMTP connection failed: ${message}`, false, details);
  }
  // Envelope problems nodemailer finds before asking the server (no recipients, a malformed address).
  if (code === 'EENVELOPE' && responseCode === undefined) return new MailSendError(MailErrorCode.InvalidAddress, message, true, details);
  return new MailSendError(MailErrorCode.SendFailed, `Sending mail failed: ${message}`, false, details);
}
