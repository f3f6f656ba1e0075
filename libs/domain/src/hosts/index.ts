export * from './capacity';
export * from './host-errors';
export * from './hypervisor-error';
export * from './resource-names';
