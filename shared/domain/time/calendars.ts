import fonctionPublique from '../../config/calendars/qc-fonction-publique.json';
import loiInterpretation from '../../config/calendars/qc-loi-interpretation.json';
import { BusinessCalendar, CalendarFileSchema, versionInEffect, type CalendarFile } from './calendar';
import type { CalendarId, LocalDate } from './types';

/**
 * The calendars bundled with Jalon, validated at load. An organization can load its own versions
 * (e.g. an official list of holidays for a year) with `CalendarRegistry.from`.
 */
export class CalendarRegistry {
  private readonly instances = new Map<string, BusinessCalendar>();

  private constructor(private readonly files: ReadonlyMap<CalendarId, CalendarFile>) {}

  static from(files: readonly unknown[]): CalendarRegistry {
    const parsed = new Map<CalendarId, CalendarFile>();
    for (const raw of files) {
      // Once per container: zod's generated fast path would cost more to build than it saves here.
      const file = CalendarFileSchema.parse(raw, { jitless: true });
      parsed.set(file.id, file);
    }
    return new CalendarRegistry(parsed);
  }

  ids(): CalendarId[] {
    return [...this.files.keys()];
  }

  /** The calendar version in effect on a local date (deadlines computed that day use it). */
  at(id: CalendarId, on: LocalDate): BusinessCalendar {
    const file = this.files.get(id);
    if (!file) throw new RangeError(`unknown calendar: ${id} (known: ${this.ids().join(', ')})`);
    const version = versionInEffect(file, on);
    const cacheKey = `${id}@${version.version}`;
    let calendar = this.instances.get(cacheKey);
    if (!calendar) {
      calendar = new BusinessCalendar(file.id, file.name, version);
      this.instances.set(cacheKey, calendar);
    }
    return calendar;
  }

  /** A named version of a calendar, whatever its effective date (the what-if replay tries one); `undefined` when unknown. */
  named(id: CalendarId, version: string): BusinessCalendar | undefined {
    const file = this.files.get(id);
    const chosen = file?.versions.find((v) => v.version === version);
    if (file === undefined || chosen === undefined) return undefined;
    return new BusinessCalendar(file.id, file.name, chosen);
  }

  /** Every calendar with its name and its versions (label, first day in effect), oldest first. */
  list(): {
    readonly id: CalendarId;
    readonly name: CalendarFile['name'];
    readonly versions: { readonly version: string; readonly effectiveFrom: LocalDate }[];
  }[] {
    return [...this.files.values()].map((file) => ({
      id: file.id,
      name: file.name,
      versions: file.versions.map(({ version, effectiveFrom }) => ({ version, effectiveFrom })),
    }));
  }

  /** The version labels of a calendar, oldest first (empty for an unknown calendar). */
  versions(id: CalendarId): string[] {
    return (this.files.get(id)?.versions ?? []).map((v) => v.version);
  }
}

let bundled: CalendarRegistry | undefined;

/** The registry of the calendars shipped in `shared/config/calendars/`. */
export function bundledCalendars(): CalendarRegistry {
  bundled ??= CalendarRegistry.from([fonctionPublique, loiInterpretation]);
  return bundled;
}
