import { Dec, Money, type RatedLine } from '@wholesail/domain';
import { InvoiceLines } from './invoice-drafts';
import { RATED_LINE_COLUMNS, ratedLineCopy, ratedLineText, storedTiersJson } from './rated-lines';

const eur = (amount: string) => Money.of(amount, 'EUR');

/** A rated line of 3 vCPUs over 10 days of a 30-day month, through a reseller and its sub-reseller; its resource id holds a tab. */
const line: RatedLine = {
  id: 'r:vm\t1:2026-09-01T00:00:00.000Z#0',
  segmentKey: 'r:vm\t1:2026-09-01T00:00:00.000Z',
  clientId: '00000000-0000-4000-8000-00000000000c',
  sku: 'VCPU',
  usagePeriod: '2026-09',
  billedPeriod: '2026-09',
  late: false,
  from: new Date('2026-09-01T00:00:00Z'),
  to: new Date('2026-09-11T00:00:00Z'),
  quantity: new Dec('3'),
  share: { secondsExisted: '864000', secondsInPeriod: '2592000' },
  resellerIds: ['00000000-0000-4000-8000-00000000000a', '00000000-0000-4000-8000-00000000000b'],
  currency: 'EUR',
  wholesaleUnitPrice: eur('10'),
  wholesalePriceVersionId: '00000000-0000-4000-8000-0000000000f1',
  clientUnitPrice: eur('13.2'),
  wholesaleAmount: eur('10.00'),
  tiers: [
    {
      resellerId: '00000000-0000-4000-8000-00000000000a',
      unitCost: eur('10'),
      unitPrice: eur('11'),
      ruleSource: 'rule',
      costAmount: eur('10.00'),
      saleAmount: eur('11.00'),
      margin: eur('1.00'),
      priceVersionId: null,
    },
    {
      resellerId: '00000000-0000-4000-8000-00000000000b',
      unitCost: eur('11'),
      unitPrice: eur('13.2'),
      ruleSource: 'defaultUplift',
      costAmount: eur('11.00'),
      saleAmount: eur('13.20'),
      margin: eur('2.20'),
      priceVersionId: null,
    },
  ],
  clientAmount: eur('13.20'),
  attribution: {
    distributorId: '00000000-0000-4000-8000-0000000000d1',
    distributorAgreementId: null,
    agentId: null,
    agentAgreementId: null,
    agentEligible: false,
  },
  origin: { kind: 'resource', resourceId: 'vm\t1', setBy: 'tx-1', endedBy: null },
};

/** COPY's text format read back: fields split at unescaped tabs, escapes undone, `\N` as null. */
function parseCopyLine(row: string): Array<string | null> {
  return row.split('\t').map((field) => (field === '\\N' ? null : field.replace(/\\(.)/g, (_, c: string) => ({ t: '\t', n: '\n', r: '\r' })[c] ?? c)));
}

