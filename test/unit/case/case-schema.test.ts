import {
  AttachmentRefSchema,
  CaseSchema,
  ChannelSchema,
  RequesterSchema,
  SubjectSchema,
  BodySchema,
  parseOrThrow,
} from '../../../shared/domain/case';
import type { Case } from '../../../shared/domain/case';
import { ValidationError } from '../../../shared/errors';
import { deadline, RECEIVED_AT } from '../ledger/fixtures';

function validCase(): Case {
  return {
    caseId: '3f1c2d4e-5a6b-4c7d-8e9f-0a1b2c3d4e5f',
    reference: 'SCT-2026-000123',
    channel: 'mail',
    category: 'service-complaint',
    requester: {
      name: 'Jean Côté',
      postalAddress: {
        lines: ['875, Grande Allée Est'],
        municipality: 'Québec',
        province: 'QC',
        postalCode: 'G1R 5R8',
        country: 'CA',
      },
      phone: '418 555-0199 poste 12',
      language: 'fr',
    },
    subject: 'Accueil au comptoir',
    body: 'Lettre reçue par la poste.\r\nVoir la pièce jointe.',
    attachments: [
      {
        key: 'mail/2026/scan-0001.pdf',
        filename: 'lettre.pdf',
        contentType: 'application/pdf',
        size: 52_000,
      },
    ],
    receivedAt: RECEIVED_AT,
    registeredAt: '2026-03-04T15:00:00.000Z',
    status: 'acknowledged',
    assignee: 'responsable-plaintes',
    unit: 'secretariat-general',
    deadlines: {
      acknowledgement: {
        ...deadline(),
        revision: 1,
        originalDueAt: deadline().dueAt,
        metAt: '2026-03-05T14:00:00Z',
      },
      answer: {
        ...deadline('2026-03-30', '2026-03-31T03:59:59.999Z', 20),
        revision: 2,
        originalDueAt: '2026-03-31T03:59:59.999Z',
      },
    },
    handoffCount: 0,
    confidential: true,
    acknowledgedAt: '2026-03-05T14:00:00Z',
    promisedAnswerDate: '2026-03-30',
    nextDueAt: '2026-03-31T03:59:59.999Z',
  };
}

describe('CaseSchema', () => {
  it('accepts a staff-entered letter without email, registered after it was received', () => {
    const parsed = CaseSchema.parse(validCase());

    expect(parsed.requester.email).toBeUndefined();
    expect(parsed.deadlines.answer?.revision).toBe(2);
  });

  it('rejects unknown fields, unknown deadline kinds and a malformed reference', () => {
    expect(CaseSchema.safeParse({ ...validCase(), priority: 'high' }).success).toBe(false);
    expect(
      CaseSchema.safeParse({ ...validCase(), deadlines: { closure: validCase().deadlines.answer } }).success,
    ).toBe(false);
    expect(CaseSchema.safeParse({ ...validCase(), reference: 'SCT-26-123' }).success).toBe(false);
  });

  it('rejects a negative hand-off count and an unknown status', () => {
    expect(CaseSchema.safeParse({ ...validCase(), handoffCount: -1 }).success).toBe(false);
    expect(CaseSchema.safeParse({ ...validCase(), status: 'pending' }).success).toBe(false);
  });

  it('knows the five channels', () => {
    expect(ChannelSchema.options).toEqual(['web', 'email', 'mail', 'phone', 'in-person']);
    expect(ChannelSchema.safeParse('fax').success).toBe(false);
  });
});

