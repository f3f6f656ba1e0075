import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * API keys look like `wsk_<prefix>_<secret>`: the prefix finds the row, the secret is compared
 * by SHA-256 in constant time. Only the hash is stored; the full key is shown once on creation.
 */
const PATTERN = /^wsk_([a-z0-9]{12})_([A-Za-z0-9_-]{43})$/;

export interface GeneratedApiKey {
  key: string;
  prefix: string;
  secretHash: string;
}

export function generateApiKey(): GeneratedApiKey {
  const prefix = randomBytes(9)
    .toString('base64url')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '0')
    .slice(0, 12);
  const secret = randomBytes(32).toString('base64url');
  return { key: `wsk_${prefix}_${secret}`, prefix, secretHash: sha256(secret) };
}

export function parseApiKey(key: string): { prefix: string; secret: string } | undefined {
  const match = PATTERN.exec(key.trim());
  return match ? { prefix: match[1], secret: match[2] } : undefined;
}

export function apiKeyMatches(secret: string, secretHash: string): boolean {
  const a = Buffer.from(sha256(secret), 'hex');
  const b = Buffer.from(secretHash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}

export function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}
