export * from './billing-document.contract';
export * from './billing-email.contract';
