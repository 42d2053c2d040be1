import { senderOf } from '../../../shared/domain/intake/email/classify';
import { loadSctPolicy } from '../../../shared/domain/policy';
import { InvalidRequestError } from '../../../shared/errors';
import type { RequestIssue } from '../../../shared/errors';
import { FORM_FIELDS, issueMessage, parseFormSubmission } from '../../../shared/schemas/form';
import type { FormIssueCode } from '../../../shared/schemas/form';
import { VALID } from './fixtures';

const policy = loadSctPolicy();
const parse = (raw: unknown, receivedOn = '2026-12-18') => parseFormSubmission(raw, { policy, receivedOn });

function accepted(raw: unknown): boolean {
  try {
    parse(raw);
    return true;
  } catch (error) {
    if (error instanceof InvalidRequestError) return false;
    throw error;
  }
}

function issuesOf(raw: unknown, receivedOn?: string): RequestIssue[] {
  try {
    parse(raw, receivedOn);
  } catch (error) {
    if (error instanceof InvalidRequestError) return [...error.issues];
    throw error;
  }
  throw new Error('expected the submission to be refused');
}

describe('parseFormSubmission', () => {
  it('trims, normalizes to NFC and turns line endings into LF; blank optional fields are absent', () => {
    const parsed = parse({
      ...VALID,
      name: '  Marie Tremblay ',
      subject: 'Objet e\u0301te\u0301',
      message: ' Ligne 1\r\nLigne 2\rLigne 3 ',
      phone: '   ',
      organization: null,
    });
    expect(parsed).toEqual({
      category: 'statistics',
      name: 'Marie Tremblay',
      email: VALID.email,
      subject: 'Objet été',
      message: 'Ligne 1\nLigne 2\nLigne 3',
      website: '',
      language: 'fr',
    });
  });

  it('English with a basis and the attestation as a checkbox posts it (`yes`)', () => {
    expect(
      parse({
        ...VALID,
        language: 'en',
        languageBasis: 'immigrant-first-six-months',
        arrivedOn: '2026-07-01',
        attestation: 'yes',
      }),
    ).toMatchObject({
      language: 'en',
      languageBasis: 'immigrant-first-six-months',
      arrivedOn: '2026-07-01',
      attested: true,
    });
  });

  it('French ignores whatever the English questions hold', () => {
    const parsed = parse({ ...VALID, language: 'fr', languageBasis: 'aboriginal', attestation: 'yes' });
    expect(parsed).not.toHaveProperty('languageBasis');
    expect(parsed.language).toBe('fr');
  });

  it('the immigrant basis holds up to the same day six months after arrival', () => {
    const english = {
      ...VALID,
      language: 'en',
      languageBasis: 'immigrant-first-six-months',
      attestation: true,
    };
    expect(parse({ ...english, arrivedOn: '2026-06-18' }).language).toBe('en');
    expect(issuesOf({ ...english, arrivedOn: '2026-06-17' })).toEqual([
      expect.objectContaining({ path: 'arrivedOn', fr: expect.stringContaining('six mois') as unknown }),
    ]);
    // 31 August + 6 months is the last day of February.
    expect(parse({ ...english, arrivedOn: '2026-08-31' }, '2027-02-28').language).toBe('en');
    expect(issuesOf({ ...english, arrivedOn: '2026-08-31' }, '2027-03-01')).toHaveLength(1);
  });

  it('reports every refused field at once, one message each, in the order of the page', () => {
    const issues = issuesOf({ category: 'weather', email: 'x', message: 'ok', language: 'en' });
    expect(issues.map((issue) => issue.path)).toEqual([
      'category',
      'subject',
      'name',
      'email',
      'languageBasis',
      'attestation',
    ]);
  });

  it('reports at most five unexpected fields and never repeats an odd key', () => {
    const raw: Record<string, unknown> = { ...VALID, '<script>': 1 };
    for (let index = 0; index < 20; index += 1) raw[`extra${index}`] = index;
    const issues = issuesOf(raw);
    expect(issues).toHaveLength(5);
    expect(issues[0]).toEqual({
      path: '',
      fr: 'La requête contient un champ inattendu.',
      en: 'The request has an unexpected field.',
    });
  });
});

