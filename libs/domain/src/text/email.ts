/** E-mail addresses are compared and stored trimmed and lower-cased: one account, however it is typed. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}
