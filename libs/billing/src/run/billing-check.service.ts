import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@wholesail/config';
import type { CheckResult, DraftsResult } from '@wholesail/contracts';
import {
  accountKind,
  accountOwner,
  checkLedger,
  ledgerFromBalances,
  Money,
  parseCurrency,
  sumAmounts,
  type EntryKind,
  type LedgerViolation,
  type StatementFigures,
} from '@wholesail/domain';
import type { BillingRun } from '@wholesail/persistence';
import { BillingRuns } from './billing-runs.service';
import { CURRENT, PROPOSED } from './billing-rating.service';
import { draftPayouts } from './invoice-drafts';

/** Violations kept with the run (the API shows them); the activity returns the first 20. */
const KEPT_VIOLATIONS = 100;

/**
 * The end of a run's drafting: payout invoices and every draft's totals, then the invariants of
 * DOMAIN.md over the whole run — the ledger (summed from the pages' ledgers) against the drafts'
 * totals — and, for a dry run or what-if, every figure into the run's result.
 */
@Injectable()
export class BillingCheck {
  constructor(
    private readonly em: EntityManager,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly runs: BillingRuns,
  ) {}

  async finishDrafts(runId: string, round: number): Promise<DraftsResult> {
    return this.em.fork().transactional(async (tx) => {
      const run = await this.runs.get(runId, tx);
      const documents = await draftPayouts(tx, run, round, this.config.billing.financeEmail);
      run.documentsTotal = documents;
      await tx.flush();
      return { documents };
    });
  }

  async check(runId: string, round: number): Promise<CheckResult> {
    const em = this.em.fork();
    const run = await this.runs.get(runId, em);
    const pageViolations: Array<{ violations: LedgerViolation[] }> = await em.execute(
      `select violations from billing_run_page where run_id = ? and round = ? and violations is not null order by page`,
      [run.id, round],
    );
    const violations: LedgerViolation[] = pageViolations.flatMap((p) => p.violations);

    const current = checkLedger(await this.runLedger(em, run, round, CURRENT), await this.documentFigures(em, run, round), {
      // The per-entry rules were checked on each page; a run with late corrections may credit.
      allowNegativeCuts: true,
    });
    violations.push(...current.violations);
    const scenarios: Record<string, unknown> = {};
    if (run.mode === 'what-if') {
      const proposed = checkLedger(await this.runLedger(em, run, round, PROPOSED), undefined, { allowNegativeCuts: true });
      violations.push(...proposed.violations.map((v) => ({ ...v, subject: `${PROPOSED}: ${v.subject}` })));
      scenarios[PROPOSED] = proposed.totals;
    }
    const ok = violations.length === 0;
    run.totals = current.totals;
    run.invariants = {
      ok,
      violationCount: violations.length,
      violations: violations.slice(0, KEPT_VIOLATIONS),
      checkedAt: new Date().toISOString(),
      scenarios,
    };
    await em.flush();
    return { ok, violations: violations.slice(0, 20), violationCount: violations.length, totals: current.totals };
  }

