export * from './errors';
export * from './parties';
