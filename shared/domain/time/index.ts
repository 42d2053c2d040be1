export * from './types';
export { BusinessCalendar, CalendarFileSchema, CalendarVersionSchema, versionInEffect } from './calendar';
export type { CalendarFile, CalendarVersion } from './calendar';
export { bundledCalendars, CalendarRegistry } from './calendars';
export { addBusinessDays, businessDayOnOrAfter, businessDaysBetween, isBusinessDay } from './business-days';
export { computeDeadline, computeDeadlineWith, reconcileRecalculation } from './deadline';
export type { DeadlineInput } from './deadline';
export { computeObservedHolidays, HOLIDAY_NAMES } from './holidays';
export type { ObservedHoliday } from './holidays';
export { easterSunday } from './easter';
export {
  addWorkingHours,
  DEFAULT_WORKING_HOURS,
  nextWorkingInstant,
  shiftWorkingHours,
  WorkingHoursSchema,
} from './working-hours';
export type { WorkingHours } from './working-hours';
export { endOfLocalDay, parseInstant, toLocal } from './zone';
export { localDateOf } from './local-date-of';
