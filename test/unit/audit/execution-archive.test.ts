import { ExecutionDoesNotExist } from '@aws-sdk/client-sfn';

import {
  ArchivedExecutionHistory,
  archiveExecution,
  executionArchiveKey,
} from '../../../shared/domain/audit/execution-archive';
import type {
  ExecutionHistoryEvent,
  ExecutionHistoryReader,
  ExecutionSummary,
} from '../../../shared/domain/audit/ports';

const NAME = 'case-0001-abcdefgh';
const ARN = `arn:aws:states:ca-central-1:000000000000:execution:jalon-test-case-lifecycle:${NAME}`;
const EVENTS: ExecutionHistoryEvent[] = [
  { id: 1, timestamp: '2026-03-02T15:00:00.000Z', type: 'ExecutionStarted' },
  { id: 2, timestamp: '2026-03-02T15:00:01.000Z', type: 'WaitStateEntered', state: 'WaitUntilAckReminder' },
  { id: 3, timestamp: '2026-03-03T15:00:00.000Z', type: 'ExecutionSucceeded' },
];

class FakeSfn implements ExecutionHistoryReader {
  summary: ExecutionSummary | undefined = {
    executionArn: ARN,
    name: NAME,
    status: 'SUCCEEDED',
    startDate: '2026-03-02T15:00:00.000Z',
    stopDate: '2026-03-03T15:00:00.000Z',
  };
  describe(): Promise<ExecutionSummary | undefined> {
    return Promise.resolve(this.summary);
  }
  history(): Promise<ExecutionHistoryEvent[]> {
    if (this.summary === undefined) {
      return Promise.reject(new ExecutionDoesNotExist({ message: 'gone', $metadata: {} }));
    }
    return Promise.resolve(EVENTS);
  }
}

function store() {
  const objects = new Map<string, string>();
  return {
    objects,
    get: (key: string) => Promise.resolve(objects.get(key)),
    putIfAbsent: (key: string, body: string) => {
      const existing = objects.get(key);
      if (existing !== undefined) return Promise.resolve({ written: false as const, existing });
      objects.set(key, body);
      return Promise.resolve({ written: true as const });
    },
  };
}

describe('execution archive', () => {
  it('archives a closed execution once, and not a running one', async () => {
    const sfn = new FakeSfn();
    const archive = store();
    sfn.summary = { ...sfn.summary!, status: 'RUNNING' };
    expect(await archiveExecution({ executions: sfn, archive }, NAME)).toBe('running');
    sfn.summary = { ...sfn.summary, status: 'SUCCEEDED' };

    expect(await archiveExecution({ executions: sfn, archive }, NAME)).toBe('archived');
    expect(await archiveExecution({ executions: sfn, archive }, NAME)).toBe('already-archived');
    expect([...archive.objects.keys()]).toEqual([`executions/v1/${NAME}.json`]);
  });

  it('reads the archive once Step Functions has forgotten the execution, the same summary and events', async () => {
    const sfn = new FakeSfn();
    const archive = store();
    await archiveExecution({ executions: sfn, archive }, NAME);
    const reader = new ArchivedExecutionHistory(sfn, archive);
    const live = { summary: await reader.describe(NAME), events: await reader.history(ARN) };

    sfn.summary = undefined;

    expect({ summary: await reader.describe(NAME), events: await reader.history(ARN) }).toEqual(live);
    expect(await reader.describe('case-0002-unknown')).toBeUndefined();
  });

  it('refuses a key for anything but an execution name', () => {
    expect(() => executionArchiveKey('../ledger/v1/x')).toThrow(RangeError);
  });
});
