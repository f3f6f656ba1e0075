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
