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

/** A catalog SKU (the key of a host's template map). */
export const TEMPLATE_SKU_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
// eslint-disable-next-line no-control-regex
const TEMPLATE_NAME = /^[^\u0000-\u001f\u007f/]{1,200}$/;

/**
 * A host's template map, checked: catalog SKUs to the names of template VMs (vSphere) or domains
 * (libvirt) on the host, at most 100 entries. The drivers check the name again when they clone.
 */
export function assertTemplates(templates: unknown, field: string): Record<string, string> {
  if (typeof templates !== 'object' || templates === null || Array.isArray(templates)) {
    throw DomainError.invalid(HostErrorCode.InvalidTemplates, field, 'must be an object mapping template SKUs to template names on the host');
  }
  const entries = Object.entries(templates as Record<string, unknown>);
  if (entries.length > 100) throw DomainError.invalid(HostErrorCode.InvalidTemplates, field, 'must have at most 100 entries');
  const result: Record<string, string> = {};
  for (const [sku, name] of entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (!TEMPLATE_SKU_PATTERN.test(sku)) throw DomainError.invalid(HostErrorCode.InvalidTemplates, `${field}.${sku}`, 'is not a catalog SKU');
    if (typeof name !== 'string' || !TEMPLATE_NAME.test(name)) {
      throw DomainError.invalid(
        HostErrorCode.InvalidTemplates,
        `${field}.${sku}`,
        'must be the name of a template on the host (1–200 printable characters, no "/")',
      );
    }
    result[sku] = name;
  }
  return result;
}
