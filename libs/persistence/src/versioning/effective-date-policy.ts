import { Injectable } from '@nestjs/common';
import { assertNotBefore, type VersionRefusal } from '@wholesail/domain';

/**
 * How far back a versioned record (commission agreement, wholesale price, price book, client
 * override, and the end of one or a catalog retirement) may take effect: the one place that
 * decides it, used by every versioned write in the API and the activities.
 *
 * Today a change takes effect now or later. When billing finalises periods, this returns the start
 * of the earliest period not yet finalised (DOMAIN.md, "Going live"), and nothing else changes.
 * Async for that reason: the answer will come from the database.
 */
@Injectable()
export class EffectiveDatePolicy {
  /** The earliest instant a change made at `now` may take effect. */
  async earliestAllowed(now: Date): Promise<Date> {
    return now;
  }

  /** Refuses `at` (with the concept's code, naming the field) when it is before `earliestAllowed(now)`. */
  async assertAllowed(at: Date, now: Date, refusal: VersionRefusal): Promise<void> {
    assertNotBefore(at, await this.earliestAllowed(now), now, refusal);
  }
}
