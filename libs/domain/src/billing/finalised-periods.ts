import { DomainError } from '../errors';
import type { EarliestAllowed } from '../versioning/version-history';
import { FinalisedPeriodErrorCode } from './finalised-period-errors';
import { billingPeriod, periodContaining, previousPeriod, shiftPeriodId } from './period';

/** What decides how far back a versioned write may reach. */
export interface EditableFromInput {
  now: Date;
  /** The operator's time zone: billing periods are its calendar months. */
  timeZone: string;
  /** The latest finalised period (`YYYY-MM`), or null when none is. */
  latestFinalised: string | null;
  /** BILLING_GO_LIVE_FROM: the first period Wholesail bills (`YYYY-MM`), or null. */
  goLiveFrom: string | null;
}

/**
 * The earliest instant a versioned record may take effect: the start of the earliest billing
 * period that is not finalised, i.e. the period after the latest finalised one, so that nothing in
 * a finalised period ever changes. While none is finalised (an operator going live in the middle of
 * a month, with history to enter), the start of `goLiveFrom`, or by default of the previous month,
 * so the first run's data can be entered whether it bills this month or the one just ended. Never
 * later than `now`: a change may always take effect now or later (a go-live month that has not
 * begun only means nothing may be backdated yet).
 */
export function editableFrom(input: EditableFromInput): EarliestAllowed & { period: string } {
  const { now, timeZone, latestFinalised, goLiveFrom } = input;
  let period: string;
  let why: string;
  if (latestFinalised !== null && (goLiveFrom === null || shiftPeriodId(latestFinalised, 1) >= goLiveFrom)) {
    period = shiftPeriodId(latestFinalised, 1);
    why = `billing period ${latestFinalised} is finalised and never changes (the earliest open period, ${period}, starts then)`;
  } else if (goLiveFrom !== null) {
    period = goLiveFrom;
    why = `Wholesail bills from period ${goLiveFrom} on (BILLING_GO_LIVE_FROM), which starts then`;
  } else {
    period = previousPeriod(periodContaining(now, timeZone)).id;
    why = `no billing period is finalised yet, and until one is, changes reach back to the start of the previous month, ${period} (BILLING_GO_LIVE_FROM sets another first month)`;
  }
  const start = billingPeriod(period, timeZone).start;
  if (start.getTime() > now.getTime()) return { at: now, period, why: `that is now: ${why}, so nothing may be backdated yet` };
  return { at: start, period, why };
}

/**
 * A period may be finalised once it has ended, and periods are finalised in order: the first one
 * any, then each the one after the latest finalised (so "the period after the latest finalised"
 * is the earliest one not finalised, and every finalised period lies before `editableFrom`).
 */
export function assertFinalisable(periodId: string, latestFinalised: string | null, now: Date, timeZone: string): void {
  const period = billingPeriod(periodId, timeZone);
  if (period.end.getTime() > now.getTime())
    throw DomainError.conflict(
      FinalisedPeriodErrorCode.NotEnded,
      `billing period ${period.id} ends at ${period.end.toISOString()}: it cannot be finalised before`,
      [{ field: 'period', problem: `has not ended yet (it ends at ${period.end.toISOString()})` }],
    );
  if (latestFinalised !== null && period.id !== shiftPeriodId(latestFinalised, 1)) {
    const next = shiftPeriodId(latestFinalised, 1);
    throw DomainError.conflict(
      FinalisedPeriodErrorCode.OutOfOrder,
      `billing periods are finalised in order: ${latestFinalised} is the latest finalised, so ${next} comes next, not ${period.id}`,
      [{ field: 'period', problem: `must be ${next}, the period after the latest finalised one (${latestFinalised})` }],
    );
  }
}
