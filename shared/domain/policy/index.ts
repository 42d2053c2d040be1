// `loadPolicyFile` lives in ./load-file and stays out of this index so that Lambda bundles never pull in fs.
export * from './answer-templates';
export * from './errors';
export { loadPolicy, getCategory, type LoadPolicyOptions } from './load';
export { describeIssue, formatPath, type BilingualMessage } from './messages';
export { expandSchedule, type ScheduleOccurrence } from './schedule';
export * from './schema';
export { loadSctPolicy, SCT_CATEGORY_IDS, type SctCategoryId } from './sct';
