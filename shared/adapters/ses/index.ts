export * from './addresses';
export * from './ses-errors';
export * from './ses-notifier';
