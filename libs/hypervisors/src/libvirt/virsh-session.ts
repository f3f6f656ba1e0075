import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HypervisorError, HypervisorErrorCode } from '@wholesail/domain';

export interface VirshSessionOptions {
  /** The virsh binary; default `virsh` on PATH. */
  virsh?: string;
  /** Per command; default 120 s (a guest's first start under TCG can take a while). */
  commandTimeoutMs?: number;
}

/** An argument virsh's own command-line parser takes as one word without quoting. */
const PLAIN_ARG = /^[A-Za-z0-9_./:=@+,-]+$/;
const PROMPT = 'virsh # ';

interface Pending {
  marker: string;
  command: string;
  resolve: (output: string) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

/**
 * One long-lived interactive `virsh -c <uri>` process: a connection to libvirt that stays open
 * between calls. That matters for `test:///default`, whose state lives exactly as long as its
 * connection, and saves a process start per call elsewhere. Commands run one at a time; after each
 * we send `echo` of a marker and take everything before the marker as the command's output, with
 * stderr merged in order so that `error:` lines belong to the command that caused them.
 */
export class VirshSession {
  private child?: ChildProcessWithoutNullStreams;
  private buffer = '';
  private current?: Pending;
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;

  constructor(
    readonly uri: string,
    private readonly options: VirshSessionOptions = {},
  ) {}

  /** Runs one virsh command (`['dominfo', 'web-1']`) and returns its output; `error:` lines throw. */
  run(args: string[]): Promise<string> {
    const command = args.map(quoteArg).join(' ');
    const result = this.queue.then(() => this.execute(command));
    this.queue = result.catch(() => undefined);
    return result;
  }

  /** Writes a document to a private temporary file for commands that read XML from a file (define, net-define). */
  async withXmlFile<T>(xml: string, work: (path: string) => Promise<T>): Promise<T> {
    const dir = await mkdtemp(join(tmpdir(), 'wholesail-virsh-'));
    try {
      const path = join(dir, 'document.xml');
      await writeFile(path, xml, { mode: 0o600 });
      return await work(path);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.queue;
    const child = this.child;
    this.child = undefined;
    if (!child || child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.stdin.end('quit\n');
      setTimeout(() => child.kill('SIGKILL'), 5_000).unref();
    });
  }

  private start(): ChildProcessWithoutNullStreams {
    // sh merges stderr into stdout (2>&1), so errors arrive in order with the output; the URI is
    // a positional parameter, never part of the script text.
    const child = spawn('sh', ['-c', 'exec "$0" -q -c "$1" 2>&1', this.options.virsh ?? 'virsh', this.uri], {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, LC_ALL: 'C', LANG: 'C' },
    });
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      this.buffer += chunk;
      this.drain();
    });
    child.stderr.resume();
    child.once('error', (error) => this.fail(child, error.message));
    child.once('exit', (code, signal) => this.fail(child, `virsh exited (code ${code}, signal ${signal})`));
    return child;
  }

  private fail(child: ChildProcessWithoutNullStreams, reason: string): void {
    if (this.child === child) this.child = undefined;
    const pending = this.current;
    if (!pending) return;
    this.current = undefined;
    clearTimeout(pending.timer);
    const output = this.buffer.trim();
    this.buffer = '';
    pending.reject(libvirtError(`${output ? `${output}\n` : ''}${reason}`, pending.command, this.uri));
  }

  private execute(command: string): Promise<string> {
    if (this.closed) return Promise.reject(new HypervisorError(HypervisorErrorCode.Unreachable, `libvirt ${this.uri}: the session is closed`));
    const child = (this.child ??= this.start());
    const id = randomUUID();
    // The marker printed ("__WS_END <id>__") differs from the command echoed ('echo "__WS_END" "<id>__"').
    const marker = `__WS_END ${id}__`;
    return new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.current = undefined;
        child.kill('SIGKILL');
        reject(new HypervisorError(HypervisorErrorCode.Timeout, `libvirt ${this.uri}: "${command}" did not finish in time`));
      }, this.options.commandTimeoutMs ?? 120_000);
      this.current = { marker, command, resolve, reject, timer };
      child.stdin.write(`${command}\necho "__WS_END" "${id}__"\n`);
    });
  }

  private drain(): void {
    const pending = this.current;
    if (!pending) return;
    const at = this.buffer.indexOf(pending.marker);
    if (at < 0) return;
    const raw = this.buffer.slice(0, at);
    this.buffer = this.buffer.slice(at + pending.marker.length);
    this.current = undefined;
    clearTimeout(pending.timer);
    // Interactive virsh echoes each command after its prompt; those lines are not output.
    const lines = raw.split('\n').filter((line) => !line.startsWith(PROMPT) && line !== PROMPT.trimEnd());
    const errors = lines.filter((line) => line.startsWith('error: '));
    if (errors.length) pending.reject(libvirtError(errors.map((line) => line.slice(7)).join('; '), pending.command, this.uri));
    else pending.resolve(lines.join('\n').replace(/^\n+/, ''));
  }
}

function quoteArg(arg: string): string {
  if (PLAIN_ARG.test(arg)) return arg;
  if (/['\n\r\\]/.test(arg)) throw new HypervisorError(HypervisorErrorCode.InvalidRequest, `not a safe virsh argument: ${JSON.stringify(arg.slice(0, 80))}`);
  return `'${arg}'`;
}

/** libvirt's messages (C locale) mapped to the drivers' codes. */
const PATTERNS: [RegExp, HypervisorErrorCode][] = [
  [
    /not found|no domain with matching|no network with matching|no storage (vol|pool) with matching|failed to get (domain|network|vol|pool)/i,
    HypervisorErrorCode.NotFound,
  ],
  [/already exists/i, HypervisorErrorCode.AlreadyExists],
  [/authentication (failed|unavailable)|access denied|permission denied|not authorized/i, HypervisorErrorCode.AuthFailed],
  [
    /failed to connect|cannot recv data|end of file while reading|no connection driver|unable to connect|connection reset|client socket is closed|exited \(code/i,
    HypervisorErrorCode.Unreachable,
  ],
  [/cannot allocate memory|not enough space|no space left|insufficient/i, HypervisorErrorCode.InsufficientResources],
  [/requested operation is not valid|is not running|already (active|running)|not active|domain is (running|active)/i, HypervisorErrorCode.InvalidState],
  [/not supported|unsupported/i, HypervisorErrorCode.Unsupported],
  [/xml error|invalid argument|failed to validate|unknown option|command '.*' doesn't support|expected syntax/i, HypervisorErrorCode.InvalidRequest],
];

export function libvirtError(message: string, command: string, uri: string): HypervisorError {
  const code = PATTERNS.find(([pattern]) => pattern.test(message))?.[1] ?? HypervisorErrorCode.Fault;
  return new HypervisorError(code, `libvirt ${uri}: ${command.split(' ')[0]}: ${message.trim()}`, message.trim().slice(0, 300));
}
