import { DomainError, HostErrorCode } from '@wholesail/domain';

/** Tags say what a host is good for ("ssd", "eu-west", "gpu:a100"): placement matches them exactly. */
export const TAG_PATTERN = /^[a-z0-9][a-z0-9:._-]{0,62}$/;
export const TAG_PROBLEM = 'must be 1–63 lower-case letters, digits, ":", ".", "_" or "-", starting with a letter or digit';

/** Valid tags, without duplicates, sorted (so a host's tags compare and display the same way everywhere). */
export function assertTags(tags: readonly string[], field: string): string[] {
  tags.forEach((tag, index) => {
    if (typeof tag !== 'string' || !TAG_PATTERN.test(tag)) {
      throw DomainError.invalid(HostErrorCode.InvalidTag, `${field}[${index}]`, TAG_PROBLEM);
    }
  });
  return [...new Set(tags)].sort();
}

/**
 * A PostgreSQL text[] literal for a query parameter (knex would spread a JS array into several
 * parameters). Only for validated tags, which contain nothing that needs quoting in a literal.
 */
export function pgTextArray(tags: readonly string[]): string {
  for (const tag of tags) if (!TAG_PATTERN.test(tag)) throw new Error(`not a valid tag: ${tag}`);
  return `{${tags.join(',')}}`;
}
