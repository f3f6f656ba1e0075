import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@wholesail/config';
import type { RatePageInput, RatePageResult } from '@wholesail/contracts';
import {
  billingPeriod,
  Channel,
  distributorVolumes,
  DomainError,
  BillingRunErrorCode,
  Money,
  parseCurrency,
  RatedPage,
  rateUsage,
  usageForRun,
  withProposedAgreements,
  type BillingPeriod,
  type ChannelSnapshot,
  type PricingContext,
  type ProposedAgreement,
  type RunUsage,
} from '@wholesail/domain';
import type { BillingRun } from '@wholesail/persistence';
import { UsageReader } from '@wholesail/usage';
import { BillingRuns } from './billing-runs.service';
import { ChannelLoader, type PageClient } from './channel-loader';
import { draftInvoiceLines, InvoiceLines, keepDocumentStatisticsCurrent, type InvoiceLineNames, operatorPartyId, removeInvoiceLines } from './invoice-drafts';
import { RATED_LINE_COLUMNS, ratedLineCopy, ratedLineText } from './rated-lines';
import { CopyData, copyLines, executeBound, insertJsonRows, nextTurn, untilSent } from './sql';

export const CURRENT = 'current';
export const PROPOSED = 'proposed';
/** Slices written while the next is rated (see `ratePage`). */
const PIPELINE_DEPTH = 2;
/** Segments rated between two turns of the event loop (a few milliseconds' work). */
const RATING_BIT = 100;

/**
 * Rating, one page of clients at a time: their usage for the run (frozen usage, late corrections,
 * excluded late arrivals), priced at every tier by the pricing engine and attributed to who earns
 * on it (libs/domain billing), written as rated lines with their client and wholesale invoice lines
 * (slice by slice, each in a transaction of its own) and summed into what the page's cuts need
 * (libs/domain `RatedPage`, kept with the page's row, which commits last). What an earlier attempt
 * of the same page wrote is removed first.
 */
@Injectable()
export class BillingRating {
  constructor(
    private readonly em: EntityManager,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly runs: BillingRuns,
    private readonly usage: UsageReader,
  ) {}

  /**
   * The next page's reads, started while this page's last slices are written (the database is busy
   * drafting then, this process mostly idle): the workflow's next activity, on this worker, takes
   * them instead of reading again. One at most: a newer one replaces it, and one found more than a
   * minute old is dropped (another worker took the page, or the run stopped). No timer holds it: a
   * pending timer would keep every page's reads alive for its minute.
   */
  private readAhead: { key: string; reads: Promise<PageReads | null>; expires: number } | undefined;

  /**
   * The wholesale invoices of a run's round this process has seen drafted (their slices committed):
   * later slices leave their headers out (`draftInvoiceLines`). Dropped at any failure, so a retry
   * drafts every header it needs again (ON CONFLICT keeps one).
   */
  private drafted: { key: string; ids: Set<string> } | undefined;

