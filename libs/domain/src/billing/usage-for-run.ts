import { DomainError } from '../errors';
import { Dec, DecimalInput, exactMul, exactSub, parseDecimal, roundRatioHalfEven } from '../money';
import { epochSeconds, parseInstant } from '../pricing/instant';
import { BillingErrorCode } from './billing-errors';
import { billingPeriod, comparePeriodIds, nextPeriod, parsePeriodId, periodContaining, shiftPeriodId, type BillingPeriod } from './period';
import { resourceTimeline, type Stretch, type TimelineEvent } from './resource-timeline';

/**
 * A billing run's usage: what each client used, as segments of constant quantity within one
 * period, each traced to the events or the import line it comes from.
 *
 * FREEZING. When a run starts, every event and line recorded so far is stamped with the run's
 * period (`freezePeriod`); what is recorded later stays unstamped and is billed by the next run.
 * So the run of period P knows the events stamped P or earlier. An event that arrives after P's
 * freeze but happened in P (or before) is billed in the next run as a *correction*: the usage of
 * the earlier period as known now, minus what was billed for it then, priced at that period's
 * prices and marked `late`. A late start bills the stretch that was missed; a late stop credits
 * (negative quantity) the stretch that was billed too long. Summed over runs, every period is
 * billed exactly what really happened; no finalised run changes.
 */
export interface RecordedResourceEvent extends TimelineEvent {
  /** The period whose usage freeze included this event; null/undefined: not frozen yet. */
  freezePeriod?: string | null;
}

/** An imported usage line: a quantity of an item for a client over one whole period. */
export interface RecordedUsageLine {
  transactionId: string;
  clientId: string;
  sku: string;
  quantity: DecimalInput;
  /** The period the usage belongs to, "2026-10". */
  period: string;
  freezePeriod?: string | null;
  importId?: string | null;
  lineNumber?: number | null;
}

/** Where a segment comes from, so every amount traces back to what was recorded. */
export type UsageOrigin =
  | { kind: 'resource'; resourceId: string; setBy: string; endedBy: string | null }
  | { kind: 'correction'; resourceId: string; quantityBilled: string; quantityNow: string; lateEvents: string[] }
  | { kind: 'import'; transactionId: string; importId: string | null; lineNumber: number | null };

/** A stretch of one client's use of one item at one quantity, within one period. */
export interface MeteredSegment {
  /** Unique within a run, stable across recomputations. */
  key: string;
  clientId: string;
  sku: string;
  /** The period the usage happened in. */
  usagePeriod: string;
  /** The run that bills it. */
  billedPeriod: string;
  /** Billed in a later run than the usage happened in. */
  late: boolean;
  from: Date;
  to: Date;
  seconds: bigint;
  secondsInPeriod: bigint;
  /** Negative for a correction that credits usage billed too much. */
  quantity: Dec;
  /** quantity × seconds, exact. */
  quantitySeconds: Dec;
  origin: UsageOrigin;
}

export type ExclusionReason = 'arrived-after-freeze' | 'before-first-billed-period';

/** Usage a run leaves out, and why. */
export interface ExcludedUsage {
  transactionId: string;
  kind: 'resource-event' | 'usage-line';
  clientId: string;
  sku: string;
  resourceId: string | null;
  /** The period it happened in. */
  usagePeriod: string;
  reason: ExclusionReason;
}

export interface UsageRunScope {
  /** The run's period. */
  period: BillingPeriod;
  /** The first period Wholesail billed: corrections never reach before it (earlier usage predates going live). */
  firstBilledPeriod: string;
  /** A dry run or what-if: count the usage not frozen yet as if this run had frozen it now. */
  includeUnfrozen?: boolean;
}

export interface RunUsage {
  segments: MeteredSegment[];
  excluded: ExcludedUsage[];
}

export function usageForRun(input: { events: readonly RecordedResourceEvent[]; lines: readonly RecordedUsageLine[] }, scope: UsageRunScope): RunUsage {
  parsePeriodId(scope.firstBilledPeriod, 'firstBilledPeriod');
  if (comparePeriodIds(scope.firstBilledPeriod, scope.period.id) > 0) {
    throw DomainError.invalid(BillingErrorCode.InvalidPeriod, 'firstBilledPeriod', `must not be after the run's period ${scope.period.id}`);
  }
  if (scope.includeUnfrozen) {
    // Counting what is not frozen yet is "as if this run froze it now": only right while no later
    // run has frozen usage, else the unfrozen events would be known without the ones before them.
    const later = [...input.events, ...input.lines].find((u) => u.freezePeriod != null && comparePeriodIds(u.freezePeriod, scope.period.id) > 0);
    if (later) {
      throw DomainError.invalid(
        BillingErrorCode.InvalidInput,
        'includeUnfrozen',
        `cannot count unfrozen usage for ${scope.period.id}: ${later.freezePeriod} is already frozen (a dry run is for the period not frozen yet)`,
      );
    }
  }
  const byResource = new Map<string, RecordedResourceEvent[]>();
  for (const event of input.events) byResource.set(event.resourceId, [...(byResource.get(event.resourceId) ?? []), event]);
  const results = [...byResource.values()].map((events) => resourceUsageForRun(events, scope));
  const lines = importedUsageForRun(input.lines, scope);
  const segments = [...results.flatMap((r) => r.segments), ...lines.segments].sort(segmentOrder);
  return { segments, excluded: [...results.flatMap((r) => r.excluded), ...lines.excluded] };
}