describe('single-line and multi-line texts', () => {
  it.each([
    ['a line feed', 'Demande\nBcc: victim@example.org'],
    ['a carriage return', 'Demande\r'],
    ['a tab', 'Demande\tstatistiques'],
    ['a NUL', 'Demande\u0000'],
    ['a C1 control (NEL)', 'Demande\u0085suite'],
    ['a Unicode line separator', 'Demande\u2028suite'],
    ['only spaces', '   '],
    ['nothing', ''],
  ])('refuses a subject with %s', (_label, subject) => {
    expect(SubjectSchema.safeParse(subject).success).toBe(false);
  });

  it('accepts accented and typographic single-line text', () => {
    expect(SubjectSchema.safeParse('Demande d’accès — « Effectifs » 2025').success).toBe(true);
  });

  it('lets a body span lines but refuses other control characters', () => {
    expect(BodySchema.safeParse('Ligne 1\r\nLigne 2\n\tLigne 3').success).toBe(true);
    expect(BodySchema.safeParse('Ligne 1\u0007').success).toBe(false);
  });

  it('refuses a file name with a line break', () => {
    const attachment = { key: 'k/1', filename: 'a\r\nb.pdf', contentType: 'application/pdf', size: 1 };

    expect(AttachmentRefSchema.safeParse(attachment).success).toBe(false);
  });

  it('refuses a bad media type and a negative size', () => {
    const attachment = { key: 'k/1', filename: 'a.pdf', contentType: 'application/pdf', size: 1 };

    expect(AttachmentRefSchema.safeParse({ ...attachment, contentType: 'pdf' }).success).toBe(false);
    expect(AttachmentRefSchema.safeParse({ ...attachment, size: -1 }).success).toBe(false);
  });
});

describe('RequesterSchema and the language of correspondence', () => {
  const base = { name: 'Alex Smith', email: 'alex@example.com' };

  it('accepts French without a basis', () => {
    expect(RequesterSchema.safeParse({ ...base, language: 'fr' }).success).toBe(true);
  });

  it('refuses English without a basis', () => {
    const result = RequesterSchema.safeParse({ ...base, language: 'en' });

    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.path.join('.'))).toContain('languageBasis');
  });

  it('accepts English with an attested basis', () => {
    const requester = {
      ...base,
      language: 'en',
      languageBasis: { basis: 'eligible-english-instruction', attestedOn: '2026-01-15' },
    };

    expect(RequesterSchema.safeParse(requester).success).toBe(true);
  });

  it('refuses an unknown basis and a basis without its date', () => {
    expect(
      RequesterSchema.safeParse({
        ...base,
        language: 'en',
        languageBasis: { basis: 'prefers-english', attestedOn: '2026-01-15' },
      }).success,
    ).toBe(false);
    expect(
      RequesterSchema.safeParse({ ...base, language: 'en', languageBasis: { basis: 'outside-quebec' } })
        .success,
    ).toBe(false);
  });

  it('needs the arrival date for the six-month immigrant basis', () => {
    const languageBasis = { basis: 'immigrant-first-six-months', attestedOn: '2026-02-01' };

    expect(RequesterSchema.safeParse({ ...base, language: 'en', languageBasis }).success).toBe(false);
    expect(
      RequesterSchema.safeParse({
        ...base,
        language: 'en',
        languageBasis: { ...languageBasis, arrivedOn: '2026-01-10' },
      }).success,
    ).toBe(true);
  });

  it('refuses a malformed email and a name with a line break', () => {
    expect(RequesterSchema.safeParse({ ...base, email: 'not-an-email', language: 'fr' }).success).toBe(false);
    expect(RequesterSchema.safeParse({ ...base, name: 'Alex\nSmith', language: 'fr' }).success).toBe(false);
  });

  it('refuses a phone number with fewer than seven digits', () => {
    expect(RequesterSchema.safeParse({ ...base, phone: '555-12', language: 'fr' }).success).toBe(false);
  });
});

describe('parseOrThrow', () => {
  it('throws a ValidationError naming the paths but never the values', () => {
    const secret = 'Jean\nCôté secret';

    let caught: unknown;
    try {
      parseOrThrow(RequesterSchema, { name: secret, language: 'fr' }, 'requester');
    } catch (error) {
      caught = error;
    }

    expect(caught).toBeInstanceOf(ValidationError);
    expect((caught as ValidationError).name).toBe('ValidationError');
    expect((caught as ValidationError).code).toBe('VALIDATION_FAILED');
    expect(JSON.stringify((caught as ValidationError).details)).toContain('"path":"name"');
    expect(JSON.stringify((caught as ValidationError).details)).not.toContain('secret');
  });
});
