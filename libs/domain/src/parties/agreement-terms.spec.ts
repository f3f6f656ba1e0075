import { agreementTermsProblems, assertAgreementTerms } from './agreement-terms';

describe('commission agreement terms', () => {
  it('normalises a distributor’s rate and fee and leaves agent-only terms empty', () => {
    expect(assertAgreementTerms('distributor', { rate: '0.050000', feePerActiveClient: '2.00' })).toEqual({
      rate: '0.05',
      feePerActiveClient: '2',
      firstMonths: null,
      fundedBy: null,
      volumeTiers: null,
    });
  });

  it('defaults an agent’s cut to operator-funded', () => {
    expect(assertAgreementTerms('agent', { rate: '0.02', firstMonths: 12 })).toEqual({
      rate: '0.02',
      feePerActiveClient: null,
      firstMonths: 12,
      fundedBy: 'operator',
      volumeTiers: null,
    });
    expect(assertAgreementTerms('agent', { rate: '0.015', fundedBy: 'distributor' }).fundedBy).toBe('distributor');
  });

  it('accepts the bounds of a fraction and refuses anything outside', () => {
    expect(agreementTermsProblems('agent', { rate: '0' })).toEqual([]);
    expect(agreementTermsProblems('agent', { rate: '1.000000' })).toEqual([]);
    expect(agreementTermsProblems('agent', { rate: '1.000001' })).toEqual([{ field: 'rate', problem: 'must be a fraction between 0 and 1 (0.05 is 5 %)' }]);
    expect(agreementTermsProblems('agent', { rate: '-0.01' })[0].field).toBe('rate');
    expect(agreementTermsProblems('agent', { rate: 0.05 as unknown as string })[0]).toEqual({
      field: 'rate',
      problem: 'must be a decimal string such as "0.05"',
    });
  });

  it('names every term that does not fit the kind of party', () => {
    expect(agreementTermsProblems('agent', { rate: '0.02', feePerActiveClient: '1.00' })).toEqual([
      { field: 'feePerActiveClient', problem: 'applies to distributors only' },
    ]);
    expect(agreementTermsProblems('distributor', { rate: '0.05', firstMonths: 3, fundedBy: 'operator' }).map((p) => p.field)).toEqual([
      'firstMonths',
      'fundedBy',
    ]);
    expect(agreementTermsProblems('distributor', { rate: '0.05', feePerActiveClient: '-1' })).toEqual([
      { field: 'feePerActiveClient', problem: 'must not be negative' },
    ]);
    expect(agreementTermsProblems('agent', { rate: '0.05', firstMonths: 0 })[0].field).toBe('firstMonths');
    expect(agreementTermsProblems('agent', { rate: '0.05', firstMonths: 1.5 })[0].field).toBe('firstMonths');
    expect(agreementTermsProblems('reseller', { rate: '0.05' })).toEqual([{ field: 'id', problem: 'only distributors and agents have commission agreements' }]);
    expect(() => assertAgreementTerms('agent', { rate: '2', feePerActiveClient: '1' })).toThrow(
      expect.objectContaining({
        code: 'AGREEMENT_INVALID_TERMS',
        fields: [expect.objectContaining({ field: 'rate' }), expect.objectContaining({ field: 'feePerActiveClient' })],
      }),
    );
  });

  it('takes a distributor’s volume tiers as ascending brackets, and names a bad tier', () => {
    expect(assertAgreementTerms('distributor', { rate: '0.05', volumeTiers: [{ from: '10000.00', rate: '0.060' }] }).volumeTiers).toEqual([
      { from: '10000', rate: '0.06' },
    ]);
    expect(
      agreementTermsProblems('distributor', {
        rate: '0.05',
        volumeTiers: [
          { from: '100', rate: '0.06' },
          { from: '100', rate: '1.5' },
        ],
      }),
    ).toEqual([
      { field: 'volumeTiers[1].from', problem: 'must be above 0 and above the previous tier’s' },
      { field: 'volumeTiers[1].rate', problem: 'must be a fraction between 0 and 1' },
    ]);
    expect(agreementTermsProblems('distributor', { rate: '0.05', volumeTiers: [{ from: '0', rate: '0.06' }] })[0].field).toBe('volumeTiers[0].from');
    expect(agreementTermsProblems('agent', { rate: '0.05', volumeTiers: [{ from: '10', rate: '0.06' }] })).toEqual([
      { field: 'volumeTiers', problem: 'apply to distributors only' },
    ]);
  });
});
