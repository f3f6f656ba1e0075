import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Deterministic, unguessable tokens: HMAC-SHA256 of a purpose and a subject under the server's
 * secret. The same inputs give the same token, so a retried activity can put the same link in an
 * e-mail without storing the token, and checking one needs no lookup table.
 */
export function signedToken(secret: string, purpose: string, subject: string): string {
  return createHmac('sha256', secret).update(`${purpose}\n${subject}`).digest('base64url');
}

export function signedTokenMatches(secret: string, purpose: string, subject: string, token: string): boolean {
  const expected = Buffer.from(signedToken(secret, purpose, subject));
  const given = Buffer.from(token);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
