import { SecretBox } from './secret-box';

describe('SecretBox', () => {
  const box = new SecretBox('a-secrets-key-that-is-long-enough-0001');

  it('opens what it sealed, and seals the same text differently each time', () => {
    const first = box.seal('vcenter password ü', 'host:1:password');
    const second = box.seal('vcenter password ü', 'host:1:password');
    expect(first).not.toBe(second);
    expect(first).not.toContain('password');
    expect(box.open(first, 'host:1:password')).toBe('vcenter password ü');
    expect(box.open(second, 'host:1:password')).toBe('vcenter password ü');
  });

  it('refuses another key, another context and altered text', () => {
    const sealed = box.seal('secret', 'host:1:password');
    expect(() => new SecretBox('another-secrets-key-that-is-long-enough').open(sealed, 'host:1:password')).toThrow();
    expect(() => box.open(sealed, 'host:2:password')).toThrow();
    const [version, iv, ciphertext, tag] = sealed.split('.');
    const flipped = Buffer.from(ciphertext, 'base64url');
    flipped[0] ^= 1;
    expect(() => box.open([version, iv, flipped.toString('base64url'), tag].join('.'), 'host:1:password')).toThrow();
    expect(() => box.open('plain text', 'host:1:password')).toThrow(/not a sealed secret/);
  });
});
