import { errorOf } from '../testing/error-of';
import { skuUsageProblem } from './billable';
import { billingPeriod } from './period';
import { resourceSequenceProblems, resourceTimeline, type TimelineEvent } from './resource-timeline';
import { proratedQuantity, usageForRun, type RecordedResourceEvent, type RecordedUsageLine } from './usage-for-run';
import { parseResourceEvent, resourceEventProblems, usageLineProblems } from './usage-input';

const C1 = '00000000-0000-4000-8000-0000000000c1';
const C2 = '00000000-0000-4000-8000-0000000000c2';

function event(
  tx: string,
  kind: TimelineEvent['kind'],
  occurredAt: string,
  quantity?: string,
  more: Partial<RecordedResourceEvent> = {},
): RecordedResourceEvent {
  // Frozen by the October run unless said otherwise.
  return { transactionId: tx, resourceId: 'vm-1', clientId: C1, sku: 'VCPU', kind, quantity: quantity ?? null, occurredAt, freezePeriod: '2026-10', ...more };
}
const span = (s: { from: Date; to: Date }) => [s.from.toISOString(), s.to.toISOString()];

describe('usage of a billing run', () => {
  describe('resource events in one period (Europe/Amsterdam, October 2026: 745 h = 2,682,000 s)', () => {
    const october = billingPeriod('2026-10', 'Europe/Amsterdam');
    const scope = { period: october, firstBilledPeriod: '2026-10' };

    it('carries a start from before the period in, cuts at a change, ends at the stop; events in any order', () => {
      const events = [
        event('t3', 'stop', '2026-10-20T10:00:00Z'),
        event('t1', 'start', '2026-09-20T08:00:00Z', '2'),
        event('t2', 'change', '2026-10-10T10:00:00Z', '4'),
      ];
      const { segments, excluded } = usageForRun({ events, lines: [] }, scope);
      expect(excluded).toEqual([]);
      expect(segments.map(span)).toEqual([
        // From local midnight on 1 October (22:00Z the day before) to the change.
        ['2026-09-30T22:00:00.000Z', '2026-10-10T10:00:00.000Z'],
        ['2026-10-10T10:00:00.000Z', '2026-10-20T10:00:00.000Z'],
      ]);
      const [before, after] = segments;
      // 9 days 12 h = 820,800 s at 2: 1,641,600 quantity-seconds; / 2,682,000 = 0.6120805369… → 0.612081.
      expect([before.seconds, before.quantity.toFixed(), before.quantitySeconds.toFixed(), before.secondsInPeriod]).toEqual([
        820_800n,
        '2',
        '1641600',
        2_682_000n,
      ]);
      expect(proratedQuantity(before).rounded).toBe('0.612081');
      expect(before.origin).toEqual({ kind: 'resource', resourceId: 'vm-1', setBy: 't1', endedBy: 't2' });
      // 10 days = 864,000 s at 4: 3,456,000 / 2,682,000 = 1.2885906040… → 1.288591.
      expect([after.seconds, after.quantitySeconds.toFixed()]).toEqual([864_000n, '3456000']);
      expect(proratedQuantity(after).rounded).toBe('1.288591');
      expect(proratedQuantity(after).exact).toEqual({ numerator: after.quantitySeconds, denominator: 2_682_000n });
      expect(after.origin).toMatchObject({ setBy: 't2', endedBy: 't3' });
      expect(segments.every((s) => !s.late && s.usagePeriod === '2026-10' && s.billedPeriod === '2026-10')).toBe(true);
    });

    it('bills a resource still running at the end of the period up to the end, across the DST change', () => {
      // Started 25 Oct 00:30Z, after the clocks went back (01:00Z): to 31 Oct 23:00Z (local midnight) is 6 d 22.5 h.
      const { segments } = usageForRun({ events: [event('s', 'start', '2026-10-25T00:30:00Z', '1')], lines: [] }, scope);
      expect(segments.map(span)).toEqual([['2026-10-25T00:30:00.000Z', '2026-10-31T23:00:00.000Z']]);
      expect(segments[0].seconds).toBe(599_400n);
      expect(segments[0].origin).toMatchObject({ endedBy: null });
    });

    it('bills nothing for a stopped stretch, a zero quantity, or less than a second', () => {
      const events = [
        event('a', 'start', '2026-10-02T00:00:00Z', '1'),
        event('b', 'change', '2026-10-03T00:00:00Z', '0'),
        event('c', 'stop', '2026-10-04T00:00:00Z'),
        event('d', 'start', '2026-10-05T00:00:00.100Z', '3'),
        event('e', 'stop', '2026-10-05T00:00:00.900Z'),
      ];
      const { segments } = usageForRun({ events, lines: [] }, scope);
      expect(segments.map((s) => [s.origin.kind === 'resource' && s.origin.setBy, s.seconds])).toEqual([['a', 86_400n]]);
    });

    it('keeps the resources of several clients apart and sorts by client, SKU and time', () => {
      const events = [
        event('x1', 'start', '2026-10-05T00:00:00Z', '1', { resourceId: 'vm-9', clientId: C2 }),
        event('y1', 'start', '2026-10-06T00:00:00Z', '2', { resourceId: 'disk-1', sku: 'SSD' }),
        event('z1', 'start', '2026-10-01T00:00:00Z', '1'),
      ];
      const { segments } = usageForRun({ events, lines: [] }, scope);
      expect(segments.map((s) => [s.clientId, s.sku])).toEqual([
        [C1, 'SSD'],
        [C1, 'VCPU'],
        [C2, 'VCPU'],
      ]);
    });
  });

  describe('the freeze and late events (UTC: October 2026 = 2,678,400 s)', () => {
    const october = billingPeriod('2026-10', 'UTC');
    const november = billingPeriod('2026-11', 'UTC');
    // Started in September and known then; stopped on 20 October, but the stop arrived after October's freeze.
    const running = event('start', 'start', '2026-09-01T00:00:00Z', '1', { freezePeriod: '2026-09' });
    const lateStop = event('stop', 'stop', '2026-10-20T00:00:00Z', undefined, { freezePeriod: '2026-11' });

    it('leaves out what arrived after the freeze and says so; the period is billed as known', () => {
      const { segments, excluded } = usageForRun({ events: [running, lateStop], lines: [] }, { period: october, firstBilledPeriod: '2026-09' });
      expect(segments.map((s) => [s.seconds, s.quantity.toFixed()])).toEqual([[2_678_400n, '1']]);
      expect(excluded).toEqual([
        {
          transactionId: 'stop',
          kind: 'resource-event',
          clientId: C1,
          sku: 'VCPU',
          resourceId: 'vm-1',
          usagePeriod: '2026-10',
          reason: 'arrived-after-freeze',
        },
      ]);
    });

    it('credits, in the next run, the stretch billed too long because of a late stop', () => {
      const { segments, excluded } = usageForRun({ events: [running, lateStop], lines: [] }, { period: november, firstBilledPeriod: '2026-09' });
      expect(excluded).toEqual([]);
      // November: stopped, nothing. October 20–31 (12 days = 1,036,800 s) was billed at 1 and is 0: −1.
      expect(segments).toHaveLength(1);
      const [credit] = segments;
      expect(span(credit)).toEqual(['2026-10-20T00:00:00.000Z', '2026-11-01T00:00:00.000Z']);
      expect([credit.usagePeriod, credit.billedPeriod, credit.late, credit.seconds, credit.secondsInPeriod]).toEqual([
        '2026-10',
        '2026-11',
        true,
        1_036_800n,
        2_678_400n,
      ]);
      expect(credit.quantity.toFixed()).toBe('-1');
      expect(credit.origin).toEqual({ kind: 'correction', resourceId: 'vm-1', quantityBilled: '1', quantityNow: '0', lateEvents: ['stop'] });
    });

    it('bills, in the next run, the stretch missed because of a late start, split by period', () => {
      const lateStart = event('late-start', 'start', '2026-09-25T00:00:00Z', '2', { resourceId: 'vm-2', freezePeriod: '2026-11' });
      const { segments } = usageForRun({ events: [lateStart], lines: [] }, { period: november, firstBilledPeriod: '2026-09' });
      expect(segments.map((s) => [s.usagePeriod, s.late, s.quantity.toFixed(), s.seconds])).toEqual([
        ['2026-09', true, '2', 6n * 86_400n], // 25–30 September
        ['2026-10', true, '2', 31n * 86_400n], // all of October
        ['2026-11', false, '2', 30n * 86_400n], // November itself
      ]);
    });

    it('never corrects before the first billed period (usage before going live)', () => {
      const lateStart = event('legacy', 'start', '2024-05-01T00:00:00Z', '1', { resourceId: 'vm-3', freezePeriod: '2026-11' });
      const { segments } = usageForRun({ events: [lateStart], lines: [] }, { period: november, firstBilledPeriod: '2026-10' });
      expect(segments.map((s) => s.usagePeriod)).toEqual(['2026-10', '2026-11']);
    });

    it('counts what is not frozen yet in a dry run, as if the run froze it now', () => {
      const unfrozen = { ...lateStop, freezePeriod: null };
      const real = usageForRun({ events: [running, unfrozen], lines: [] }, { period: october, firstBilledPeriod: '2026-09' });
      const dry = usageForRun({ events: [running, unfrozen], lines: [] }, { period: october, firstBilledPeriod: '2026-09', includeUnfrozen: true });
      expect(real.segments.map((s) => s.seconds)).toEqual([2_678_400n]);
      expect(dry.segments.map((s) => s.seconds)).toEqual([19n * 86_400n]);
      expect(dry.excluded).toEqual([]);
    });

    it('refuses a dry run of a period once a later one is frozen', () => {
      const error = errorOf(() =>
        usageForRun(
          { events: [running, { ...lateStop, freezePeriod: null }], lines: [] },
          { period: billingPeriod('2026-08', 'UTC'), firstBilledPeriod: '2026-08', includeUnfrozen: true },
        ),
      );
      expect(error.fields).toEqual([{ field: 'includeUnfrozen', problem: expect.stringContaining('2026-09 is already frozen') }]);
    });

    it('bills an imported line in the first run that knows it and is not before its period', () => {
      const line = (tx: string, period: string, freezePeriod: string | null): RecordedUsageLine => ({
        transactionId: tx,
        clientId: C1,
        sku: 'LIC',
        quantity: '5',
        period,
        freezePeriod,
        importId: 'batch-1',
        lineNumber: 2,
      });
      const lines = [
        line('on-time', '2026-10', '2026-10'),
        line('late', '2026-10', '2026-11'),
        line('early', '2026-11', '2026-10'),
        line('pending', '2026-10', null),
      ];
      const octoberRun = usageForRun({ events: [], lines }, { period: october, firstBilledPeriod: '2026-10' });
      expect(octoberRun.segments.map((s) => s.key)).toEqual(['l:on-time']);
      expect(octoberRun.excluded.map((e) => [e.transactionId, e.reason])).toEqual([
        ['late', 'arrived-after-freeze'],
        ['pending', 'arrived-after-freeze'],
      ]);
      const novemberRun = usageForRun({ events: [], lines }, { period: november, firstBilledPeriod: '2026-10' });
      expect(novemberRun.segments.map((s) => [s.key, s.usagePeriod, s.late])).toEqual([
        ['l:late', '2026-10', true],
        ['l:early', '2026-11', false],
      ]);
      // A whole period's line covers the whole period: quantity × all its seconds.
      expect(novemberRun.segments[1].seconds).toBe(november.seconds);
      expect(novemberRun.segments[1].origin).toEqual({ kind: 'import', transactionId: 'early', importId: 'batch-1', lineNumber: 2 });
    });
  });

  describe('the sequence of a resource’s events', () => {
    it('accepts start, changes, stop and a restart', () => {
      const events = [
        event('1', 'start', '2026-10-01T00:00:00Z', '1'),
        event('2', 'change', '2026-10-02T00:00:00Z', '2'),
        event('3', 'stop', '2026-10-03T00:00:00Z'),
        event('4', 'start', '2026-10-04T00:00:00Z', '1'),
      ];
      expect(resourceSequenceProblems(events)).toEqual([]);
      expect(resourceTimeline(events).map((s) => [s.setBy, s.endedBy])).toEqual([
        ['1', '2'],
        ['2', '3'],
        ['4', null],
      ]);
    });

    it('names each event that does not fit, and why', () => {
      const problems = resourceSequenceProblems([
        event('c', 'change', '2026-10-01T00:00:00Z', '1'),
        event('s1', 'start', '2026-10-02T00:00:00Z', '1'),
        event('s2', 'start', '2026-10-03T00:00:00Z', '1'),
        event('same', 'change', '2026-10-03T00:00:00Z', '5'),
        event('x', 'stop', '2026-10-04T00:00:00Z', undefined, { clientId: C2 }),
      ]);
      expect(problems.map((p) => p.transactionId)).toEqual(['c', 's2', 'same', 'x']);
      expect(problems[0].problem).toMatch(/not running/);
      expect(problems[1].problem).toMatch(/already running .* \(started by s1\)/);
      expect(problems[2].problem).toMatch(/same instant/);
      expect(problems[3].problem).toMatch(/another client or SKU/);
      expect(errorOf(() => resourceTimeline([event('c', 'change', '2026-10-01T00:00:00Z', '1')])).code).toBe('USAGE_INVALID_SEQUENCE');
    });
  });

  describe('fields of what arrives', () => {
    const now = new Date('2026-10-15T12:00:00Z');
    it('names every bad field of an event', () => {
      const problems = resourceEventProblems(
        { transactionId: 'has space', clientId: 'nope', resourceId: '', sku: 'bad sku!', kind: 'start', quantity: 2, occurredAt: '2026-10-15' },
        { now, prefix: 'events[0].' },
      );
      expect(problems.map((p) => p.field)).toEqual([
        'events[0].transactionId',
        'events[0].clientId',
        'events[0].resourceId',
        'events[0].sku',
        'events[0].quantity',
        'events[0].occurredAt',
      ]);
      expect(problems.find((p) => p.field.endsWith('quantity'))?.problem).toMatch(/not a JSON number/);
    });

    it('refuses negative quantities, instants in the future beyond the skew and before 1970', () => {
      const base = { transactionId: 't', clientId: C1, resourceId: 'r', sku: 'VCPU', kind: 'start' };
      const problem = (more: object) => resourceEventProblems({ ...base, quantity: '1', occurredAt: '2026-10-01T00:00:00Z', ...more }, { now });
      expect(problem({ quantity: '-1' })).toEqual([{ field: 'quantity', problem: 'must not be negative' }]);
      expect(problem({ quantity: '1.1234567' })[0].problem).toMatch(/6 after/);
      expect(problem({ occurredAt: '2026-10-15T12:04:59Z' })).toEqual([]);
      expect(problem({ occurredAt: '2026-10-15T12:05:01Z' })[0].problem).toMatch(/future/);
      expect(problem({ occurredAt: '1969-12-31T23:59:59Z' })[0].problem).toMatch(/1970/);
      expect(problem({ kind: 'pause' })[0]).toEqual({ field: 'kind', problem: 'must be one of: start, change, stop' });
    });

    it('lets a stop go without a quantity and drops one given', () => {
      const stop = parseResourceEvent(
        { transactionId: 't', clientId: C1.toUpperCase(), resourceId: 'r', sku: 'VCPU', kind: 'stop', quantity: '3', occurredAt: '2026-10-01T00:00:00Z' },
        { now },
      );
      expect([stop.quantity, stop.clientId]).toEqual([null, C1]);
    });

    it('names every bad field of an imported line; its period may not be after the current one', () => {
      const options = { now, timeZone: 'UTC', prefix: 'line 3: ' };
      expect(usageLineProblems({ transactionId: 'a', clientId: C1, sku: 'LIC', quantity: '1', period: '2026-11' }, options)).toEqual([
        { field: 'line 3: period', problem: 'must not be after the current period 2026-10' },
      ]);
      expect(usageLineProblems({ transactionId: 'a', clientId: C1, sku: 'LIC', quantity: '1', period: '2026-10' }, options)).toEqual([]);
      expect(usageLineProblems({}, options).map((p) => p.field)).toEqual([
        'line 3: transactionId',
        'line 3: clientId',
        'line 3: sku',
        'line 3: quantity',
        'line 3: period',
      ]);
    });
  });

  describe('what can be billed', () => {
    const catalog = {
      currency: 'EUR',
      items: [
        { sku: 'VCPU', name: 'vCPU', category: 'compute' as const, unit: 'vCPU' },
        { sku: 'OLD', name: 'Old', category: 'compute' as const, unit: 'VM', retiredAt: '2026-10-10T00:00:00Z' },
      ],
      prices: [
        { sku: 'VCPU', unitPrice: '10', effectiveFrom: '2026-01-01T00:00:00Z', effectiveTo: '2026-10-15T00:00:00Z' },
        { sku: 'VCPU', unitPrice: '12', effectiveFrom: '2026-10-20T00:00:00Z' },
        { sku: 'OLD', unitPrice: '5', effectiveFrom: '2026-01-01T00:00:00Z' },
      ],
    };
    const at = (iso: string) => new Date(iso);

    it('needs the item, a price at the instant, and no new start once retired', () => {
      expect(skuUsageProblem(catalog, 'NOPE', { kind: 'start', at: at('2026-10-01T00:00:00Z') })).toBe('is not in the catalog');
      expect(skuUsageProblem(catalog, 'VCPU', { kind: 'change', at: at('2026-10-16T00:00:00Z') })).toBe(
        'has no wholesale price in force at 2026-10-16T00:00:00.000Z',
      );
      expect(skuUsageProblem(catalog, 'VCPU', { kind: 'stop', at: at('2026-10-16T00:00:00Z') })).toBeNull();
      expect(skuUsageProblem(catalog, 'OLD', { kind: 'start', at: at('2026-10-11T00:00:00Z') })).toMatch(/retired since 2026-10-10/);
      // A resource of a retired item already running still changes and is billed.
      expect(skuUsageProblem(catalog, 'OLD', { kind: 'change', at: at('2026-10-11T00:00:00Z') })).toBeNull();
    });

    it('needs prices over the whole period for an imported line', () => {
      const october = billingPeriod('2026-10', 'UTC');
      const september = billingPeriod('2026-09', 'UTC');
      expect(skuUsageProblem(catalog, 'VCPU', { kind: 'line', from: october.start, to: october.end })).toBe(
        'has no wholesale price in force at 2026-10-15T00:00:00.000Z, inside the period',
      );
      expect(skuUsageProblem(catalog, 'VCPU', { kind: 'line', from: september.start, to: september.end })).toBeNull();
      expect(skuUsageProblem(catalog, 'OLD', { kind: 'line', from: billingPeriod('2026-11', 'UTC').start, to: billingPeriod('2026-11', 'UTC').end })).toMatch(
        /retired/,
      );
    });
  });
});
