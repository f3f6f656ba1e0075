export * from './import/usage-file';
export * from './usage-errors';
export * from './usage-freezer';
export * from './usage-importer';
export * from './usage-reader';
export * from './usage-recorder';
export * from './usage-references';
export * from './usage.module';
