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
 * would move an open case's acknowledgement deadline one business day later; the date its receipt letter gave
 * stands, recorded once.
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

it('keeps the acknowledgement date the receipt letter gave when a decreed day would make it later, once', async () => {
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
    'Cases checked: 1\nDeadlines moved: 0\nKept because communicated to the requester: 1',
  );
  expect(stdout).toContain(
    `${caseId} acknowledgement: kept 2027-01-11 (the date given to the requester; recalculated 2027-01-12)`,
  );
  const projection = await stack.ledger.getCase(caseId);
  expect(projection?.deadlines.acknowledgement).toMatchObject({
    dueDate: '2027-01-11',
    proof: { calendar: { version: '2026.1' } },
  });
  const recalculated = (await stack.ledger.read(caseId)).filter((e) => e.type === 'deadline.recalculated');
  expect(recalculated).toHaveLength(1);
  expect(recalculated[0]?.data).toMatchObject({
    notApplied: { why: 'communicated-to-requester', deadline: { dueDate: '2027-01-12' } },
  });
  expect(again).toMatchObject({ checked: 1, changed: 0, keptCommunicated: 0, woken: 0, failed: [] });
  expect(formatReplanSummary(again)).toBe(
    'Cases checked: 1\nDeadlines moved: 0\nKept because communicated to the requester: 0',
  );

  // The running workflow (the real ASL on the local engine) acts on the date the requester was given, once;
  // nothing was sent or prepared for the post because of the re-planning.
  await api.clock({ to: '2027-01-13T01:00:00Z' });
  const events = await stack.ledger.read(caseId);
  const acknowledged = events.filter((e) => e.type === 'case.acknowledged');
  expect(acknowledged).toHaveLength(1);
  expect(acknowledged[0]!.at < '2027-01-12T05:00:00Z').toBe(true);
  expect(events.filter((e) => e.type === 'workflow.started').map((e) => e.data.generation)).not.toContain(2);
  expect(
    events.filter((e) => e.actor.kind === 'system' && e.actor.id === 'replan').map((e) => e.type),
  ).toEqual(['deadline.recalculated']);
}, 120_000);
