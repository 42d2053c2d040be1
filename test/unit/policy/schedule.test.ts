import fc from 'fast-check';
import { expandSchedule, getCategory, loadSctPolicy, type ScheduleStep } from '../../../shared/domain/policy';

describe('expandSchedule', () => {
  it('unrolls the bounded overdue repeats of an SCT category with their own occurrence ids', () => {
    const statistics = getCategory(loadSctPolicy(), 'statistics');

    const overdue = expandSchedule(statistics).filter((occurrence) => occurrence.step === 'answer-overdue');

    expect(overdue.map((occurrence) => [occurrence.id, occurrence.offset.amount, occurrence.notify])).toEqual(
      [
        ['answer-overdue', 1, 'director'],
        ['answer-overdue#2', 6, 'director'],
        ['answer-overdue#3', 11, 'director'],
        ['answer-overdue#4', 16, 'director'],
      ],
    );
  });

  it('keeps a step without repeat as a single occurrence whose id is the step id', () => {
    const statistics = getCategory(loadSctPolicy(), 'statistics');

    const reminders = expandSchedule(statistics).filter((occurrence) => occurrence.step === 'ack-reminder');

    expect(reminders).toEqual([
      {
        id: 'ack-reminder',
        step: 'ack-reminder',
        relativeTo: 'ack-deadline',
        offset: { amount: -3, unit: 'business-days' },
        notify: 'assignee',
      },
    ]);
  });

  it('repeats in the unit of the step offset', () => {
    const media = getCategory(loadSctPolicy(), 'media');

    const overdue = expandSchedule(media).filter((occurrence) => occurrence.step === 'answer-overdue');

    expect(overdue.map((occurrence) => occurrence.offset)).toEqual([
      { amount: 4, unit: 'working-hours' },
      { amount: 12, unit: 'working-hours' },
      { amount: 20, unit: 'working-hours' },
      { amount: 28, unit: 'working-hours' },
    ]);
  });

  it('gives every occurrence a unique id, so (caseId, occurrence id) can key idempotency', () => {
    const step = (id: string, repeat?: ScheduleStep['repeat']): ScheduleStep => ({
      step: id,
      relativeTo: 'answer-deadline',
      offset: { amount: 1, unit: 'business-days' },
      notify: 'director',
      ...(repeat ? { repeat } : {}),
    });
    const repeatArb = fc.option(
      fc.record({ every: fc.integer({ min: 1, max: 40 }), maxRepeats: fc.integer({ min: 1, max: 10 }) }),
      { nil: undefined },
    );
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.stringMatching(/^[a-z][a-z0-9]{0,5}(?:-[a-z0-9]{1,5}){0,2}$/), {
          minLength: 1,
          maxLength: 8,
        }),
        fc.array(repeatArb, { minLength: 8, maxLength: 8 }),
        (ids, repeats) => {
          const schedule = ids.map((id, index) => step(id, repeats[index]));

          const occurrences = expandSchedule({ schedule });

          const expectedCount = schedule.reduce((sum, s) => sum + 1 + (s.repeat?.maxRepeats ?? 0), 0);
          expect(occurrences).toHaveLength(expectedCount);
          expect(new Set(occurrences.map((occurrence) => occurrence.id)).size).toBe(expectedCount);
        },
      ),
    );
  });
});
