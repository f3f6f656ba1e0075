import { defaultUpliftProblem, previewLine } from './preview';

describe('price book margin preview', () => {
  it('prices with the default uplift when the item has no rule', () => {
    expect(previewLine('10.00', 'EUR', { kind: 'default' }, '25')).toEqual({
      price: '12.50',
      margin: '2.50',
      marginPercent: '20.0',
      belowCost: false,
      problem: null,
    });
  });

  it('applies uplift, discount off the list price, and fixed prices exactly', () => {
    expect(previewLine('0.013125', 'EUR', { kind: 'uplift', value: '10' }, '25').price).toBe('0.0144375');
    // List price 12.50, 10 % off: 11.25 — still above cost.
    expect(previewLine('10', 'EUR', { kind: 'discount', value: '10' }, '25')).toMatchObject({ price: '11.25', margin: '1.25', belowCost: false });
    expect(previewLine('10', 'EUR', { kind: 'fixed', value: '9.90' }, '25')).toMatchObject({ price: '9.90', margin: '-0.10', belowCost: true });
  });

  it('says what is wrong with a rule instead of pricing it', () => {
    expect(previewLine('10', 'EUR', { kind: 'discount', value: '120' }, '25').problem).toBe('must be between 0 and 100');
    expect(previewLine('10', 'EUR', { kind: 'uplift', value: 'ten' }, '25').problem).toMatch(/decimal/);
    expect(previewLine(null, 'EUR', { kind: 'default' }, '25').problem).toBe('no cost in force');
    expect(defaultUpliftProblem('-5')).toBe('must not be negative');
    expect(defaultUpliftProblem('')).toBe('is required');
  });
});