/** One resource's usage billed by the run of `scope.period`: its own period's and late corrections. */
export function resourceUsageForRun(events: readonly RecordedResourceEvent[], scope: UsageRunScope): RunUsage {
  const run = scope.period;
  const previousRun = shiftPeriodId(run.id, -1);
  const known = events.filter((e) => knownBy(e.freezePeriod, run.id, scope));
  const excluded = events
    .filter((e) => !known.includes(e) && parseInstant(e.occurredAt, 'occurredAt').getTime() < run.end.getTime())
    .map((e) => excludedEvent(e, run, 'arrived-after-freeze'));
  if (!known.length) return { segments: [], excluded };

  const now = resourceTimeline(known);
  const { resourceId, clientId, sku } = known[0];
  const segments: MeteredSegment[] = [];
  for (const stretch of now) {
    const clipped = clip(stretch.from, stretch.to, run.start, run.end);
    if (!clipped || stretch.quantity.isZero()) continue;
    segments.push(
      segment(
        { clientId, sku, run, usage: run, ...clipped, quantity: stretch.quantity, key: `r:${resourceId}:${clipped.from.toISOString()}` },
        {
          kind: 'resource',
          resourceId,
          setBy: stretch.setBy,
          endedBy: stretch.to !== null && stretch.to.getTime() <= run.end.getTime() ? stretch.endedBy : null,
        },
      ),
    );
  }

  // Late corrections: what the periods before this run look like now, minus what was billed.
  if (comparePeriodIds(scope.firstBilledPeriod, run.id) < 0) {
    const billedThen = known.filter((e) => knownBy(e.freezePeriod, previousRun, scope));
    const late = known.filter((e) => !billedThen.includes(e));
    if (late.length) {
      const firstBilled = billingPeriod(scope.firstBilledPeriod, run.timeZone);
      const earliestLate = new Date(Math.min(...late.map((e) => parseInstant(e.occurredAt, 'occurredAt').getTime())));
      const from = earliestLate.getTime() > firstBilled.start.getTime() ? earliestLate : firstBilled.start;
      if (from.getTime() < run.start.getTime()) {
        const then = billedThen.length ? resourceTimeline(billedThen) : [];
        segments.push(...corrections({ clientId, sku, resourceId, run, from, now, then, late }));
      }
    }
  }
  return { segments, excluded };
}

/** Imported lines billed by this run: a line is billed by the first run that knows it and is not before its period. */
export function importedUsageForRun(lines: readonly RecordedUsageLine[], scope: UsageRunScope): RunUsage {
  const run = scope.period;
  const segments: MeteredSegment[] = [];
  const excluded: ExcludedUsage[] = [];
  for (const line of lines) {
    const knownIn = line.freezePeriod ?? (scope.includeUnfrozen ? run.id : null);
    const knownNow = knownIn !== null && comparePeriodIds(knownIn, run.id) <= 0;
    const lineExclusion = (reason: ExclusionReason): ExcludedUsage => ({
      transactionId: line.transactionId,
      kind: 'usage-line',
      clientId: line.clientId,
      sku: line.sku,
      resourceId: null,
      usagePeriod: line.period,
      reason,
    });
    if (comparePeriodIds(line.period, run.id) > 0) continue;
    if (!knownNow) {
      excluded.push(lineExclusion('arrived-after-freeze'));
      continue;
    }
    const billedIn = comparePeriodIds(knownIn, line.period) > 0 ? knownIn : line.period;
    if (billedIn !== run.id) continue;
    if (comparePeriodIds(line.period, scope.firstBilledPeriod) < 0) {
      excluded.push(lineExclusion('before-first-billed-period'));
      continue;
    }
    const quantity = parseDecimal(line.quantity, 'quantity');
    if (quantity.isZero()) continue;
    const usage = billingPeriod(line.period, run.timeZone);
    segments.push(
      segment(
        { clientId: line.clientId, sku: line.sku, run, usage, from: usage.start, to: usage.end, quantity, key: `l:${line.transactionId}` },
        {
          kind: 'import',
          transactionId: line.transactionId,
          importId: line.importId ?? null,
          lineNumber: line.lineNumber ?? null,
        },
      ),
    );
  }
  return { segments: segments.sort(segmentOrder), excluded };
}

/**
 * The prorated quantity of a segment: quantity × seconds / seconds in its period, as an exact
 * fraction (most have no finite decimal expansion), and rounded half-even to `decimals` places
 * for display only. Amounts are priced from the fraction, never from the rounded figure.
 */
