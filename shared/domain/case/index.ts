export * from './case';
export * from './parse';
export * from './reference';
export * from './requester';
export * from './text';
export * from './case-key';
export * from './search-terms';
