import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@wholesail/config';
import type { CutPageInput, CutPageResult } from '@wholesail/contracts';
import {
  billingPeriod,
  Channel,
  Dec,
  DomainError,
  BillingRunErrorCode,
  ledgerBalances,
  Money,
  parseCurrency,
  RatedPage,
  roundRatioHalfEven,
  type BillingPeriod as Period,
  type LedgerViolation,
  type PeriodCuts,
  type StoredRatedPage,
} from '@wholesail/domain';
import type { BillingRun } from '@wholesail/persistence';
import { BillingRuns } from './billing-runs.service';
import { CURRENT, PROPOSED, proposedChannel } from './billing-rating.service';
import { ChannelLoader } from './channel-loader';
import { executeBound, jsonInsert, untilSent } from './sql';

const CUT_LINE_COLUMNS = {
  run_id: 'uuid',
  round: 'int',
  scenario: 'varchar(10)',
  id: 'text',
  page: 'int',
  kind: 'varchar(12)',
  party_id: 'uuid',
  client_id: 'uuid',
  top_reseller_id: 'uuid',
  agreement_id: 'uuid',
  basis: 'numeric',
  volume: 'numeric',
  rate_numerator: 'text',
  rate_denominator: 'text',
  rate: 'numeric',
  amount: 'numeric',
  fee_per_active_client: 'numeric',
  seconds: 'bigint',
  seconds_in_period: 'bigint',
  funded_by: 'varchar(12)',
  carved_from: 'uuid',
  carved_out: 'numeric',
  operator_funded: 'numeric',
  rated_line_count: 'int',
} as const;

const LEDGER_BALANCE_COLUMNS = {
  run_id: 'uuid',
  round: 'int',
  scenario: 'varchar(10)',
  page: 'int',
  entry_kind: 'varchar(30)',
  account: 'text',
  amount: 'numeric',
} as const;

/**
 * The cuts of a run, page by page: the distributors' volumes summed over the whole run first (the
 * volume tiers look at the month), then for each page of clients its cuts (from what its rating
 * gathered, libs/domain `RatedPage`, with the run's volumes) and its own ledger with a close (so
 * every invariant is checked on the page too), written in one statement once what an earlier
 * attempt of the page wrote is removed (committed first). The page's invoice lines were drafted as
 * it was rated.
 */
@Injectable()
export class BillingCuts {
  constructor(
    private readonly em: EntityManager,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly runs: BillingRuns,
  ) {}

  /** Σ of the pages' volumes, per scenario and distributor, stored with the run. */
  async computeVolumes(runId: string, round: number): Promise<{ distributors: number }> {
    const em = this.em.fork();
    const run = await this.runs.get(runId, em);
    const pages: Array<{ volumes: Record<string, Record<string, string>> | null }> = await em.execute(
      `select volumes from billing_run_page where run_id = ? and round = ? order by page`,
      [run.id, round],
    );
    const totals: Record<string, Record<string, Money>> = {};
    for (const { volumes } of pages) {
      for (const [scenario, byDistributor] of Object.entries(volumes ?? {})) {
        const into = (totals[scenario] ??= {});
        for (const [id, amount] of Object.entries(byDistributor)) into[id] = (into[id] ?? Money.zero(run.currency!)).add(Money.of(amount, run.currency!));
      }
    }
    run.volumes = Object.fromEntries(
      Object.entries(totals).map(([scenario, byDistributor]) => [
        scenario,
        Object.fromEntries(Object.entries(byDistributor).map(([id, v]) => [id, v.toString()])),
      ]),
    );
    await em.flush();
    return { distributors: Object.keys(totals[CURRENT] ?? {}).length };
  }

  /**
   * The next page's cuts, computed while this page's are written (the database is busy writing
   * then, this process idle): the workflow's next activity, on this worker, takes them instead of
   * computing again. One at most, dropped after a minute (another worker took the page, or the run
   * stopped). Computed ahead only for a page no attempt has cut yet: one that must remove an
   * earlier attempt's rows does so in its own activity, never ahead of it.
   */
  private ahead: { key: string; cut: Promise<PageCut | null>; expires: number } | undefined;