export function proratedQuantity(segment: Pick<MeteredSegment, 'quantitySeconds' | 'secondsInPeriod'>, decimals = 6) {
  const exact = { numerator: segment.quantitySeconds, denominator: segment.secondsInPeriod };
  const rounded = roundRatioHalfEven(segment.quantitySeconds, { numerator: 1n, denominator: segment.secondsInPeriod }, decimals);
  return { exact, rounded: rounded.toFixed(decimals) };
}

function corrections(args: {
  clientId: string;
  sku: string;
  resourceId: string;
  run: BillingPeriod;
  from: Date;
  now: Stretch[];
  then: Stretch[];
  late: readonly RecordedResourceEvent[];
}): MeteredSegment[] {
  const { run, now, then } = args;
  const cuts = new Set<number>([args.from.getTime(), run.start.getTime()]);
  for (const stretch of [...now, ...then]) {
    for (const edge of [stretch.from, stretch.to]) if (edge && edge > args.from && edge < run.start) cuts.add(edge.getTime());
  }
  for (let p = periodContaining(args.from, run.timeZone); p.end < run.start; p = nextPeriod(p)) cuts.add(p.end.getTime());
  const edges = [...cuts].sort((a, b) => a - b).map((ms) => new Date(ms));

  const pieces: Array<{ from: Date; to: Date; billed: Dec; actual: Dec; usage: BillingPeriod }> = [];
  for (let i = 0; i + 1 < edges.length; i++) {
    const [from, to] = [edges[i], edges[i + 1]];
    const billed = quantityAt(then, from);
    const actual = quantityAt(now, from);
    if (billed.equals(actual) || epochSeconds(to) === epochSeconds(from)) continue;
    const last = pieces[pieces.length - 1];
    if (last && last.to.getTime() === from.getTime() && last.billed.equals(billed) && last.actual.equals(actual) && last.usage.end > from) {
      last.to = to;
      continue;
    }
    pieces.push({ from, to, billed, actual, usage: periodContaining(from, run.timeZone) });
  }
  return pieces.map((piece) =>
    segment(
      {
        clientId: args.clientId,
        sku: args.sku,
        run,
        usage: piece.usage,
        from: piece.from,
        to: piece.to,
        quantity: exactSub(piece.actual, piece.billed),
        key: `c:${args.resourceId}:${piece.from.toISOString()}`,
      },
      {
        kind: 'correction',
        resourceId: args.resourceId,
        quantityBilled: piece.billed.toFixed(),
        quantityNow: piece.actual.toFixed(),
        lateEvents: args.late.filter((e) => parseInstant(e.occurredAt, 'occurredAt') < piece.to).map((e) => e.transactionId),
      },
    ),
  );
}

function segment(
  s: { clientId: string; sku: string; run: BillingPeriod; usage: BillingPeriod; from: Date; to: Date; quantity: Dec; key: string },
  origin: UsageOrigin,
): MeteredSegment {
  const seconds = epochSeconds(s.to) - epochSeconds(s.from);
  return {
    key: s.key,
    clientId: s.clientId,
    sku: s.sku,
    usagePeriod: s.usage.id,
    billedPeriod: s.run.id,
    late: s.usage.id !== s.run.id,
    from: s.from,
    to: s.to,
    seconds,
    secondsInPeriod: s.usage.seconds,
    quantity: s.quantity,
    quantitySeconds: exactMul(s.quantity, new Dec(seconds.toString())),
    origin,
  };
}

function quantityAt(stretches: readonly Stretch[], at: Date): Dec {
  const stretch = stretches.find((s) => s.from.getTime() <= at.getTime() && (s.to === null || at.getTime() < s.to.getTime()));
  return stretch ? stretch.quantity : new Dec('0');
}

/** [from, to) ∩ [start, end), or null when shorter than a second. */
function clip(from: Date, to: Date | null, start: Date, end: Date): { from: Date; to: Date } | null {
  const a = from.getTime() > start.getTime() ? from : start;
  const b = to === null || to.getTime() > end.getTime() ? end : to;
  return epochSeconds(b) > epochSeconds(a) ? { from: a, to: b } : null;
}

function knownBy(freezePeriod: string | null | undefined, runId: string, scope: UsageRunScope): boolean {
  if (freezePeriod == null) return scope.includeUnfrozen === true && comparePeriodIds(runId, scope.period.id) >= 0;
  return comparePeriodIds(freezePeriod, runId) <= 0;
}

function excludedEvent(event: RecordedResourceEvent, run: BillingPeriod, reason: ExclusionReason): ExcludedUsage {
  return {
    transactionId: event.transactionId,
    kind: 'resource-event',
    clientId: event.clientId,
    sku: event.sku,
    resourceId: event.resourceId,
    usagePeriod: periodContaining(parseInstant(event.occurredAt, 'occurredAt'), run.timeZone).id,
    reason,
  };
}

function segmentOrder(a: MeteredSegment, b: MeteredSegment): number {
  return a.clientId.localeCompare(b.clientId) || a.sku.localeCompare(b.sku) || a.from.getTime() - b.from.getTime() || a.key.localeCompare(b.key);
}
