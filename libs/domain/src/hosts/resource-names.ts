import { HypervisorError } from './hypervisor-error';
import { HypervisorErrorCode } from './host-errors';

/**
 * Names of what Wholesail creates on a hypervisor (VMs, networks, disks). They are the idempotency
 * keys of the drivers — a create looks the name up first — so they must be deterministic, and safe
 * everywhere they end up: vSphere inventory paths, libvirt XML, virsh's command line, file names.
 * Lower-case letters, digits and "-", starting with a letter or digit, at most 63 characters.
 */
export const RESOURCE_NAME_PATTERN = /^[a-z0-9][a-z0-9-]{0,62}$/;
export const RESOURCE_NAME_MAX = 63;

export function assertResourceName(name: string, field = 'name'): void {
  if (typeof name !== 'string' || !RESOURCE_NAME_PATTERN.test(name)) {
    throw new HypervisorError(
      HypervisorErrorCode.InvalidRequest,
      `${field} "${String(name).slice(0, 80)}" is not a valid resource name: use 1–63 lower-case letters, digits and "-", starting with a letter or digit`,
    );
  }
}

/**
 * A deterministic resource name from business parts, e.g. `resourceName('ws', environmentId,
 * 'web')`: lower-cased, anything else than letters and digits becomes "-", and a name that would
 * be too long keeps its start and ends in a hash of the whole, so different inputs stay different.
 */
export function resourceName(...parts: string[]): string {
  const joined = parts
    .map((part) =>
      part
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '-')
        .replace(/^-+|-+$/g, ''),
    )
    .filter(Boolean)
    .join('-');
  if (!joined) throw new HypervisorError(HypervisorErrorCode.InvalidRequest, 'a resource name needs at least one letter or digit');
  if (joined.length <= RESOURCE_NAME_MAX) return joined;
  const hash = fnv1a(parts.join('\u0000'));
  return `${joined.slice(0, RESOURCE_NAME_MAX - hash.length - 1).replace(/-+$/, '')}-${hash}`;
}

/** 32-bit FNV-1a as 8 hex digits: stable across processes and versions, no I/O. */
function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}
