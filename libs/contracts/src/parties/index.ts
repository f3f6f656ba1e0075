export * from './party-status.contract';
