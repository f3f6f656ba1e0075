export * from './applicant-email.contract';
