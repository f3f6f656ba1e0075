import type { SecretBox } from '@wholesail/auth';
import { DomainError, HostErrorCode } from '@wholesail/domain';
import type { Host } from '@wholesail/persistence';
import type { HostConnection } from '../driver-factory';

/** The bridge a libvirt host's networks use when its record names none (scripts/ensure-libvirt.sh creates it). */
export const DEFAULT_LIBVIRT_BRIDGE = 'wsbr0';

/** The AAD a host's password is sealed under: a sealed value copied to another host does not open. */
export function passwordContext(hostId: string): string {
  return `host:${hostId}:password`;
}

/** A host record as a driver connection, the password opened with the configured key. */
export function hostConnection(host: Host, secrets: SecretBox): HostConnection {
  if (host.kind === 'libvirt') return { kind: 'libvirt', uri: host.uri as string, bridge: host.network ?? DEFAULT_LIBVIRT_BRIDGE };
  let password: string;
  try {
    password = secrets.open(host.passwordSealed as string, passwordContext(host.id));
  } catch {
    throw new DomainError(
      HostErrorCode.SecretUnreadable,
      `the credentials of host ${host.name} cannot be decrypted with the configured SECRETS_KEY; set the password again (PATCH /hosts/${host.id})`,
      [],
      'conflict',
    );
  }
  return {
    kind: 'vsphere',
    sdkUrl: host.sdkUrl as string,
    username: host.username as string,
    password,
    insecure: host.insecureTls,
    ...(host.caCertificate ? { ca: host.caCertificate } : {}),
    datacenter: host.datacenter as string,
    cluster: host.cluster as string,
    datastore: host.datastore as string,
    network: host.network as string,
  };
}
