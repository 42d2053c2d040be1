import { multiLineText, singleLineText } from '../../../shared/domain/case/text';
import { AnswerBodySchema, StaffIntakeBodySchema, parseRequest } from '../../../shared/schemas/staff-api';
import { InvalidRequestError } from '../../../shared/errors';

/** Far over any limit: the character checks of a text must not even run on it (they used to overflow the stack). */
const HUGE = 'a'.repeat(9_000_000);

describe('texts far over their maximum length', () => {
  it.each([
    ['multi-line', multiLineText(50_000)],
    ['single-line', singleLineText(300)],
  ])('a %s text is refused as too long, with no other issue and no stack overflow', (_label, schema) => {
    const result = schema.safeParse(HUGE);

    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.code)).toEqual(['too_big']);
  });

  it('a 9 MB answer or intake body field is a 400 on that field, not a RangeError', () => {
    const errors = [
      () => parseRequest(AnswerBodySchema, { message: HUGE }),
      () =>
        parseRequest(StaffIntakeBodySchema, {
          channel: 'mail',
          category: 'statistics',
          requester: { name: 'Marie Gagnon', language: 'fr' },
          subject: 'Effectifs',
          body: HUGE,
          receivedAt: '2026-03-02T14:00:00Z',
          evidence: { kind: 'postmark', reference: 'scan-0001' },
        }),
    ].map((parse) => {
      try {
        parse();
        return undefined;
      } catch (error) {
        return error;
      }
    });

    expect(errors[0]).toBeInstanceOf(InvalidRequestError);
    expect((errors[0] as InvalidRequestError).issues.map((issue) => issue.path)).toEqual(['message']);
    expect(errors[1]).toBeInstanceOf(InvalidRequestError);
    expect((errors[1] as InvalidRequestError).issues.map((issue) => issue.path)).toEqual(['body']);
  });

  it('still refuses control characters in a text within its length', () => {
    expect(multiLineText(100).safeParse('ligne\u0007').success).toBe(false);
    expect(multiLineText(100).safeParse('ligne 1\r\n\tligne 2').success).toBe(true);
  });
});
