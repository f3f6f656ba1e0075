export * from './control-characters';
export * from './email';