  async ratePage(input: RatePageInput): Promise<RatePageResult> {
    const em = this.em.fork();
    const run = await this.runs.get(input.runId, em);
    const reads =
      (await this.takeReadAhead(run, input.round, input.afterClientId, input.pageSize)) ?? (await this.readPage(run, input.afterClientId, input.pageSize));
    if (!reads) return { page: input.page, clients: 0, ratedLines: 0, documentLines: 0, excluded: 0, lastClientId: null };
    const { clients, snapshot, pricing, segments, excluded, period } = reads;
    const pricingFor = (clientId: string) => pricing.get(clientId)!;

    const channels: Array<[string, Channel]> = [[CURRENT, new Channel(snapshot)]];
    if (run.mode === 'what-if') channels.push([PROPOSED, new Channel(proposedChannel(run, snapshot, period))]);

    const key = { runId: run.id, round: input.round, page: input.page };
    const currency = parseCurrency(run.currency!);
    const volumeTotals = new Map<string, Map<string, Money>>(channels.map(([scenario]) => [scenario, new Map()]));
    // What the page's cuts will need of its lines, gathered as they are rated (libs/domain RatedPage).
    const ratedPages = new Map(channels.map(([scenario]) => [scenario, new RatedPage(period, currency)]));
    const operatorId = await operatorPartyId(em);
    let ratedLines = 0;
    let documentLines = 0;
    // What an earlier attempt of this page wrote goes first, committed before this attempt writes:
    // its slices' rated lines, and invoice lines (committed with them) of its clients and of this
    // attempt's (the same unless clients were added since). A first attempt has none, and skips the
    // invoice lines' delete, which looks through every draft line of the round.
    await em.transactional(async (tx) => {
      const [earlier]: Array<{ first: string | null; last: string | null }> = await tx.execute(
        `select (select client_id from billing_rated_line where run_id = ? and round = ? and page = ? order by client_id limit 1) as first,
                (select client_id from billing_rated_line where run_id = ? and round = ? and page = ? order by client_id desc limit 1) as last`,
        [run.id, input.round, input.page, run.id, input.round, input.page],
      );
      if (earlier.first && earlier.last) {
        const first = earlier.first < clients[0].id ? earlier.first : clients[0].id;
        const last = earlier.last > clients[clients.length - 1].id ? earlier.last : clients[clients.length - 1].id;
        await removeInvoiceLines(tx, run.id, input.round, first, last);
      }
      for (const table of ['billing_rated_line', 'billing_excluded_usage', 'billing_run_page']) {
        await tx.execute(`delete from "${table}" where run_id = ? and round = ? and page = ?`, [run.id, input.round, input.page], 'run');
      }
    });
    // The page's segments in slices of whole clients, written as they are rated: each slice's rated
    // lines, its drafts' headers and its invoice lines in one transaction of its own, up to
    // PIPELINE_DEPTH of them on their connections while this process rates the next slice (with
    // one, this process and the database took turns). An attempt that fails leaves the slices it
    // committed to the next attempt to remove (above); the page's row commits last.
    const names = invoiceLineNames(reads);
    const inFlight: Array<Promise<unknown>> = [];
    const draftedKey = `${run.id}:${input.round}`;
    if (this.drafted?.key !== draftedKey) this.drafted = { key: draftedKey, ids: new Set() };
    const drafted = this.drafted.ids;
    let failure: unknown;
    const failed = (error: unknown) => {
      failure ??= error;
      this.drafted = undefined;
    };
    for (const slice of clientSlices(segments, this.config.billing.sliceSize)) {
      const rows = new CopyData();
      const invoiceLines = new InvoiceLines(run.id, input.round, operatorId, names);
      // In bits of a few clients, the event loop let in between: the slices in flight go on with
      // their next statement as soon as the server answered the last, not once this slice is rated.
      for (const bit of clientSlices(slice, RATING_BIT, false)) {
        for (const [scenario, channel] of channels) {
          const lines = rateUsage({ segments: bit, pricingFor, channel });
          if (scenario === CURRENT) ratedLines += lines.length;
          const totals = volumeTotals.get(scenario)!;
          for (const [id, volume] of distributorVolumes(lines, currency)) totals.set(id, totals.get(id)?.add(volume) ?? volume);
          ratedPages.get(scenario)!.add(lines);
          const rowKey = { ...key, scenario };
          for (const line of lines) {
            const text = ratedLineText(line);
            rows.push(ratedLineCopy(line, text, rowKey));
            if (scenario === CURRENT) invoiceLines.add(line, text);
          }
        }
        if (inFlight.length > 0) await nextTurn();
      }
      while (inFlight.length >= PIPELINE_DEPTH) await inFlight.shift();
      if (failure !== undefined) break;
      const written = (async () => {
        await keepDocumentStatisticsCurrent(this.em.fork());
        const count = await this.em.fork().transactional(async (writer) => {
          await copyLines(writer, 'billing_rated_line', RATED_LINE_COLUMNS, rows);
          return draftInvoiceLines(writer, run, input.round, invoiceLines, drafted);
        });
        if (failure === undefined) for (const id of invoiceLines.wholesaleDocumentIds()) drafted.add(id);
        return count;
      })().then((count) => void (documentLines += count), failed);
      inFlight.push(written);
      await untilSent();
    }
    if (failure === undefined) this.startReadAhead(run, input.round, clients[clients.length - 1].id, input.pageSize);
    await Promise.all(inFlight);
    if (failure !== undefined) throw failure;
    await em.transactional(async (tx) => {
      await insertJsonRows(
        tx,
        'billing_excluded_usage',
        {
          run_id: 'uuid',
          round: 'int',
          kind: 'varchar(20)',
          transaction_id: 'varchar(200)',
          page: 'int',
          client_id: 'uuid',
          sku: 'varchar(64)',
          resource_id: 'varchar(200)',
          usage_period: 'varchar(7)',
          reason: 'varchar(40)',
        },
        excluded.map((e) => ({
          run_id: run.id,
          round: input.round,
          kind: e.kind,
          transaction_id: e.transactionId,
          page: input.page,
          client_id: e.clientId,
          sku: e.sku,
          resource_id: e.resourceId,
          usage_period: e.usagePeriod,
          reason: e.reason,
        })),
      );
      await executeBound(
        tx,
        `insert into billing_run_page (run_id, round, page, first_client_id, last_client_id, client_count, rated_line_count, excluded_count, volumes, rated_page, rated_at)
         values (?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, now())`,
        [
          run.id,
          input.round,
          input.page,
          clients[0].id,
          clients[clients.length - 1].id,
          clients.length,
          ratedLines,
          excluded.length,
          JSON.stringify(
            Object.fromEntries([...volumeTotals].map(([scenario, totals]) => [scenario, Object.fromEntries([...totals].map(([id, v]) => [id, v.toString()]))])),
          ),
          JSON.stringify(Object.fromEntries(ratedPages)),
        ],
      );
      await tx.execute(
        `update billing_run set clients_rated = s.clients, excluded_count = s.excluded, updated_at = now()
           from (select coalesce(sum(client_count), 0) as clients, coalesce(sum(excluded_count), 0) as excluded from billing_run_page where run_id = ? and round = ?) s
          where id = ?`,
        [run.id, input.round, run.id],
        'run',
      );
    });
    return {
      page: input.page,
      clients: clients.length,
      ratedLines,
      documentLines,
      excluded: excluded.length,
      lastClientId: clients[clients.length - 1].id,
    };
  }

