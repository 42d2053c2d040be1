import fc from 'fast-check';

import { longDateEn, longDateFr } from '../../../shared/domain/time/explain';
import { formatLocalDate, parseLocalDate } from '../../../shared/domain/time/local-date';
import { acknowledgementWhen } from '../../../web/citizen/confirmation-page';

/** The exports of `web/static/form.js` (a plain browser module, loaded here through jest's transform). */
interface FormScript {
  formatLongDate(isoDate: string, language: 'fr' | 'en'): string;
  acknowledgementWhen(
    language: 'fr' | 'en',
    dueDate: string,
    dueAt: string | null | undefined,
    at: string,
  ): string;
  formPayload(entries: Iterable<[string, unknown]>): Record<string, unknown>;
  createKeyKeeper(randomUUID: () => string): { current(): string; settle(status: number): void };
  enhance(form: unknown, options?: unknown): void;
  isWafChallenge(status: number, headers: Headers): boolean;
}

const script = jest.requireActual<FormScript>('../../../web/static/form.js');

describe('form.js', () => {
  it('words dates exactly as the server does, in both languages (1er for the first of the month)', () => {
    const day = fc.integer({ min: parseLocalDate('2000-01-01'), max: parseLocalDate('2100-12-31') });
    fc.assert(
      fc.property(day, (dayNumber) => {
        const date = formatLocalDate(dayNumber);
        expect(script.formatLongDate(date, 'fr')).toBe(longDateFr(dayNumber));
        expect(script.formatLongDate(date, 'en')).toBe(longDateEn(dayNumber));
      }),
      { numRuns: 300 },
    );
    expect(script.formatLongDate('2027-01-01', 'fr')).toBe('vendredi 1er janvier 2027');
  });

  it('says when the acknowledgement is due as the confirmation page does (end of day: date only; in the day: time too)', () => {
    const cases: [string, string | null][] = [
      ['2027-01-11', '2027-01-12T04:59:59.999Z'],
      ['2026-07-10', '2026-07-11T03:59:59.999Z'],
      ['2026-12-18', '2026-12-18T19:00:00.000Z'],
      ['2026-06-01', '2026-06-01T13:35:00.000Z'],
      ['2026-06-01', null],
    ];
    for (const [dueDate, dueAt] of cases) {
      expect(script.acknowledgementWhen('fr', dueDate, dueAt, 'à')).toBe(
        acknowledgementWhen('fr', dueDate, dueAt),
      );
      expect(script.acknowledgementWhen('en', dueDate, dueAt, 'at')).toBe(
        acknowledgementWhen('en', dueDate, dueAt),
      );
    }
  });

  it('recognizes a submission stopped by the WAF challenge (202 with x-amzn-waf-action), nothing else', () => {
    expect(script.isWafChallenge(202, new Headers({ 'x-amzn-waf-action': 'challenge' }))).toBe(true);
    expect(script.isWafChallenge(202, new Headers())).toBe(false);
    expect(script.isWafChallenge(201, new Headers({ 'x-amzn-waf-action': 'challenge' }))).toBe(false);
  });

  it('sends the form as JSON with the attestation as a boolean', () => {
    expect(
      script.formPayload([
        ['category', 'statistics'],
        ['name', 'Marie'],
        ['attestation', 'yes'],
        ['website', ''],
      ]),
    ).toEqual({ category: 'statistics', name: 'Marie', attestation: true, website: '' });
    expect(script.formPayload([['name', 'Marie']])).toEqual({ name: 'Marie', attestation: false });
  });

  it('keeps the Idempotency-Key while the outcome is unknown, and draws a new one once an answer settled it', () => {
    let drawn = 0;
    const keeper = script.createKeyKeeper(() => `key-${++drawn}`);

    const first = keeper.current();
    keeper.settle(500);
    const afterServerError = keeper.current();
    keeper.settle(422);
    const afterConflict = keeper.current();
    keeper.settle(400);
    const afterRefusal = keeper.current();
    keeper.settle(201);
    const afterSuccess = keeper.current();

    expect([first, afterServerError, afterConflict, afterRefusal, afterSuccess]).toEqual([
      'key-1',
      'key-1',
      'key-1',
      'key-2',
      'key-3',
    ]);
  });
});
