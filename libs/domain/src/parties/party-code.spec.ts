import fc from 'fast-check';
import { codeCandidates, codeFromName } from './party-code';

/** The party code rule of the API's DTO: lower-case letters, digits and inner dashes, at most 80. */
const PARTY_CODE = /^[a-z0-9](?:[a-z0-9-]{0,78}[a-z0-9])?$/;

describe('party codes from names', () => {
  it('reads like the name', () => {
    expect(codeFromName('Acme MSP', 'reseller')).toBe('acme-msp');
    expect(codeFromName('  Crème Brûlée & Co. — Cloud_Ops  ', 'reseller')).toBe('creme-brulee-co-cloud-ops');
    expect(codeFromName('100%_Cloud', 'client')).toBe('100-cloud');
    expect(codeFromName('東京', 'client')).toBe('client');
    expect(codeCandidates('Acme MSP', 'reseller')).toEqual(['acme-msp', ...[2, 3, 4, 5, 6, 7, 8, 9].map((n) => `acme-msp-${n}`)]);
  });

  it('always gives a valid code, whatever the name', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (name) => {
        for (const code of codeCandidates(name, 'reseller')) expect(code).toMatch(PARTY_CODE);
      }),
    );
  });
});
