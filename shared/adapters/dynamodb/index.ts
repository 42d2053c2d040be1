export * from './dynamodb-case-ledger';
export * from './dynamodb-case-queries';
export * from './dynamodb-reference-allocator';
export * from './projection-item';
export * from './store-errors';
export * from './table-definitions';
