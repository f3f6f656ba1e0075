export * from './agreement-writer.service';
export * from './client-credit-writer.service';
export * from './invitations.service';
export * from './party-constraints';
export * from './party-writer.service';
export * from './party-writes.module';
export * from './price-book-writer.service';