  /** A page's clients (none: the run is past its last client) and all its reads, usage turned into segments. */
  private async readPage(run: BillingRun, afterClientId: string | null, pageSize: number): Promise<PageReads | null> {
    const em = this.em.fork();
    const loader = new ChannelLoader(em);
    const clients = await loader.clientsAfter(afterClientId, pageSize);
    if (clients.length === 0) return null;
    const timeZone = this.config.operatorTimeZone;
    const period = billingPeriod(run.period, timeZone);
    // The page's reads are independent of one another: all at once, on the pool's connections.
    const [firstBilledPeriod, recorded, snapshot, pricing] = await Promise.all([
      this.firstBilledPeriod(em, run.period),
      this.usage.forRun(
        run.period,
        clients.map((c) => c.id),
      ),
      loader.snapshot(clients, timeZone),
      loader.pricing(clients),
    ]);
    const { segments, excluded } = usageForRun(recorded, { period, firstBilledPeriod, includeUnfrozen: run.mode !== 'run' });
    return { clients, snapshot, pricing, segments, excluded, period };
  }

  private startReadAhead(run: BillingRun, round: number, afterClientId: string, pageSize: number): void {
    const reads = this.readPage(run, afterClientId, pageSize).catch(() => null);
    this.readAhead = { key: readAheadKey(run.id, round, afterClientId, pageSize), reads, expires: Date.now() + READ_AHEAD_MS };
  }

