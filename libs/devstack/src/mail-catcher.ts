import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from 'node:http';
import type { AddressInfo, Server as NetServer } from 'node:net';
import { dirname } from 'node:path';
import { simpleParser } from 'mailparser';
import { SMTPServer, type SMTPServerEnvelope } from 'smtp-server';
import { inboxPage } from './mail-inbox.page';
import type { Logger } from './processes';

/** What the inbox list shows. */
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
  /** Lower-cased header names; repeated headers (Received) are joined with newlines. */
  headers: Record<string, string>;
  attachments: CaughtAttachment[];
}

export interface MailCatcherOptions {
  /** Defaults to a free port. */
  smtpPort?: number;
  /** Defaults to a free port. */
  httpPort?: number;
  /** When set, messages are kept in this JSON file and reloaded on start. */
  storeFile?: string;
  log: Logger;
}

export interface RunningMailCatcher {
  /** smtp://127.0.0.1:<port>, plain SMTP, any credentials accepted. */
  smtpUrl: string;
  /** http://127.0.0.1:<port>, the JSON API under /api and the inbox page at /. */
  apiUrl: string;
  /** Newest first. */
  messages(): CaughtMessage[];
  /** Resolves with the first caught message (already there or still to come) matching predicate. */
  waitFor(predicate: (message: CaughtMessage) => boolean, timeoutMs?: number): Promise<CaughtMessage>;
  stop(): Promise<void>;
}

/** Enough for any realistic test; keeps a long-running dev store from growing without bound. */
const MAX_MESSAGES = 1_000;
const MAX_MESSAGE_BYTES = 25 * 1024 * 1024;

/**
 * A local SMTP server that accepts every message (no TLS, any or no credentials) and shows it
 * through a small HTTP API and inbox page, so the app's real mail path can be exercised in dev and
 * in end-to-end tests.
 */
export async function startMailCatcher(options: MailCatcherOptions): Promise<RunningMailCatcher> {
  const { storeFile, log } = options;
  const store = new MessageStore(storeFile, log);
  await store.load();

  const smtp = new SMTPServer({
    authOptional: true,
    // Dev mailers may be configured with credentials; accept them over plain text.
    allowInsecureAuth: true,
    disabledCommands: ['STARTTLS'],
    size: MAX_MESSAGE_BYTES,
    logger: false,
    banner: 'Wholesail mail catcher',
    closeTimeout: 2_000,
    onAuth: (auth, _session, callback) => callback(null, { user: auth.username ?? 'anonymous' }),
    onData: (stream, session, callback) => {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        if (stream.sizeExceeded) {
          callback(Object.assign(new Error('Message exceeds the size limit'), { responseCode: 552 }));
          return;
        }
        const raw = Buffer.concat(chunks);
        parseMessage(raw, session.envelope)
          .then((message) => {
            store.add(message);
            log(`mail: caught "${message.subject}" for ${message.to.join(', ')}`);
            callback();
          })
          .catch((error: Error) => callback(error));
      });
    },
  });
  smtp.on('error', (error) => log(`mail: SMTP error: ${error.message}`));

  let page = '';
  const http = createServer((request, response) => {
    handleHttp(store, page, request, response).catch((error: Error) => sendJson(response, 500, { error: error.message }));
  });

  let smtpUrl: string;
  let httpPort: number;
  try {
    smtpUrl = `smtp://127.0.0.1:${await listen(smtp.server, options.smtpPort ?? 0)}`;
    httpPort = await listen(http, options.httpPort ?? 0);
  } catch (error) {
    await closeServers(smtp, http);
    throw error;
  }
  page = inboxPage(smtpUrl);

  let stopping: Promise<void> | undefined;
  return {
    smtpUrl,
    apiUrl: `http://127.0.0.1:${httpPort}`,
    messages: () => store.all(),
    waitFor: (predicate, timeoutMs = 10_000) => store.waitFor(predicate, timeoutMs),
    stop: () =>
      (stopping ??= (async () => {
        await closeServers(smtp, http);
        await store.flush();
      })()),
  };
}

async function parseMessage(raw: Buffer, envelope: SMTPServerEnvelope): Promise<CaughtMessage> {
  const parsed = await simpleParser(raw);
  const headers: Record<string, string> = {};
  for (const { key, line } of parsed.headerLines) {
    // headerLines keep the raw "Name: value" line; unfold continuation lines.
    const value = line
      .slice(line.indexOf(':') + 1)
      .replace(/\r?\n[ \t]+/g, ' ')
      .trim();
    headers[key] = key in headers ? `${headers[key]}\n${value}` : value;
  }
  return {
    id: randomUUID(),
    from: parsed.from?.value[0]?.address ?? (envelope.mailFrom ? envelope.mailFrom.address : ''),
    to: envelope.rcptTo.map((recipient) => recipient.address),
    subject: parsed.subject ?? '',
    date: (parsed.date ?? new Date()).toISOString(),
    size: raw.length,
    html: parsed.html || null,
    text: parsed.text ?? null,
    headers,
    attachments: parsed.attachments.map((attachment) => ({
      filename: attachment.filename ?? null,
      contentType: attachment.contentType,
      size: attachment.size,
    })),
  };
}

