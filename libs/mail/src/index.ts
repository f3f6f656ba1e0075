export * from './mail.errors';
export * from './mail.module';
export * from './mail-branding';
export { formatInstant } from './mail-helpers';
export * from './mail-renderer';
export * from './mail-sender';
export * from './mail-templates';
export * from './mail-template.samples';
