// Hypervisor drivers behind one interface (vSphere over vim25 SOAP, libvirt through virsh).
export * from './hypervisor.driver';
export * from './specs';
export * from './xml/xml';
export { VimClient } from './vsphere/vim-client';
export type { ObjectContent, ServiceContent, VimClientOptions } from './vsphere/vim-client';
export { VsphereDriver } from './vsphere/vsphere.driver';
export type { VsphereHostConfig } from './vsphere/vsphere.driver';
export { LibvirtDriver } from './libvirt/libvirt.driver';
export type { LibvirtHostConfig } from './libvirt/libvirt.driver';
export { VirshSession } from './libvirt/virsh-session';
export * from './driver-factory';
export * from './hosts/host-connection';
export * from './hosts/host-registry.service';
export * from './hosts/host-tags';
export * from './hosts/hypervisor-drivers.service';
export * from './hosts/placement.service';
export * from './hypervisors.module';
export * from './hosts/demo-hosts';
