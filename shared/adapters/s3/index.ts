export * from './attachment-writer';
export * from './client-options';
export * from './raw-mail-reader';
export * from './s3-errors';
export * from './letter-store';
export * from './download-links';
export * from './write-once-store';