/** The caught messages, newest first, optionally mirrored to a JSON file. */
class MessageStore {
  private messages: CaughtMessage[] = [];
  private readonly events = new EventEmitter();
  /** Writes are chained so the file always ends up with the latest state. */
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly file: string | undefined,
    private readonly log: Logger,
  ) {
    this.events.setMaxListeners(0);
  }

  async load(): Promise<void> {
    if (!this.file || !existsSync(this.file)) return;
    try {
      const stored = JSON.parse(await readFile(this.file, 'utf8')) as { messages?: CaughtMessage[] };
      this.messages = Array.isArray(stored.messages) ? stored.messages : [];
    } catch (error) {
      this.log(`mail: ignoring unreadable store ${this.file}: ${(error as Error).message}`);
    }
  }

  all(): CaughtMessage[] {
    return [...this.messages];
  }

  get(id: string): CaughtMessage | undefined {
    return this.messages.find((message) => message.id === id);
  }

  add(message: CaughtMessage): void {
    this.messages.unshift(message);
    this.messages.length = Math.min(this.messages.length, MAX_MESSAGES);
    this.save();
    this.events.emit('message', message);
  }

  remove(id: string): boolean {
    const before = this.messages.length;
    this.messages = this.messages.filter((message) => message.id !== id);
    if (this.messages.length === before) return false;
    this.save();
    return true;
  }

  clear(): void {
    this.messages = [];
    this.save();
  }

  waitFor(predicate: (message: CaughtMessage) => boolean, timeoutMs: number): Promise<CaughtMessage> {
    const existing = this.messages.find(predicate);
    if (existing) return Promise.resolve(existing);
    return new Promise((resolve, reject) => {
      const onMessage = (message: CaughtMessage): void => {
        if (!predicate(message)) return;
        clearTimeout(timer);
        this.events.off('message', onMessage);
        resolve(message);
      };
      const timer = setTimeout(() => {
        this.events.off('message', onMessage);
        reject(new Error(`No matching mail within ${timeoutMs} ms. Caught: ${describe(this.messages)}`));
      }, timeoutMs);
      this.events.on('message', onMessage);
    });
  }

  flush(): Promise<void> {
    return this.writing;
  }

  private save(): void {
    const file = this.file;
    if (!file) return;
    const snapshot = JSON.stringify({ version: 1, messages: this.messages });
    this.writing = this.writing.then(async () => {
      try {
        await mkdir(dirname(file), { recursive: true });
        // Write then rename, so a crash never leaves a truncated store behind.
        await writeFile(`${file}.tmp`, snapshot);
        await rename(`${file}.tmp`, file);
      } catch (error) {
        this.log(`mail: could not write ${file}: ${(error as Error).message}`);
      }
    });
  }
}

async function handleHttp(store: MessageStore, page: string, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const path = new URL(request.url ?? '/', 'http://localhost').pathname.replace(/\/+$/, '') || '/';
  const method = request.method ?? 'GET';
  const one = /^\/api\/messages\/([^/]+)$/.exec(path);

  if (path === '/' && method === 'GET') {
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    response.end(page);
  } else if (path === '/api/messages' && method === 'GET') {
    sendJson(response, 200, store.all().map(summarize));
  } else if (path === '/api/messages' && method === 'DELETE') {
    store.clear();
    response.writeHead(204).end();
  } else if (one && method === 'GET') {
    const message = store.get(decodeURIComponent(one[1]));
    if (message) sendJson(response, 200, message);
    else sendJson(response, 404, { error: 'No such message' });
  } else if (one && method === 'DELETE') {
    if (store.remove(decodeURIComponent(one[1]))) response.writeHead(204).end();
    else sendJson(response, 404, { error: 'No such message' });
  } else {
    sendJson(response, 404, { error: `No route for ${method} ${path}` });
  }
}

function summarize({ id, from, to, subject, date, size }: CaughtMessage): CaughtMessageSummary {
  return { id, from, to, subject, date, size };
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  if (response.headersSent) {
    response.end();
    return;
  }
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  response.end(JSON.stringify(body));
}

function listen(server: NetServer, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

async function closeServers(smtp: SMTPServer, http: HttpServer): Promise<void> {
  http.closeAllConnections();
  await Promise.all([
    new Promise<void>((resolve) => (http.listening ? http.close(() => resolve()) : resolve())),
    new Promise<void>((resolve) => (smtp.server.listening ? smtp.close(() => resolve()) : resolve())),
  ]);
}

function describe(messages: CaughtMessage[]): string {
  if (messages.length === 0) return 'none';
  return messages
    .slice(0, 10)
    .map((message) => `"${message.subject}" to ${message.to.join(', ')}`)
    .join('; ');
}

/**
 * Reads a mail catcher's inbox over HTTP, for tests and tools in other processes than the one
 * running the catcher (the e2e global setup starts it, the tests read it).
 */
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
    return (await this.request('GET', '/api/messages')) as CaughtMessageSummary[];
  }

  async get(id: string): Promise<CaughtMessage> {
    return (await this.request('GET', `/api/messages/${encodeURIComponent(id)}`)) as CaughtMessage;
  }

  async clear(): Promise<void> {
    await this.request('DELETE', '/api/messages');
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

  private async request(method: string, path: string): Promise<unknown> {
    const response = await fetch(`${this.apiUrl}${path}`, { method });
    if (!response.ok) {
      throw new Error(`${method} ${this.apiUrl}${path} answered ${response.status}: ${await response.text()}`);
    }
    return response.status === 204 ? undefined : response.json();
  }
}
