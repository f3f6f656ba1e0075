import { signedToken, signedTokenMatches } from './signed-token';

/**
 * The link that confirms a new contact e-mail of an application: the address and an expiry,
 * signed over the application, so it works for that application, that address and until then
 * only. Self-contained (`<base64url of {e, x}>.<signature>`): nothing is stored to check it.
 */
export function emailChangeToken(secret: string, applicationId: string, email: string, expiresAt: Date): string {
  const expires = Math.floor(expiresAt.getTime() / 1000);
  const payload = Buffer.from(JSON.stringify({ e: email, x: expires })).toString('base64url');
  return `${payload}.${signedToken(secret, 'email-change', `${applicationId}\n${email}\n${expires}`)}`;
}

/** The address a token confirms, when it is genuine, for this application, and not expired. */
export function readEmailChangeToken(
  secret: string,
  applicationId: string,
  token: string,
  now: Date = new Date(),
): { email: string; expiresAt: Date } | undefined {
  const [payload, signature, ...rest] = token.split('.');
  if (!payload || !signature || rest.length) return undefined;
  let claims: { e?: unknown; x?: unknown };
  try {
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { e?: unknown; x?: unknown };
  } catch {
    return undefined;
  }
  if (typeof claims.e !== 'string' || typeof claims.x !== 'number' || !Number.isInteger(claims.x)) return undefined;
  if (!signedTokenMatches(secret, 'email-change', `${applicationId}\n${claims.e}\n${claims.x}`, signature)) return undefined;
  const expiresAt = new Date(claims.x * 1000);
  return expiresAt.getTime() > now.getTime() ? { email: claims.e, expiresAt } : undefined;
}
