import { apiKeyMatches, generateApiKey, parseApiKey } from './api-key';

describe('api keys', () => {
  it('round-trips a generated key and rejects a tampered one', () => {
    const { key, prefix, secretHash } = generateApiKey();
    const parsed = parseApiKey(key);
    expect(parsed?.prefix).toBe(prefix);
    expect(apiKeyMatches(parsed!.secret, secretHash)).toBe(true);
    const tampered = parsed!.secret.slice(0, -1) + (parsed!.secret.endsWith('A') ? 'B' : 'A');
    expect(apiKeyMatches(tampered, secretHash)).toBe(false);
  });

  it('rejects malformed keys', () => {
    expect(parseApiKey('not-a-key')).toBeUndefined();
    expect(parseApiKey('wsk_short_abc')).toBeUndefined();
  });
});
