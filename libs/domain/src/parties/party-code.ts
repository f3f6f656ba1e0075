import type { PartyKind } from './party';

/** How many numbered variants of a name's code are tried before a random suffix. */
const NUMBERED_VARIANTS = 8;

/**
 * A party's readable code from its name: "Acme MSP" → "acme-msp" (ASCII letters and digits,
 * inner dashes, at most 60 characters), or the kind when nothing of the name is left.
 */
export function codeFromName(name: string, kind: PartyKind): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[^\w\s-]/g, '')
    .toLowerCase()
    .replace(/[\s_-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
  return slug || kind;
}

/** The codes to try for a new party, in order: "acme-msp", "acme-msp-2", … "acme-msp-9". */
export function codeCandidates(name: string, kind: PartyKind): string[] {
  const base = codeFromName(name, kind);
  return [base, ...Array.from({ length: NUMBERED_VARIANTS }, (_, i) => `${base}-${i + 2}`)];
}
