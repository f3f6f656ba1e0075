import type { HypervisorDriver } from './hypervisor.driver';
import { LibvirtDriver } from './libvirt/libvirt.driver';
import { VsphereDriver } from './vsphere/vsphere.driver';

/** Everything a driver needs to reach one host, with the password already opened. */
export type HostConnection =
  | {
      kind: 'vsphere';
      sdkUrl: string;
      username: string;
      password: string;
      insecure: boolean;
      ca?: string;
      datacenter: string;
      cluster: string;
      datastore: string;
      /** The distributed switch for new port groups. */
      network: string;
    }
  | {
      kind: 'libvirt';
      uri: string;
      /** The host bridge bridge-mode networks attach to. */
      bridge: string;
    };

export function createDriver(connection: HostConnection): HypervisorDriver {
  if (connection.kind === 'vsphere') {
    return new VsphereDriver({
      sdkUrl: connection.sdkUrl,
      username: connection.username,
      password: connection.password,
      insecure: connection.insecure,
      ...(connection.ca ? { ca: connection.ca } : {}),
      datacenter: connection.datacenter,
      cluster: connection.cluster,
      datastore: connection.datastore,
      network: connection.network,
    });
  }
  return new LibvirtDriver({ uri: connection.uri, bridge: connection.bridge });
}
