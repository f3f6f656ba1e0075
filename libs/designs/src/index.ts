export * from './design-assessor.service';
export * from './designs.module';
export * from './network-map';
export * from './share-links.service';
export * from './solution-store.service';
