export * from './compute';
export * from './csv';
export * from './facts';
export * from './indicators';
export * from './period';
export * from './service-statement';
export * from './statistics';
export * from './ledger-source';
