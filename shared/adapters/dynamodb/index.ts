export * from './dynamodb-case-ledger';
export * from './dynamodb-case-queries';
export * from './dynamodb-reference-allocator';
export * from './holding-pen';
export * from './projection-item';
export * from './reply-addresses';
export * from './store-errors';
export * from './table-definitions';
