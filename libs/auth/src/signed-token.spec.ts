import { signedToken, signedTokenMatches } from './signed-token';

describe('signed tokens', () => {
  it('are stable for the same inputs and differ by purpose, subject and secret', () => {
    const token = signedToken('secret', 'applicant', 'app-1');
    expect(signedToken('secret', 'applicant', 'app-1')).toBe(token);
    expect(signedToken('secret', 'invitation', 'app-1')).not.toBe(token);
    expect(signedToken('secret', 'applicant', 'app-2')).not.toBe(token);
    expect(signedToken('other', 'applicant', 'app-1')).not.toBe(token);
  });

  it('verify in constant time and refuse a forgery', () => {
    const token = signedToken('secret', 'applicant', 'app-1');
    expect(signedTokenMatches('secret', 'applicant', 'app-1', token)).toBe(true);
    expect(signedTokenMatches('secret', 'applicant', 'app-2', token)).toBe(false);
    expect(signedTokenMatches('secret', 'applicant', 'app-1', 'x')).toBe(false);
  });
});
