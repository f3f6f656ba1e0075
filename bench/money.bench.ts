/**
 * Exact-money arithmetic in the month-end hot path, without a database: rates N synthetic usage
 * segments with `rateUsage` (reseller chains of depth 1–3, a wholesale price and a book changing
 * mid-month, corrections that credit), then computes `computeCuts` + `buildLedger` + `checkLedger`
 * + `ledgerBalances` over the lines. Prints each phase's time and segments/s or lines/s, beside a
 * floor measured in the same run: the bare decimal.js additions of the same postings (one
 * `Decimal#plus` per posting, no checks, no Money). Times are CPU seconds (see `timed`). It also prints a digest of every amount the
 * phases produced, so two builds (before and after a change to the money code) can be compared for
 * identical results. Run: `npm run build && npm run bench:money`
 * (`BENCH_SEGMENTS=20000` to change the size, `BENCH_REPEAT=5` to repeat the timed phases more often than 3 times; the best of each is printed).
 */
import {
  billingPeriod,
  buildLedger,
  Channel,
  checkLedger,
  computeCuts,
  Dec,
  ledgerBalances,
  rateUsage,
  type ChannelSnapshot,
  type MeteredSegment,
  type PricingContext,
} from '@wholesail/domain';
import Decimal from 'decimal.js';
import { createHash } from 'node:crypto';

const SEGMENTS = Number(process.env.BENCH_SEGMENTS ?? '40000');
const REPEAT = Number(process.env.BENCH_REPEAT ?? '3');
const CLIENTS = 2_000;
const RESELLERS = 200;
const DISTRIBUTORS = 10;
const AGENTS = 40;
const SKUS = 12;
const PERIOD_ID = '2026-10';
// Dates, as a run loads them from the database (not strings to parse, as an API request brings).
const START = new Date('2026-01-01T00:00:00Z');
const CHANGE = new Date('2026-10-15T00:00:00Z');

const period = billingPeriod(PERIOD_ID, 'UTC');
const resellerChain = (r: number): string[] => Array.from({ length: (r % 3) + 1 }, (_, i) => `R${r}-${i}`);
const clientReseller = (c: number): number => c % RESELLERS;

function snapshot(): ChannelSnapshot {
  return {
    timeZone: 'UTC',
    clients: Array.from({ length: CLIENTS }, (_, c) => ({ id: `C${c}`, resellerIds: resellerChain(clientReseller(c)), activeSince: START })),
    agents: Array.from({ length: AGENTS }, (_, a) => ({ id: `A${a}`, distributorId: `D${a % DISTRIBUTORS}` })),
    assignments: Array.from({ length: RESELLERS }, (_, r) => ({
      resellerId: `R${r}-0`,
      distributorId: r % 7 === 0 ? null : `D${r % DISTRIBUTORS}`,
      effectiveFrom: START,
    })),
    agentCredits: Array.from({ length: CLIENTS }, (_, c) => ({ clientId: `C${c}`, agentId: c % 3 === 0 ? `A${c % AGENTS}` : null, effectiveFrom: START })),
    distributorAgreements: Array.from({ length: DISTRIBUTORS }, (_, d) => ({
      id: `d${d}`,
      distributorId: `D${d}`,
      rate: `0.0${(d % 5) + 3}`,
      feePerActiveClient: d % 2 === 0 ? '1.50' : null,
      volumeTiers: d % 3 === 0 ? [{ from: '10000', rate: '0.075' }] : null,
      effectiveFrom: START,
    })),
    agentAgreements: Array.from({ length: AGENTS }, (_, a) => ({
      id: `a${a}`,
      agentId: `A${a}`,
      rate: a % 2 === 0 ? '0.02' : '0.035',
      fundedBy: a % 4 === 0 ? ('distributor' as const) : ('operator' as const),
      effectiveFrom: START,
    })),
  };
}

