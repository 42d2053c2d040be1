export * from './content-hash';
export * from './honeypot';
export * from './language-basis';
export * from './rate-limiter';
export * from './submit';