  /** Dry run and what-if: the figures a finance team asks for, each payout beside the proposed one. */
  async summarise(runId: string, round: number): Promise<void> {
    const em = this.em.fork();
    const run = await this.runs.get(runId, em);
    const currency = run.currency!;
    const rows: Array<{ scenario: string; account: string; amount: string }> = await em.execute(
      `select scenario, account, sum(amount) as amount from billing_ledger_balance
        where run_id = ? and round = ? and (account like 'distributor-commission-payable:%' or account like 'agent-commission-payable:%' or account like 'operator-net:%')
        group by scenario, account`,
      [run.id, round],
    );
    const payouts = new Map<string, { partyId: string; partyKind: string; current: Money; proposed: Money }>();
    const net: Record<string, Money> = { [CURRENT]: Money.zero(currency), [PROPOSED]: Money.zero(currency) };
    for (const row of rows) {
      // Credit balances: what is owed (payables) and kept (net) are the negated sums.
      const owed = Money.of(row.amount, currency).negated();
      const kind = accountKind(row.account);
      if (kind === 'operator-net') {
        net[row.scenario] = owed;
        continue;
      }
      const partyId = accountOwner(row.account);
      const entry = payouts.get(partyId) ?? {
        partyId,
        partyKind: kind === 'agent-commission-payable' ? 'agent' : 'distributor',
        current: Money.zero(currency),
        proposed: Money.zero(currency),
      };
      entry[row.scenario === PROPOSED ? 'proposed' : 'current'] = owed;
      payouts.set(partyId, entry);
    }
    const names: Array<{ id: string; name: string }> = payouts.size
      ? await em.execute(`select id, name from party where id in (select value::uuid from json_array_elements_text(?::json))`, [
          JSON.stringify([...payouts.keys()]),
        ])
      : [];
    const nameOf = new Map(names.map((n) => [n.id, n.name]));
    const whatIf = run.mode === 'what-if';
    const documents: Array<{ kind: string; count: string; total: string }> = await em.execute(
      `select kind, count(*) as count, coalesce(sum(total), 0) as total from billing_document where run_id = ? and round = ? group by kind order by kind`,
      [run.id, round],
    );
    run.result = {
      currency,
      totals: run.totals,
      documents: Object.fromEntries(documents.map((d) => [d.kind, { count: Number(d.count), total: Money.of(d.total, currency).toString() }])),
      operatorNet: whatIf ? { current: net[CURRENT].toString(), proposed: net[PROPOSED].toString() } : net[CURRENT].toString(),
      payouts: [...payouts.values()]
        .sort((a, b) =>
          a.partyKind === b.partyKind ? (nameOf.get(a.partyId) ?? '').localeCompare(nameOf.get(b.partyId) ?? '') : a.partyKind === 'distributor' ? -1 : 1,
        )
        .map((p) => ({
          partyId: p.partyId,
          partyKind: p.partyKind,
          name: nameOf.get(p.partyId) ?? null,
          ...(whatIf
            ? { current: p.current.toString(), proposed: p.proposed.toString(), difference: p.proposed.sub(p.current).toString() }
            : { payout: p.current.toString() }),
        })),
      excludedUsage: run.excludedCount,
      invariants: run.invariants,
    };
    await em.flush();
  }

  /** The run's ledger for a scenario from the pages' balances (a party's receivables and sales summed per account kind: only their sums are checked). */
  private async runLedger(em: EntityManager, run: BillingRun, round: number, scenario: string) {
    const rows: Array<{ entry_kind: EntryKind; account: string; amount: string }> = await em.execute(
      `select entry_kind, case when account like 'client-receivable:%' or account like 'reseller-sales:%' or account like 'reseller-purchases:%'
                               then split_part(account, ':', 1) || ':*' else account end as account, sum(amount) as amount
         from billing_ledger_balance where run_id = ? and round = ? and scenario = ? group by 1, 2 order by 1, 2`,
      [run.id, round, scenario],
    );
    const currency = parseCurrency(run.currency!);
    return ledgerFromBalances(run.period, currency, [
      { page: 0, balances: rows.map((r) => ({ entryKind: r.entry_kind, account: r.account, amount: Money.of(r.amount, currency) })) },
    ]);
  }

  /** What the drafts say: Σ client invoices, Σ wholesale (the operator's), margins (resellers' sales − purchases), each payout, the net. */
  private async documentFigures(em: EntityManager, run: BillingRun, round: number): Promise<StatementFigures> {
    const currency = run.currency!;
    const rows: Array<{ kind: string; issuer_id: string; issuer_kind: string; recipient_kind: string; total: string }> = await em.execute(
      `select kind, issuer_id, issuer_snapshot ->> 'kind' as issuer_kind, recipient_snapshot ->> 'kind' as recipient_kind, total
         from billing_document where run_id = ? and round = ?`,
      [run.id, round],
    );
    const sum = (filter: (r: (typeof rows)[number]) => boolean) =>
      sumAmounts(
        rows.filter(filter).map((r) => r.total),
        currency,
      );
    const payouts = rows.filter((r) => r.kind === 'payout-invoice');
    const wholesale = sum((r) => r.kind === 'wholesale-invoice' && r.issuer_kind === 'operator');
    const sales = sum((r) => (r.kind === 'client-invoice' || r.kind === 'wholesale-invoice') && r.issuer_kind === 'reseller');
    const purchases = sum((r) => r.kind === 'wholesale-invoice' && r.recipient_kind === 'reseller');
    return {
      clientInvoices: sum((r) => r.kind === 'client-invoice'),
      resellerMargins: sales.sub(purchases),
      wholesale,
      operatorNet: wholesale.sub(sum((r) => r.kind === 'payout-invoice')),
      distributors: payouts.filter((r) => r.issuer_kind === 'distributor').map((r) => ({ distributorId: r.issuer_id, payout: Money.of(r.total, currency) })),
      agents: payouts.filter((r) => r.issuer_kind === 'agent').map((r) => ({ agentId: r.issuer_id, payout: Money.of(r.total, currency) })),
    };
  }
}