const items = Array.from({ length: SKUS }, (_, i) => ({ sku: `SKU-${i}`, name: `Item ${i}`, category: 'compute' as const, unit: 'unit' }));
const prices = items.flatMap((item, i) => [
  { id: `wp-${i}-1`, sku: item.sku, unitPrice: `${(i % 7) + 1}.${String((i * 37) % 1000).padStart(3, '0')}`, effectiveFrom: START, effectiveTo: CHANGE },
  { id: `wp-${i}-2`, sku: item.sku, unitPrice: `${(i % 7) + 2}.125`, effectiveFrom: CHANGE },
]);

function pricingContexts(): Map<string, PricingContext> {
  const byReseller = new Map<number, Omit<PricingContext, 'chain'>>();
  for (let r = 0; r < RESELLERS; r++) {
    const chain = resellerChain(r);
    byReseller.set(r, {
      catalog: { currency: 'EUR', items, prices },
      priceBooks: chain.flatMap((resellerId, tier) => {
        const audience = tier === chain.length - 1 ? ('clients' as const) : ('subResellers' as const);
        const rules = [
          { sku: 'SKU-1', kind: 'discount' as const, discountPercent: '12.5' },
          { sku: 'SKU-2', kind: 'fixed' as const, fixedUnitPrice: `${20 + tier}.99` },
          { sku: 'SKU-3', kind: 'uplift' as const, upliftPercent: '33.333' },
        ];
        return [
          { id: `pb-${resellerId}-1`, resellerId, audience, effectiveFrom: START, effectiveTo: CHANGE, defaultUpliftPercent: `${10 + tier}.5`, rules },
          { id: `pb-${resellerId}-2`, resellerId, audience, effectiveFrom: CHANGE, defaultUpliftPercent: `${12 + tier}.25`, rules },
        ];
      }),
      clientOverrides: [],
    });
  }
  const contexts = new Map<string, PricingContext>();
  for (let c = 0; c < CLIENTS; c++) {
    const r = clientReseller(c);
    contexts.set(`C${c}`, { ...byReseller.get(r)!, chain: { clientId: `C${c}`, resellerIds: resellerChain(r) } });
  }
  return contexts;
}

function segments(): MeteredSegment[] {
  const start = period.start.getTime();
  const secondsInPeriod = BigInt((period.end.getTime() - start) / 1000);
  return Array.from({ length: SEGMENTS }, (_, s) => {
    const fromS = (s * 7919) % 1_800_000;
    const toS = Math.min(Number(secondsInPeriod), fromS + 3_600 + ((s * 104_729) % 1_500_000));
    // A tenth of each client's segments are corrections that credit a little of its usage.
    const quantity = new Dec(Math.floor(s / CLIENTS) % 10 === 9 ? '-1.5' : `${(s % 16) + 1}${s % 4 === 0 ? '.5' : ''}`);
    const seconds = BigInt(toS - fromS);
    return {
      key: `seg-${s}`,
      clientId: `C${s % CLIENTS}`,
      sku: `SKU-${s % SKUS}`,
      usagePeriod: PERIOD_ID,
      billedPeriod: PERIOD_ID,
      late: false,
      from: new Date(start + fromS * 1000),
      to: new Date(start + toS * 1000),
      seconds,
      secondsInPeriod,
      quantity,
      quantitySeconds: quantity.times(seconds.toString()),
      origin: { kind: 'resource', resourceId: `res-${s}`, setBy: `tx-${s}`, endedBy: null },
    };
  });
}

/**
 * The CPU seconds `work` took in this process (user + system, every thread: the garbage collector's
 * too). CPU time rather than wall time, because the machine's cores are shared: another process's
 * load stretches the wall clock of a phase, much less its CPU time.
 */
function timed<T>(work: () => T): { result: T; seconds: number } {
  global.gc?.();
  const started = process.cpuUsage();
  const result = work();
  const used = process.cpuUsage(started);
  return { result, seconds: (used.user + used.system) / 1e6 };
}

