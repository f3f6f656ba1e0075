export * from './password';
export * from './api-key';
export * from './principal';
export * from './signed-token';
export * from './email-change-token';
export * from './secret-box';
