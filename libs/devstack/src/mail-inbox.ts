/**
 * Reads the development mail catcher's inbox (MailDev) over its REST API, for tests and tools in
 * other processes than the one that started it (the e2e global setup starts it, the tests read it).
 */

/** What an inbox list shows. */
export interface CaughtMessageSummary {
  id: string;
  /** Sender address: the From header, else the SMTP envelope sender. */
  from: string;
  /** Envelope recipients (RCPT TO), so Bcc recipients are included. */
  to: string[];
  subject: string;
  /** ISO timestamp: the Date header, else the time it was received. */
  date: string;
  /** Size of the raw message in bytes. */
  size: number;
}

export interface CaughtAttachment {
  filename: string | null;
  contentType: string;
  size: number;
}

export interface CaughtMessage extends CaughtMessageSummary {
  html: string | null;
  text: string | null;
  /** Lower-cased header names, as sent; repeated headers (Received) are joined with newlines. */
  headers: Record<string, string>;
  attachments: CaughtAttachment[];
}

/** The part of MailDev's e-mail JSON (GET /api/email, /api/email/:id) that the inbox uses. */
interface MaildevEmail {
  id: string;
  time: string;
  subject?: string;
  size: number;
  date?: string;
  from?: { address: string }[];
  html?: string;
  text?: string;
  /** `generatedFileName` is the name MailDev stores (and serves) the attachment under. */
  attachments?: { filename?: string; generatedFileName?: string; contentType: string; size?: number }[];
  envelope: { from?: { address?: string }; to: { address: string }[] };
}

export class MailInboxClient {
  readonly apiUrl: string;

  constructor(apiUrl: string) {
    this.apiUrl = apiUrl.replace(/\/+$/, '');
  }

  /** Uses MAIL_API_URL, which the dev stack and the test setup export. */
  static fromEnv(env: NodeJS.ProcessEnv = process.env): MailInboxClient {
    if (!env.MAIL_API_URL) throw new Error('MAIL_API_URL is not set; is the mail catcher running?');
    return new MailInboxClient(env.MAIL_API_URL);
  }

  /** Newest first. */
  async list(): Promise<CaughtMessageSummary[]> {
    // Arrival order, reversed: MailDev's own sort is by a time of one-second resolution.
    const emails = (await this.request('GET', '/api/email')) as MaildevEmail[];
    return emails.map(summarize).reverse();
  }

  async get(id: string): Promise<CaughtMessage> {
    const path = `/api/email/${encodeURIComponent(id)}`;
    const email = (await this.request('GET', path)) as MaildevEmail;
    // MailDev's parsed headers leave out the structured ones (From, To, Content-Type); the
    // message source has them all, as sent.
    const source = (await this.request('GET', `${path}/source`, 'text')) as string;
    return {
      ...summarize(email),
      html: email.html || null,
      text: email.text ?? null,
      headers: headersOf(source),
      attachments: (email.attachments ?? []).map(({ filename, contentType, size }) => ({ filename: filename ?? null, contentType, size: size ?? 0 })),
    };
  }

  /** The bytes of an attachment of a caught message, by the file name it was sent with. */
  async attachment(id: string, filename: string): Promise<Buffer> {
    const email = (await this.request('GET', `/api/email/${encodeURIComponent(id)}`)) as MaildevEmail;
    const attachment = email.attachments?.find((entry) => entry.filename === filename);
    if (!attachment)
      throw new Error(
        `message ${id} has no attachment ${JSON.stringify(filename)} (it has ${JSON.stringify(email.attachments?.map((a) => a.filename) ?? [])})`,
      );
    const stored = attachment.generatedFileName ?? filename;
    const response = await fetch(`${this.apiUrl}/api/email/${encodeURIComponent(id)}/attachment/${encodeURIComponent(stored)}`);
    if (!response.ok) throw new Error(`attachment ${filename} of ${id} answered ${response.status}: ${await response.text()}`);
    return Buffer.from(await response.arrayBuffer());
  }

  async clear(): Promise<void> {
    await this.request('DELETE', '/api/email/all');
  }

  /**
   * Polls until a message matching predicate has been caught (including ones caught before the
   * call). Each message is fetched in full once, so the predicate can look at html and text.
   */
  async waitFor(predicate: (message: CaughtMessage) => boolean, timeoutMs = 10_000, pollMs = 200): Promise<CaughtMessage> {
    const deadline = Date.now() + timeoutMs;
    const seen = new Map<string, CaughtMessage>();
    for (;;) {
      for (const summary of await this.list()) {
        if (seen.has(summary.id)) continue;
        const message = await this.get(summary.id).catch(() => undefined); // deleted meanwhile
        if (!message) continue;
        seen.set(summary.id, message);
        if (predicate(message)) return message;
      }
      if (Date.now() >= deadline) {
        throw new Error(`No matching mail within ${timeoutMs} ms. Caught: ${describe([...seen.values()])}`);
      }
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
  }

  private async request(method: string, path: string, as: 'json' | 'text' = 'json'): Promise<unknown> {
    const response = await fetch(`${this.apiUrl}${path}`, { method });
    if (!response.ok) {
      throw new Error(`${method} ${this.apiUrl}${path} answered ${response.status}: ${await response.text()}`);
    }
    return as === 'text' ? response.text() : response.json();
  }
}

function summarize(email: MaildevEmail): CaughtMessageSummary {
  return {
    id: email.id,
    from: email.from?.[0]?.address ?? email.envelope.from?.address ?? '',
    to: email.envelope.to.map((recipient) => recipient.address),
    subject: email.subject ?? '',
    date: new Date(email.date ?? email.time).toISOString(),
    size: email.size,
  };
}

/** The header block of a raw message: unfolded, names lower-cased, repeats joined by newlines. */
function headersOf(source: string): Record<string, string> {
  const end = source.search(/\r?\n\r?\n/);
  const block = (end < 0 ? source : source.slice(0, end)).replace(/\r?\n[ \t]+/g, ' ');
  const headers: Record<string, string> = {};
  for (const line of block.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    headers[name] = name in headers ? `${headers[name]}\n${value}` : value;
  }
  return headers;
}

function describe(messages: CaughtMessage[]): string {
  if (messages.length === 0) return 'none';
  return messages
    .slice(0, 10)
    .map((message) => `"${message.subject}" to ${message.to.join(', ')}`)
    .join('; ');
}
