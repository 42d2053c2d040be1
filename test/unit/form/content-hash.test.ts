import {
  DEDUPE_WINDOW_MS,
  clientIntakeKey,
  dedupeBucket,
  hashIntakeKey,
  submissionFingerprint,
  type SubmissionContent,
} from '../../../shared/domain/intake/form/content-hash';

const CONTENT: SubmissionContent = {
  category: 'statistics',
  requester: { name: 'Marie Tremblay', email: 'marie@example.com', phone: '418 555-0199', language: 'fr' },
  subject: 'Effectifs 2025',
  body: 'Bonjour,\nune question.',
};

describe('submissionFingerprint', () => {
  it('is the same for a retyped submission: blanks, letter case of the email, line endings, Unicode forms', () => {
    const retyped: SubmissionContent = {
      ...CONTENT,
      requester: {
        ...CONTENT.requester,
        name: ' Marie\u00a0 Tremblay ',
        email: 'Marie@Example.COM',
        phone: '(418) 555-0199',
      },
      subject: 'Effectifs  2025 ',
      body: 'Bonjour,  \r\nune question.\r\n',
    };
    const decomposed: SubmissionContent = { ...CONTENT, subject: 'Effectifs 2025'.normalize('NFD') };

    expect(submissionFingerprint(retyped)).toBe(submissionFingerprint(CONTENT));
    expect(submissionFingerprint(decomposed)).toBe(submissionFingerprint(CONTENT));
  });

  it('ignores the date of the attestation but not the basis', () => {
    const english = (basis: 'outside-quebec' | 'aboriginal', attestedOn: string): SubmissionContent => ({
      ...CONTENT,
      requester: { ...CONTENT.requester, language: 'en', languageBasis: { basis, attestedOn } },
    });

    expect(submissionFingerprint(english('outside-quebec', '2026-12-18'))).toBe(
      submissionFingerprint(english('outside-quebec', '2026-12-19')),
    );
    expect(submissionFingerprint(english('outside-quebec', '2026-12-18'))).not.toBe(
      submissionFingerprint(english('aboriginal', '2026-12-18')),
    );
  });

  it('differs when anything the person asked differs', () => {
    const variants: SubmissionContent[] = [
      { ...CONTENT, category: 'policies' },
      { ...CONTENT, subject: 'Effectifs 2024' },
      { ...CONTENT, body: 'Bonjour,\nune autre question.' },
      { ...CONTENT, requester: { ...CONTENT.requester, name: 'Marie Tremblay-Roy' } },
      { ...CONTENT, requester: { ...CONTENT.requester, email: 'marie@example.org' } },
    ];
    const hashes = new Set([CONTENT, ...variants].map(submissionFingerprint));
    expect(hashes.size).toBe(variants.length + 1);
  });
});

describe('intake keys', () => {
  it('keys a client key and a content hash in separate namespaces', () => {
    const fingerprint = submissionFingerprint(CONTENT);
    const at = Date.parse('2026-12-18T15:04:59.999Z');
    expect(clientIntakeKey('4f9c2d1e')).toBe('form:key:4f9c2d1e');
    expect(hashIntakeKey(fingerprint, at)).toBe(
      `form:hash:${fingerprint}:${Math.floor(at / DEDUPE_WINDOW_MS)}`,
    );
  });

  it('puts instants in 10-minute buckets that start every 10 minutes', () => {
    expect(dedupeBucket(Date.parse('2026-12-18T15:00:00.000Z'))).toBe(
      dedupeBucket(Date.parse('2026-12-18T15:09:59.999Z')),
    );
    expect(dedupeBucket(Date.parse('2026-12-18T15:10:00.000Z'))).toBe(
      dedupeBucket(Date.parse('2026-12-18T15:09:59.999Z')) + 1,
    );
  });
});
