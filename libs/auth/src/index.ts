export * from './password';
export * from './api-key';
export * from './principal';