  async cutPage(input: CutPageInput): Promise<CutPageResult> {
    const em = this.em.fork();
    const run = await this.runs.get(input.runId, em);
    const cut = (await this.takeAhead(run, input.round, input.page)) ?? (await this.computeCut(run, input.round, input.page, false));
    if (!cut) throw DomainError.invalid(BillingRunErrorCode.InvalidInput, 'page', `page ${input.page} of round ${input.round} was not rated`);

    // The cut lines, the ledger and the page's mark in one statement (one round trip, atomic): this
    // process computes the next page's cuts meanwhile.
    const written = executeBound(
      this.em.fork(),
      `with cut_lines as (${jsonInsert('billing_cut_line', CUT_LINE_COLUMNS)}),
            balances as (${jsonInsert('billing_ledger_balance', LEDGER_BALANCE_COLUMNS)})
       update billing_run_page set cut_at = now(), violations = ?::jsonb where run_id = ? and round = ? and page = ?`,
      [
        JSON.stringify(cut.cutRows),
        JSON.stringify(cut.balanceRows),
        cut.violations.length ? JSON.stringify(cut.violations) : null,
        run.id,
        input.round,
        input.page,
      ],
    );
    await untilSent();
    this.startAhead(run, input.round, input.page + 1);
    await written;
    return { page: input.page, cutLines: cut.cutRows.length, violations: cut.violations.length };
  }

  /**
   * A page's cuts from what its rating gathered (libs/domain RatedPage), with the run's volumes;
   * null when the page was not rated. What an earlier attempt of the page wrote is removed first
   * (committed before the new rows are written), or, `ahead`, the page is left alone (null).
   */
  private async computeCut(run: BillingRun, round: number, pageNo: number, ahead: boolean): Promise<PageCut | null> {
    const em = this.em.fork();
    const [page]: Array<{ first_client_id: string; last_client_id: string; cut_at: Date | null; rated_page: Record<string, StoredRatedPage> | null }> =
      await em.execute(`select first_client_id, last_client_id, cut_at, rated_page from billing_run_page where run_id = ? and round = ? and page = ?`, [
        run.id,
        round,
        pageNo,
      ]);
    if (!page?.rated_page) return null;
    if (page.cut_at || (await wasCut(em, run.id, round, pageNo))) {
      if (ahead) return null;
      // A retry replaces what an earlier attempt wrote.
      await em.transactional((tx) => removeCut(tx, run.id, round, pageNo));
    }

    const period = billingPeriod(run.period, this.config.operatorTimeZone);
    const currency = parseCurrency(run.currency!);
    const loader = new ChannelLoader(em);
    const snapshot = await loader.snapshot(await loader.clientsBetween(page.first_client_id, page.last_client_id), this.config.operatorTimeZone);
    const channels: Record<string, Channel> = { [CURRENT]: new Channel(snapshot) };
    if (run.mode === 'what-if') channels[PROPOSED] = new Channel(proposedChannel(run, snapshot, period));

    const cutRows: Record<string, unknown>[] = [];
    const balanceRows: Record<string, unknown>[] = [];
    const violations: Array<LedgerViolation & { scenario: string; page: number }> = [];
    for (const [scenario, channel] of Object.entries(channels)) {
      const rated = RatedPage.fromJSON(page.rated_page[scenario], period, currency);
      const volumes = new Map(Object.entries(run.volumes?.[scenario] ?? {}).map(([id, v]) => [id, Money.of(v, currency)]));
      const { cuts, ledger, violations: found } = rated.cut(channel, volumes);
      violations.push(...found.map((v) => ({ ...v, scenario, page: pageNo })));
      cutRows.push(...cutLineRows(cuts, channel, { runId: run.id, round, scenario, page: pageNo }, period));
      balanceRows.push(
        ...ledgerBalances(ledger).map((b) => ({
          run_id: run.id,
          round,
          scenario,
          page: pageNo,
          entry_kind: b.entryKind,
          account: b.account,
          amount: b.amount.toString(),
        })),
      );
    }
    return { cutRows, balanceRows, violations };
  }

  private startAhead(run: BillingRun, round: number, pageNo: number): void {
    const cut = this.computeCut(run, round, pageNo, true).catch(() => null);
    this.ahead = { key: aheadKey(run, round, pageNo), cut, expires: Date.now() + AHEAD_MS };
  }