describe('rated lines in COPY format', () => {
  it('writes every column of billing_rated_line in its place, text escaped', () => {
    const text = ratedLineText(line);
    const row = parseCopyLine(ratedLineCopy(line, text, { runId: 'run-1', round: 2, scenario: 'current', page: 7 }));
    const columns = Object.keys(RATED_LINE_COLUMNS);
    expect(row).toHaveLength(columns.length);
    const value = Object.fromEntries(columns.map((name, i) => [name, row[i]]));
    expect(value).toMatchObject({
      run_id: 'run-1',
      round: '2',
      scenario: 'current',
      id: line.id,
      page: '7',
      client_id: line.clientId,
      reseller_id: '00000000-0000-4000-8000-00000000000b',
      top_reseller_id: '00000000-0000-4000-8000-00000000000a',
      sku: 'VCPU',
      usage_period: '2026-09',
      late: 'false',
      from_at: '2026-09-01T00:00:00.000Z',
      to_at: '2026-09-11T00:00:00.000Z',
      quantity: '3',
      prorated_quantity: '1.000000',
      seconds: '864000',
      seconds_in_period: '2592000',
      currency: 'EUR',
      wholesale_unit_price: '10.00',
      wholesale_price_version_id: line.wholesalePriceVersionId,
      client_unit_price: '13.20',
      wholesale_amount: '10.00',
      client_amount: '13.20',
      distributor_id: line.attribution.distributorId,
      distributor_agreement_id: null,
      agent_id: null,
      agent_agreement_id: null,
      agent_eligible: 'false',
    });
    expect(JSON.parse(value.tiers!)).toEqual([
      {
        resellerId: line.tiers[0].resellerId,
        unitCost: '10.00',
        unitPrice: '11.00',
        ruleSource: 'rule',
        costAmount: '10.00',
        saleAmount: '11.00',
        margin: '1.00',
        priceVersionId: null,
      },
      {
        resellerId: line.tiers[1].resellerId,
        unitCost: '11.00',
        unitPrice: '13.20',
        ruleSource: 'defaultUplift',
        costAmount: '11.00',
        saleAmount: '13.20',
        margin: '2.20',
        priceVersionId: null,
      },
    ]);
    expect(JSON.parse(value.origin!)).toEqual(line.origin);
  });

  it('writes the tiers exactly as JSON.stringify would, ids and nulls alike', () => {
    const text = ratedLineText({ ...line, tiers: [{ ...line.tiers[0], priceVersionId: '00000000-0000-4000-8000-0000000000f2' }, line.tiers[1]] });
    expect(text.tiersJson).toBe(JSON.stringify(text.tiers));
    expect(storedTiersJson([])).toBe('[]');
    expect(JSON.parse(text.tiersJson)[0].priceVersionId).toBe('00000000-0000-4000-8000-0000000000f2');
  });

  it('escapes names and items per client and item, late usage described apart, line ids distinct and rising', () => {
    const names: Record<string, string> = { [line.clientId]: 'Tab\tCo', '00000000-0000-4000-8000-00000000000e': 'Back\\slash' };
    const drafts = new InvoiceLines('run-1', 2, '00000000-0000-4000-8000-0000000000ff', {
      client: (id) => ({ name: names[id], resellerName: 'Sub\nline' }),
      item: () => ({ name: 'Virtual\tCPU', unit: 'v\\CPU' }),
    });
    const other = { ...line, clientId: '00000000-0000-4000-8000-00000000000e' };
    const late = { ...line, id: `${line.id}-late`, late: true, usagePeriod: '2026-08' };
    for (const l of [line, other, late]) drafts.add(l, ratedLineText(l));
    const rows = drafts.lines.lines().map(parseCopyLine);
    expect(rows).toHaveLength(9);
    expect(rows.map((r) => [r[4], r[6], r[8], r[10]])).toEqual([
      ['Virtual\tCPU', 'Tab\tCo', 'Sub\nline', 'v\\CPU'],
      ['Tab\tCo: Virtual\tCPU', 'Tab\tCo', 'Sub\nline', 'v\\CPU'],
      ['Tab\tCo: Virtual\tCPU', 'Tab\tCo', 'Sub\nline', 'v\\CPU'],
      ['Virtual\tCPU', 'Back\\slash', 'Sub\nline', 'v\\CPU'],
      ['Back\\slash: Virtual\tCPU', 'Back\\slash', 'Sub\nline', 'v\\CPU'],
      ['Back\\slash: Virtual\tCPU', 'Back\\slash', 'Sub\nline', 'v\\CPU'],
      ['Virtual\tCPU (late usage of 2026-08)', 'Tab\tCo', 'Sub\nline', 'v\\CPU'],
      ['Tab\tCo: Virtual\tCPU (late usage of 2026-08)', 'Tab\tCo', 'Sub\nline', 'v\\CPU'],
      ['Tab\tCo: Virtual\tCPU (late usage of 2026-08)', 'Tab\tCo', 'Sub\nline', 'v\\CPU'],
    ]);
    expect(rows[4][3]).toBe(`Back\\slash|${other.clientId}|VCPU|20260901000000|${line.id}`);
    const ids = rows.map((r) => r[0] as string);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(9);
    // Another slice's ids differ in their random bits even within the same millisecond.
    const again = new InvoiceLines('run-1', 2, '00000000-0000-4000-8000-0000000000ff', {
      client: () => ({ name: 'x', resellerName: 'y' }),
      item: () => undefined,
    });
    again.add(line, ratedLineText(line));
    expect(again.lines.lines()[0].slice(14, 30)).not.toBe(ids[0].slice(14, 30));
  });

  it("gives a client invoice line and a wholesale line per tier, each on its draft, at the client's price and each buyer's cost", () => {
    const operator = '00000000-0000-4000-8000-0000000000ff';
    const drafts = new InvoiceLines('run-1', 2, operator, {
      client: () => ({ name: 'Tab\tCo', resellerName: 'Sub' }),
      item: (sku) => (sku === 'VCPU' ? { name: 'Virtual CPU', unit: 'vCPU' } : undefined),
    });
    drafts.add(line, ratedLineText(line));
    const rows = drafts.lines.lines().map(parseCopyLine);
    expect(rows).toHaveLength(3);
    for (const row of rows) {
      expect(row).toHaveLength(20);
      expect(row[0]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      // client, reseller (the client's own), item, period, span and quantities are the rated line's.
      expect(row.slice(5, 16)).toEqual([
        line.clientId,
        'Tab\tCo',
        '00000000-0000-4000-8000-00000000000b',
        'Sub',
        'VCPU',
        'vCPU',
        '2026-09',
        '2026-09-01T00:00:00.000Z',
        '2026-09-11T00:00:00.000Z',
        '3',
        '1.000000',
      ]);
      expect(row[18]).toBe(line.id);
    }
    const [client, top, sub] = rows;
    const { clientInvoices, wholesaleInvoices } = drafts.headers();
    expect(clientInvoices).toEqual([
      expect.objectContaining({ document_id: client[1], reseller_id: line.resellerIds[1], client_id: line.clientId, lines: 1, gross: '13.20' }),
    ]);
    expect(client.slice(2, 5)).toEqual(['usage', `VCPU|20260901000000|${line.id}`, 'Virtual CPU']);
    expect([client[16], client[17], client[19]]).toEqual(['13.20', '13.20', null]);
    // Tier 0: the operator bills the top-level reseller; tier 1: it bills its sub-reseller.
    expect(wholesaleInvoices).toEqual([
      { document_id: top[1], seller_id: operator, buyer_id: line.resellerIds[0] },
      { document_id: sub[1], seller_id: line.resellerIds[0], buyer_id: line.resellerIds[1] },
    ]);
    expect(top.slice(3, 5)).toEqual([`Tab\tCo|${line.clientId}|VCPU|20260901000000|${line.id}`, 'Tab\tCo: Virtual CPU']);
    expect([top[16], top[17], top[19]]).toEqual(['10.00', '10.00', '0']);
    expect([sub[16], sub[17], sub[19]]).toEqual(['11.00', '11.00', '1']);
    // A wholesale invoice known to be drafted keeps its lines but sends no header again.
    expect(drafts.wholesaleDocumentIds()).toEqual([top[1], sub[1]]);
    expect(drafts.headers(new Set([top[1] as string])).wholesaleInvoices).toEqual([
      { document_id: sub[1], seller_id: line.resellerIds[0], buyer_id: line.resellerIds[1] },
    ]);
  });
});
