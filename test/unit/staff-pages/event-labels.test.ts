import { EVENT_TYPES } from '../../../shared/domain/ledger/events';
import { SCRIPT_TEXT_KEYS, STAFF_STRINGS } from '../../../web/staff/strings';

describe('history labels', () => {
  it('names every ledger event type in French and in English (the case history and audit timeline)', () => {
    const keys: readonly string[] = SCRIPT_TEXT_KEYS;
    const missing = EVENT_TYPES.filter((type) => type !== 'step.started')
      .map((type) => `event.${type}`)
      .filter((key) => !keys.includes(key));

    expect(missing).toEqual([]);
    for (const language of ['fr', 'en'] as const) {
      const script = STAFF_STRINGS[language].script as Readonly<Record<string, string>>;
      expect(script['event.letter.prepared']).toMatch(/\S/);
      expect(script['event.letter.mailed']).toMatch(/\S/);
    }
  });
});
