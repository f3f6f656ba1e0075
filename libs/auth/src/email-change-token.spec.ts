import { emailChangeToken, readEmailChangeToken } from './email-change-token';

describe('e-mail change tokens', () => {
  const later = new Date(Date.now() + 3_600_000);

  it('confirm one address for one application until they expire', () => {
    const token = emailChangeToken('secret', 'app-1', 'new@example.com', later);
    expect(readEmailChangeToken('secret', 'app-1', token)).toEqual({
      email: 'new@example.com',
      expiresAt: new Date(Math.floor(later.getTime() / 1000) * 1000),
    });
    expect(readEmailChangeToken('secret', 'app-2', token)).toBeUndefined();
    expect(readEmailChangeToken('other', 'app-1', token)).toBeUndefined();
    expect(readEmailChangeToken('secret', 'app-1', token, new Date(later.getTime() + 1000))).toBeUndefined();
  });

  it('refuse a token whose address or expiry was changed, and garbage', () => {
    const token = emailChangeToken('secret', 'app-1', 'new@example.com', later);
    const [, signature] = token.split('.');
    const forged = Buffer.from(JSON.stringify({ e: 'attacker@example.com', x: Math.floor(later.getTime() / 1000) })).toString('base64url');
    expect(readEmailChangeToken('secret', 'app-1', `${forged}.${signature}`)).toBeUndefined();
    const extended = Buffer.from(JSON.stringify({ e: 'new@example.com', x: Math.floor(later.getTime() / 1000) + 999_999 })).toString('base64url');
    expect(readEmailChangeToken('secret', 'app-1', `${extended}.${signature}`)).toBeUndefined();
    for (const junk of ['', '.', 'abc', 'a.b.c', '!!!.sig', `${Buffer.from('[1]').toString('base64url')}.x`])
      expect(readEmailChangeToken('secret', 'app-1', junk)).toBeUndefined();
  });
});