describe('the email address field', () => {
  const EMAIL_ERROR = {
    path: 'email',
    fr: 'Indiquez une adresse courriel valide, par exemple nom@exemple.com.',
    en: 'Enter a valid email address, such as name@example.com.',
  };

  it.each([
    'user=tag@example.org',
    'bounces+srs=marie=example.com@lists.example.org',
    "!#$%&'*+/=?^_`{|}~-@example.org",
    'o.brien@sous.domaine.example.qc.ca',
    '"john doe"@example.org',
    '"marie@bureau"@example.org',
    '"a\\"b"@example.org',
    `${'a'.repeat(64)}@example.org`,
    `${'a'.repeat(64)}@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(53)}.example`,
  ])('accepts %s, an address RFC 5322 allows, as given', (email) => {
    expect(parse({ ...VALID, email }).email).toBe(email);
  });

  it.each([
    ['no @', 'marie.example.org'],
    ['two @', 'marie@@example.org'],
    ['a space outside quotes', 'marie tremblay@example.org'],
    ['consecutive dots', 'marie..tremblay@example.org'],
    ['a leading dot', '.marie@example.org'],
    ['a trailing dot in the local part', 'marie.@example.org'],
    ['an unclosed quote', '"marie@example.org'],
    ['a domain without a dot', 'marie@localhost'],
    ['a domain ending in a dot', 'marie@example.org.'],
    ['a local part over 64 octets', `${'a'.repeat(65)}@example.org`],
    ['a comma', 'marie@example.org,paul@example.org'],
  ])('refuses an address with %s, with the field message in French and English', (_why, email) => {
    expect(issuesOf({ ...VALID, email })).toEqual([EMAIL_ERROR]);
  });

  it.each([
    ['"marie"@example.org', 'marie@example.org'],
    ['"marie.tremblay"@example.org', 'marie.tremblay@example.org'],
    ['"marie\\ tremblay"@example.org', '"marie tremblay"@example.org'],
    ['"marie\\"t"@example.org', '"marie\\"t"@example.org'],
  ])('keeps %s as email intake reads it in replies: %s', (email, stored) => {
    expect(parse({ ...VALID, email }).email).toBe(stored);
  });

  it('accepts exactly the addresses email intake accepts as senders', () => {
    const addresses = [
      'user=tag@example.org',
      '"john doe"@example.org',
      "o'brien@example.org",
      'marie tremblay@example.org',
      'marie..tremblay@example.org',
      'marie@localhost',
      'marie@[192.0.2.1]',
      'josé@example.org',
      `${'a'.repeat(65)}@example.org`,
    ];
    const byForm = addresses.filter((email) => accepted({ ...VALID, email }));
    const byIntake = addresses.filter((address) => !('route' in senderOf({ from: [{ address }] })));
    expect(byForm).toEqual(byIntake);
    expect(byForm).toEqual(['user=tag@example.org', '"john doe"@example.org', "o'brien@example.org"]);
  });

  it('refuses an address over 254 octets (RFC 5321) with the length message', () => {
    const email = `${'a'.repeat(64)}@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(54)}.example`;
    expect(issuesOf({ ...VALID, email })).toEqual([
      {
        path: 'email',
        fr: 'Le champ « Adresse courriel » doit contenir au plus 254 caractères.',
        en: '"Email address" must be 254 characters or fewer.',
      },
    ]);
  });
});

describe('issueMessage', () => {
  const codes: FormIssueCode[] = [
    'required',
    'type',
    'tooLong',
    'lineBreak',
    'control',
    'invisible',
    'emoji',
    'encoding',
  ];

  it('has a French and an English message for every field and code, without the value given', () => {
    for (const field of FORM_FIELDS) {
      for (const code of codes) {
        const message = issueMessage(field, code, 200);
        expect(message.fr.length).toBeGreaterThan(10);
        expect(message.en.length).toBeGreaterThan(10);
        expect(message.fr).not.toBe(message.en);
      }
    }
  });

  it('says the limit of a field that is too long', () => {
    expect(issueMessage('subject', 'tooLong', 300)).toEqual({
      fr: 'Le champ « Objet » doit contenir au plus 300 caractères.',
      en: '"Subject" must be 300 characters or fewer.',
    });
  });
});