  /** The cuts computed ahead for exactly this page (and the run's volumes as they are now), if this worker computed them. */
  private async takeAhead(run: BillingRun, round: number, pageNo: number): Promise<PageCut | null | undefined> {
    const ahead = this.ahead;
    if (!ahead) return undefined;
    this.ahead = undefined;
    if (ahead.expires < Date.now() || ahead.key !== aheadKey(run, round, pageNo)) return undefined;
    // One that failed or found the page cut already leaves the caller to compute for itself.
    return (await ahead.cut) ?? undefined;
  }
}

/** A page's cuts as they are written: cut lines, ledger balances, violations. */
interface PageCut {
  cutRows: Record<string, unknown>[];
  balanceRows: Record<string, unknown>[];
  violations: Array<LedgerViolation & { scenario: string; page: number }>;
}

const AHEAD_MS = 60_000;

/** Cuts computed ahead hold for the run's round, page and volumes (computed once per round; a retry gives the same). */
function aheadKey(run: BillingRun, round: number, pageNo: number): string {
  return `${run.id}:${round}:${pageNo}:${JSON.stringify(run.volumes ?? null)}`;
}

/** Whether an attempt of the page's cuts committed (a page rated again has no cut_at, but may have been cut). */
async function wasCut(tx: EntityManager, runId: string, round: number, pageNo: number): Promise<boolean> {
  const [row]: Array<{ cut: boolean }> = await tx.execute(
    `select exists (select 1 from billing_ledger_balance where run_id = ? and round = ? and scenario = 'current' and page = ?)
            or exists (select 1 from billing_cut_line where run_id = ? and round = ? and page = ?) as cut`,
    [runId, round, pageNo, runId, round, pageNo],
  );
  return row.cut;
}

/** What an attempt of a page's cuts wrote: its cut lines, its ledger and its mark on the page. */
async function removeCut(tx: EntityManager, runId: string, round: number, pageNo: number) {
  for (const table of ['billing_cut_line', 'billing_ledger_balance']) {
    await tx.execute(`delete from "${table}" where run_id = ? and round = ? and page = ?`, [runId, round, pageNo], 'run');
  }
  await tx.execute(`update billing_run_page set cut_at = null, violations = null where run_id = ? and round = ? and page = ?`, [runId, round, pageNo], 'run');
}

function cutLineRows(cuts: PeriodCuts, channel: Channel, key: { runId: string; round: number; scenario: string; page: number }, period: Period) {
  const base = (id: string, kind: string, partyId: string, clientId: string, agreementId: string) => ({
    run_id: key.runId,
    round: key.round,
    scenario: key.scenario,
    id,
    page: key.page,
    kind,
    party_id: partyId,
    client_id: clientId,
    top_reseller_id: channel.client(clientId).resellerIds[0],
    agreement_id: agreementId,
  });
  const rows: Record<string, unknown>[] = [];
  for (const d of cuts.distributors) {
    for (const c of d.commissionLines) {
      const ratio = { numerator: BigInt(c.rate.numerator), denominator: BigInt(c.rate.denominator) };
      rows.push({
        ...base(c.id, 'commission', c.distributorId, c.clientId, c.agreementId),
        basis: c.basis.toString(),
        volume: c.volume.toString(),
        rate_numerator: c.rate.numerator,
        rate_denominator: c.rate.denominator,
        rate: roundRatioHalfEven(new Dec('1'), ratio, 10).toFixed(),
        amount: c.amount.toString(),
        rated_line_count: c.ratedLineCount,
      });
    }
    for (const f of d.feeLines) {
      rows.push({
        ...base(f.id, 'fee', f.distributorId, f.clientId, f.agreementId),
        amount: f.amount.toString(),
        fee_per_active_client: f.feePerActiveClient.toString(),
        seconds: f.seconds,
        seconds_in_period: period.seconds.toString(),
        rated_line_count: 0,
      });
    }
  }
  for (const a of cuts.agents) {
    for (const l of a.lines) {
      rows.push({
        ...base(l.id, 'agent', l.agentId, l.clientId, l.agreementId),
        basis: l.basis.toString(),
        rate: l.rate,
        amount: l.amount.toString(),
        funded_by: l.fundedBy,
        carved_from: l.carvedFrom,
        carved_out: l.carvedOut.toString(),
        operator_funded: l.operatorFunded.toString(),
        rated_line_count: l.ratedLineCount,
      });
    }
  }
  return rows;
}
