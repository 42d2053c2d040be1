export * from './chain';
export * from './events';
export * from './in-memory-ledger';
export * from './ports';
export * from './projection';
