export * from './version-history';
