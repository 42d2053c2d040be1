export * from './catalog';
export * from './errors';
export * from './language';
export * from './render';
export type { TemplateSet, TemplateSource } from './source';
