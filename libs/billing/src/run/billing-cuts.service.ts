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
import { BillingRuns } from './billing-runs.service';
import { CURRENT, PROPOSED, proposedChannel } from './billing-rating.service';
import { ChannelLoader } from './channel-loader';
import { copyRows } from './sql';

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
 * every invariant is checked on the page too), written in one transaction that first removes what
 * an earlier attempt of the page wrote. The page's invoice lines were drafted as it was rated.
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

  async cutPage(input: CutPageInput): Promise<CutPageResult> {
    const em = this.em.fork();
    const run = await this.runs.get(input.runId, em);
    const [page]: Array<{ first_client_id: string; last_client_id: string; cut_at: Date | null; rated_page: Record<string, StoredRatedPage> | null }> =
      await em.execute(`select first_client_id, last_client_id, cut_at, rated_page from billing_run_page where run_id = ? and round = ? and page = ?`, [
        run.id,
        input.round,
        input.page,
      ]);
    if (!page?.rated_page) throw DomainError.invalid(BillingRunErrorCode.InvalidInput, 'page', `page ${input.page} of round ${input.round} was not rated`);

    const period = billingPeriod(run.period, this.config.operatorTimeZone);
    const currency = parseCurrency(run.currency!);
    const loader = new ChannelLoader(em);
    const snapshot = await loader.snapshot(await loader.clientsBetween(page.first_client_id, page.last_client_id), this.config.operatorTimeZone);
    const channels: Record<string, Channel> = { [CURRENT]: new Channel(snapshot) };
    if (run.mode === 'what-if') channels[PROPOSED] = new Channel(proposedChannel(run, snapshot, period));

    // The page's cuts from what its rating gathered (libs/domain RatedPage), with the run's volumes.
    const cutRows: Record<string, unknown>[] = [];
    const balanceRows: Record<string, unknown>[] = [];
    const violations: Array<LedgerViolation & { scenario: string; page: number }> = [];
    for (const [scenario, channel] of Object.entries(channels)) {
      const rated = RatedPage.fromJSON(page.rated_page[scenario], period, currency);
      const volumes = new Map(Object.entries(run.volumes?.[scenario] ?? {}).map(([id, v]) => [id, Money.of(v, currency)]));
      const { cuts, ledger, violations: found } = rated.cut(channel, volumes);
      violations.push(...found.map((v) => ({ ...v, scenario, page: input.page })));
      cutRows.push(...cutLineRows(cuts, channel, { runId: run.id, round: input.round, scenario, page: input.page }, period));
      balanceRows.push(
        ...ledgerBalances(ledger).map((b) => ({
          run_id: run.id,
          round: input.round,
          scenario,
          page: input.page,
          entry_kind: b.entryKind,
          account: b.account,
          amount: b.amount.toString(),
        })),
      );
    }

    await em.transactional(async (tx) => {
      // What an earlier attempt of this page wrote goes first: a retry replaces it.
      if (page.cut_at || (await wasCut(tx, run.id, input.round, input.page))) await removeCut(tx, run.id, input.round, input.page);
      await copyRows(tx, 'billing_cut_line', CUT_LINE_COLUMNS, cutRows);
      await copyRows(tx, 'billing_ledger_balance', LEDGER_BALANCE_COLUMNS, balanceRows);
      await tx.execute(`update billing_run_page set cut_at = now(), violations = ?::jsonb where run_id = ? and round = ? and page = ?`, [
        violations.length ? JSON.stringify(violations) : null,
        run.id,
        input.round,
        input.page,
      ]);
    });
    return { page: input.page, cutLines: cutRows.length, violations: violations.length };
  }
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

/** What an attempt of a page's cuts wrote: its cut lines and its ledger. */
async function removeCut(tx: EntityManager, runId: string, round: number, pageNo: number) {
  for (const table of ['billing_cut_line', 'billing_ledger_balance']) {
    await tx.execute(`delete from "${table}" where run_id = ? and round = ? and page = ?`, [runId, round, pageNo], 'run');
  }
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
