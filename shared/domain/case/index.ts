export * from './case';
export * from './parse';
export * from './reference';
export * from './requester';
export * from './text';