  /** The read-ahead of exactly this page, if this worker started one and it succeeded. */
  private async takeReadAhead(run: BillingRun, round: number, afterClientId: string | null, pageSize: number): Promise<PageReads | null | undefined> {
    const ahead = this.readAhead;
    if (!ahead) return undefined;
    if (ahead.expires < Date.now()) return (this.readAhead = undefined);
    if (afterClientId === null || ahead.key !== readAheadKey(run.id, round, afterClientId, pageSize)) return undefined;
    this.readAhead = undefined;
    // One that failed (or found no client after this page) leaves the caller to read for itself.
    return (await ahead.reads) ?? undefined;
  }

  /** Corrections never reach before the first period Wholesail billed: the earliest finalised one, or this run's. */
  private async firstBilledPeriod(em: EntityManager, period: string): Promise<string> {
    const [row]: Array<{ first: string | null }> = await em.execute(`select min(period) as first from billing_period where status = 'finalised'`);
    return row?.first && row.first < period ? row.first : period;
  }
}

/** The names a page's invoice lines carry: its clients' and their resellers' (as read with the page), the catalog's items. */
function invoiceLineNames(reads: PageReads): InvoiceLineNames {
  const clients = new Map(reads.clients.map((c) => [c.id, c]));
  // Every client's pricing holds the same catalog: the page's.
  const catalog = reads.pricing.values().next().value?.catalog.items ?? [];
  const items = new Map(catalog.map((item) => [item.sku, { name: item.name, unit: item.unit }]));
  return {
    client: (clientId) => {
      const client = clients.get(clientId);
      if (!client) throw new Error(`client ${clientId} is not on the page`);
      return { name: client.name, resellerName: client.resellerName };
    },
    item: (sku) => items.get(sku),
  };
}

/** What a page is rated from: its clients, their channel and prices, their usage as segments. */
interface PageReads {
  clients: PageClient[];
  snapshot: ChannelSnapshot;
  pricing: Map<string, PricingContext>;
  segments: RunUsage['segments'];
  excluded: RunUsage['excluded'];
  period: BillingPeriod;
}

const READ_AHEAD_MS = 60_000;

function readAheadKey(runId: string, round: number, afterClientId: string, pageSize: number): string {
  return `${runId}:${round}:${afterClientId}:${pageSize}`;
}

/**
 * The segments in slices of whole clients (they come sorted by client): the first and the last of
 * about a quarter of `size`, the others of about `size`. A page's first slice is rated before the
 * database has anything to do and its last written after this process has nothing left to rate:
 * small ends keep those waits short. Without `smallEnds`, bits of about `size` throughout (a slice
 * rated a few clients at a time).
 */
export function* clientSlices<T extends { clientId: string }>(segments: readonly T[], size: number, smallEnds = true): Generator<T[]> {
  const edge = smallEnds ? Math.max(1, Math.floor(size / 4)) : size;
  for (let i = 0; i < segments.length;) {
    const left = segments.length - i;
    const wanted = i === 0 ? edge : left > size + edge ? size : left > edge ? left - edge : left;
    let end = Math.min(i + wanted, segments.length);
    while (end < segments.length && segments[end].clientId === segments[end - 1].clientId) end++;
    yield segments.slice(i, end);
    i = end;
  }
}

/** A what-if run's channel: the proposals of `billing_run.what_if` in force over the current terms. */
export function proposedChannel(run: BillingRun, snapshot: ChannelSnapshot, period: ReturnType<typeof billingPeriod>): ChannelSnapshot {
  const proposals = (run.whatIf?.agreements ?? null) as ProposedAgreement[] | null;
  if (!proposals) throw DomainError.invalid(BillingRunErrorCode.InvalidInput, 'whatIf.agreements', 'a what-if run needs proposed agreements');
  return withProposedAgreements(snapshot, proposals, period);
}
