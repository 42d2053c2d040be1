import { formatPath } from '../../../shared/domain/policy';

describe('formatPath', () => {
  it('writes array indexes in brackets and fields with dots', () => {
    expect(formatPath(['categories', 2, 'acknowledgement', 'delay', 'amount'])).toBe(
      'categories[2].acknowledgement.delay.amount',
    );
  });

  it('writes the document itself as an empty path', () => {
    expect(formatPath([])).toBe('');
  });
});
