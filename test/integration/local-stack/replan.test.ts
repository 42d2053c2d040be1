import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

import { formatReplanSummary, replanStack } from '../../../cli/commands/replan';
import { startLocalStack } from '../../../infra/local/local-stack';
import type { LocalStack } from '../../../infra/local/local-stack';
import { CALENDARS_DIR } from '../../../infra/local/replan';
import { client } from './support';

/**
 * `npx jalon replan` against a running local stack: a holiday decreed in a new version of the calendar file
 * moves an open case's acknowledgement deadline one business day later, once.
 */
const run = promisify(execFile);
const BIN = path.join(__dirname, '..', '..', '..', 'bin', 'jalon.cjs');
let calendarsDir: string;
let stack: LocalStack;

beforeAll(async () => {
  calendarsDir = mkdtempSync(path.join(os.tmpdir(), 'jalon-calendars-'));
  for (const name of ['qc-fonction-publique.json', 'qc-loi-interpretation.json'])
    copyFileSync(path.join(CALENDARS_DIR, name), path.join(calendarsDir, name));
  stack = await startLocalStack({
    memory: true,
    virtualClock: '2026-12-18T15:00:00Z',
    port: 0,
    smtpPort: 0,
    quiet: true,
    stderr: () => undefined,
    calendarsDir,
  });
}, 30_000);

afterAll(async () => {
  await stack?.stop();
  rmSync(calendarsDir, { recursive: true, force: true });
});

it('re-plans an open case after a calendar gains a version, and records nothing the second time', async () => {
  const api = client(stack.urls.web);
  const agent = await api.login('agent');
  const { caseId } = await api.registerLetter(agent, 'letter-r1', '2026-12-18T14:00:00Z');
  expect((await stack.ledger.getCase(caseId))?.deadlines.acknowledgement?.dueDate).toBe('2027-01-11');

  const file = path.join(calendarsDir, 'qc-fonction-publique.json');
  const calendar = JSON.parse(readFileSync(file, 'utf8')) as { versions: Record<string, unknown>[] };
  calendar.versions.push({
    version: '2026.2',
    effectiveFrom: '2026-12-18',
    ruleSet: 'qc-fonction-publique',
    officialYears: {},
    additionalClosures: [{ date: '2027-01-07', name: { fr: 'Jour décrété', en: 'Decreed day' } }],
  });
  writeFileSync(file, JSON.stringify(calendar));

  const { stdout } = await run(process.execPath, [BIN, 'replan', '--url', stack.urls.web]);
  const again = await replanStack(stack.urls.web);

  expect(stdout).toContain(
    'Cases checked: 1\nDeadlines moved: 1\nKept because communicated to the requester: 0',
  );
  expect(stdout).toContain(`${caseId} acknowledgement: 2027-01-11 -> 2027-01-12`);
  const projection = await stack.ledger.getCase(caseId);
  expect(projection?.deadlines.acknowledgement).toMatchObject({
    dueDate: '2027-01-12',
    proof: { calendar: { version: '2026.2' } },
  });
  expect((await stack.ledger.read(caseId)).filter((e) => e.type === 'deadline.recalculated')).toHaveLength(1);
  expect(again).toMatchObject({ checked: 1, changed: 0, keptCommunicated: 0, failed: [] });
  expect(formatReplanSummary(again)).toBe(
    'Cases checked: 1\nDeadlines moved: 0\nKept because communicated to the requester: 0',
  );

  // The running workflow (the real ASL on the local engine) waits for instants planned from the old date: at
  // each it re-checks and waits again. Past the old deadline action (Monday 11, 15:30), nothing acknowledged.
  await api.clock({ to: '2027-01-11T23:00:00Z' });
  const types = async () => (await stack.ledger.read(caseId)).map((e) => e.type);
  expect(await types()).not.toContain('case.acknowledged');
  const reminders = async () =>
    (await stack.ledger.read(caseId)).filter((e) => e.type === 'step.done').map((e) => e.data);
  expect((await reminders()).filter((d) => 'stepId' in d && d.stepId === 'ack-reminder')).toHaveLength(1);

  // The new deadline action (Tuesday 12, 15:30 in Québec) acknowledges automatically, once.
  await api.clock({ to: '2027-01-13T01:00:00Z' });
  const acknowledged = (await stack.ledger.read(caseId)).filter((e) => e.type === 'case.acknowledged');
  expect(acknowledged).toHaveLength(1);
  expect(Date.parse(acknowledged[0]!.at)).toBeGreaterThan(Date.parse('2027-01-12T05:00:00Z'));
  expect((await reminders()).filter((d) => 'stepId' in d && d.stepId === 'ack-reminder')).toHaveLength(1);
}, 120_000);
