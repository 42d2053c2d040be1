import { RequesterSchema } from '../../../shared/domain/case/requester';
import type { Requester } from '../../../shared/domain/case/requester';
import { citizenLanguage, templateLanguage } from '../../../shared/templates';

const french: Requester = RequesterSchema.parse({ name: 'Marie Tremblay', language: 'fr' });
const english: Requester = RequesterSchema.parse({
  name: 'John Smith',
  language: 'en',
  languageBasis: { basis: 'outside-quebec', attestedOn: '2026-02-10' },
});
const eligibleButFrench: Requester = RequesterSchema.parse({
  name: 'Jane Doe',
  language: 'fr',
  languageBasis: { basis: 'eligible-english-instruction', attestedOn: '2026-02-10' },
});

describe('citizenLanguage', () => {
  it('writes in French by default', () => {
    expect(citizenLanguage(french)).toBe('fr');
  });

  it('writes in English when the record is English with its basis', () => {
    expect(citizenLanguage(english)).toBe('en');
  });

  it('keeps French for a person who is eligible but chose French', () => {
    expect(citizenLanguage(eligibleButFrench)).toBe('fr');
  });

  it('keeps French for an English record without a basis (English is never on request)', () => {
    const unchecked = { language: 'en' } as unknown as Requester;

    expect(citizenLanguage(unchecked)).toBe('fr');
  });
});

describe('templateLanguage', () => {
  it('follows the requester for citizen messages', () => {
    expect(templateLanguage('acknowledgement', english)).toBe('en');
    expect(templateLanguage('answer-cover', french)).toBe('fr');
  });

  it('writes citizen messages in French when there is no requester record', () => {
    expect(templateLanguage('automatic-receipt')).toBe('fr');
  });

  it.each(['task-notification', 'reminder', 'escalation', 'ops-alert'] as const)(
    'writes %s in French whatever the requester',
    (id) => {
      expect(templateLanguage(id, english)).toBe('fr');
    },
  );
});
