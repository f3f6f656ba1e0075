export * from './billing-document.contract';
export * from './billing-email.contract';
export * from './billing-run.contract';
export * from './billing-run.messages';