function main(): void {
  const channel = new Channel(snapshot());
  const contexts = pricingContexts();
  const input = { segments: segments(), channel, pricingFor: (clientId: string) => contexts.get(clientId)! };
  console.log(`money hot path, Node ${process.version}: ${SEGMENTS.toLocaleString('en')} segments, ${CLIENTS} clients, CPU seconds, best of ${REPEAT}`);
  rateUsage({ ...input, segments: input.segments.slice(0, 2_000) }); // warm-up

  let best = { rate: Infinity, cuts: Infinity, ledger: Infinity, check: Infinity, balances: Infinity, floor: Infinity };
  let digest = '';
  let lineCount = 0;
  let postingCount = 0;
  for (let round = 0; round < REPEAT; round++) {
    const rated = timed(() => rateUsage(input));
    const lines = rated.result;
    const cuts = timed(() => computeCuts({ period, currency: 'EUR', lines, channel }));
    const ledger = timed(() => buildLedger(lines, cuts.result));
    const check = timed(() => checkLedger(ledger.result, cuts.result));
    if (!check.result.ok) throw new Error(`ledger check failed: ${JSON.stringify(check.result.violations.slice(0, 3))}`);
    const balances = timed(() => ledgerBalances(ledger.result));
    // The floor: one bare decimal.js addition per posting, of the same amounts.
    const amounts = ledger.result.entries.flatMap((e) => e.postings.map((p) => p.amount.amount));
    const floor = timed(() => amounts.reduce((total: Decimal, next) => total.plus(next), new Decimal(0)));
    best = {
      rate: Math.min(best.rate, rated.seconds),
      cuts: Math.min(best.cuts, cuts.seconds),
      ledger: Math.min(best.ledger, ledger.seconds),
      check: Math.min(best.check, check.seconds),
      balances: Math.min(best.balances, balances.seconds),
      floor: Math.min(best.floor, floor.seconds),
    };
    lineCount = lines.length;
    postingCount = amounts.length;
    const hash = createHash('sha256');
    for (const l of lines) {
      hash.update(`${l.id}|${l.wholesaleUnitPrice}|${l.clientUnitPrice}|${l.wholesaleAmount}|${l.clientAmount}\n`);
      for (const t of l.tiers) hash.update(`${t.unitCost}|${t.unitPrice}|${t.costAmount}|${t.saleAmount}|${t.margin}\n`);
    }
    hash.update(JSON.stringify(check.result.totals));
    for (const d of cuts.result.distributors) hash.update(`${d.distributorId}|${d.volume}|${d.gross}|${d.deductions}|${d.payout}\n`);
    for (const a of cuts.result.agents) hash.update(`${a.agentId}|${a.payout}|${a.operatorFunded}|${a.carvedOut}\n`);
    for (const b of balances.result) hash.update(`${b.entryKind}|${b.account}|${b.amount}\n`);
    digest = hash.digest('hex').slice(0, 16);
  }
  const row = (name: string, seconds: number, count: number, unit: string) =>
    console.log(
      `${name.padEnd(38)} ${seconds.toFixed(3).padStart(7)} s  ${Math.round(count / seconds)
        .toLocaleString('en')
        .padStart(10)} ${unit}/s`,
    );
  row('rateUsage', best.rate, SEGMENTS, 'segments');
  row('computeCuts', best.cuts, lineCount, 'lines');
  row('buildLedger', best.ledger, lineCount, 'lines');
  row('checkLedger', best.check, lineCount, 'lines');
  row('ledgerBalances', best.balances, lineCount, 'lines');
  const cutsToBalances = best.cuts + best.ledger + best.check + best.balances;
  row('cuts + ledger + check + balances', cutsToBalances, lineCount, 'lines');
  row('floor: bare Decimal#plus per posting', best.floor, postingCount, 'postings');
  console.log(`${lineCount.toLocaleString('en')} lines, ${postingCount.toLocaleString('en')} postings; digest of every amount ${digest}`);
}

main();
