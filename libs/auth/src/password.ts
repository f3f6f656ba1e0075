import bcrypt from 'bcryptjs';

/** bcrypt with cost 12 (~250 ms): slow enough to resist guessing, fast enough for a login. */
const COST = Number(process.env.BCRYPT_COST ?? 12);
export const MIN_PASSWORD_LENGTH = 10;

export function hashPassword(password: string): Promise<string> {
  return bcrypt.hash(password, COST);
}

export function verifyPassword(password: string, hash: string | null | undefined): Promise<boolean> {
  // Compare against a fixed hash when the user has none, so timing does not reveal which emails exist.
  return bcrypt.compare(password, hash ?? '$2b$12$C6UzMDM.H6dfI/f/IKcEe.4dHMvWWpMJrWq0Z6y3bVrYg3VsCE6zK');
}
