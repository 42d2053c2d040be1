export * from '../access/access-journal';
export * from './access';
export * from './event-details';
export * from './list-views';
export * from './ports';
export * from './timeline';
export * from './verify-ledger';
