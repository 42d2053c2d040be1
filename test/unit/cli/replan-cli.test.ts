import { createServer } from 'node:net';

import { formatReplanSummary, replanStack } from '../../../cli/commands/replan';

describe('jalon replan', () => {
  it('prints the counts, each deadline moved, each kept with why, and the cases to run again', () => {
    const text = formatReplanSummary({
      checked: 3,
      changed: 1,
      keptCommunicated: 1,
      woken: 1,
      failed: ['case-c'],
      deadlines: [
        { caseId: 'case-a', kind: 'answer', outcome: 'changed', from: '2027-01-25', to: '2027-01-26' },
        {
          caseId: 'case-b',
          kind: 'acknowledgement',
          outcome: 'kept-communicated',
          from: '2027-01-12',
          to: '2027-01-11',
        },
      ],
    });

    expect(text.split('\n')).toEqual([
      'Cases checked: 3',
      'Deadlines moved: 1',
      'Kept because communicated to the requester: 1',
      'Workflows woken for an earlier date: 1',
      'Failed (run again): case-c',
      '  case-a answer: 2027-01-25 -> 2027-01-26',
      '  case-b acknowledgement: kept 2027-01-12 (the date given to the requester; recalculated 2027-01-11)',
    ]);
  });

  it('says how to start the stack when none answers', async () => {
    // A port that was free a moment ago: nothing listens on it.
    const port = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const address = server.address();
        server.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 0));
      });
    });

    await expect(replanStack(`http://127.0.0.1:${port}`)).rejects.toMatchObject({
      name: 'ReplanCommandError',
      message: expect.stringContaining('npm start') as unknown,
    });
  });
});
