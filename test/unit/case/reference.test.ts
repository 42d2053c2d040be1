import {
  CaseReferenceSchema,
  formatCaseReference,
  parseCaseReference,
} from '../../../shared/domain/case/reference';

describe('case references', () => {
  it('formats prefix, local year and a zero-padded six-digit sequence', () => {
    expect(formatCaseReference({ prefix: 'SCT', year: 2026, sequence: 123 })).toBe('SCT-2026-000123');
    expect(formatCaseReference({ prefix: 'SCT', year: 2026, sequence: 999_999 })).toBe('SCT-2026-999999');
  });

  it('refuses sequences the format cannot hold and bad prefixes', () => {
    expect(() => formatCaseReference({ prefix: 'SCT', year: 2026, sequence: 0 })).toThrow();
    expect(() => formatCaseReference({ prefix: 'SCT', year: 2026, sequence: 1_000_000 })).toThrow();
    expect(() => formatCaseReference({ prefix: 'sct', year: 2026, sequence: 1 })).toThrow();
    expect(() => formatCaseReference({ prefix: 'SCT', year: 26, sequence: 1 })).toThrow();
  });

  it('parses what it formats, and nothing else', () => {
    expect(parseCaseReference('SCT-2026-000123')).toEqual({ prefix: 'SCT', year: 2026, sequence: 123 });
    expect(parseCaseReference('SCT-2026-000000')).toBeUndefined();
    expect(parseCaseReference('SCT-2026-123')).toBeUndefined();
    expect(parseCaseReference('SCT-2026-000123\n')).toBeUndefined();
  });

  it('validates the shape in schemas', () => {
    expect(CaseReferenceSchema.safeParse('SCT-2026-000001').success).toBe(true);
    expect(CaseReferenceSchema.safeParse('SCT-2026-0000001').success).toBe(false);
  });
});
