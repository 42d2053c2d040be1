import { createHash } from 'node:crypto';
import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

import { startLocalStack } from '../../../infra/local/local-stack';
import type { LocalStack } from '../../../infra/local/local-stack';
import { CALENDARS_DIR } from '../../../infra/local/replan';
import { caseIdFor } from '../../../shared/domain/intake/register-case';
import { loadSctPolicy } from '../../../shared/domain/policy/sct';
import { client, sendSmtp } from './support';

/**
 * `npx jalon replan` against a running local stack, the other way: a decreed closure withdrawn in a new version
 * of the calendar file makes an acknowledgement deadline nobody was told of (a forged sender gets no receipt)
 * one business day earlier. The case's workflow (the real ASL on the local engine) is woken and acts on the new
 * day, once.
 */
const run = promisify(execFile);
const BIN = path.join(__dirname, '..', '..', '..', 'bin', 'jalon.cjs');
const DECREED = { fr: 'Jour décrété', en: 'Decreed day' };
let calendarsDir: string;
let stack: LocalStack;

beforeAll(async () => {
  calendarsDir = mkdtempSync(path.join(os.tmpdir(), 'jalon-calendars-'));
  copyFileSync(
    path.join(CALENDARS_DIR, 'qc-loi-interpretation.json'),
    path.join(calendarsDir, 'qc-loi-interpretation.json'),
  );
  const calendar = JSON.parse(
    readFileSync(path.join(CALENDARS_DIR, 'qc-fonction-publique.json'), 'utf8'),
  ) as { versions: Record<string, unknown>[] };
  calendar.versions.push({
    version: '2026.2',
    effectiveFrom: '2026-12-01',
    ruleSet: 'qc-fonction-publique',
    officialYears: {},
    additionalClosures: [{ date: '2027-01-07', name: DECREED }],
  });
  writeFileSync(path.join(calendarsDir, 'qc-fonction-publique.json'), JSON.stringify(calendar));
  stack = await startLocalStack({
    memory: true,
    virtualClock: '2026-12-18T15:00:00Z',
    port: 0,
    smtpPort: 0,
    quiet: true,
    stderr: () => undefined,
    calendarsDir,
    mailAuthentication: ({ mailFrom }) =>
      mailFrom.endsWith('@bank.example')
        ? { spf: 'fail', dkim: 'none', dmarc: 'fail' }
        : { spf: 'pass', dkim: 'pass', dmarc: 'pass' },
  });
}, 30_000);

afterAll(async () => {
  await stack?.stop();
  rmSync(calendarsDir, { recursive: true, force: true });
});

it('wakes the workflow of a case whose acknowledgement deadline moved earlier: acted on the new day, once', async () => {
  const api = client(stack.urls.web);
  const messageId = 'forged-r1@bank.example';
  await sendSmtp(
    stack.ports.smtp,
    'ceo@bank.example',
    'statistiques@sct.example',
    `From: Someone <ceo@bank.example>\nTo: statistiques@sct.example\nSubject: Statistiques\n` +
      `Message-ID: <${messageId}>\nDate: Fri, 18 Dec 2026 15:30:00 +0000\n\nBonjour.`,
  );
  await api.clock({ advance: 'PT0S' });
  const hash = createHash('sha256').update(messageId, 'utf8').digest('hex');
  const caseId = caseIdFor(loadSctPolicy(), `email:${hash}`);
  const events = () => stack.ledger.read(caseId);
  expect((await events()).map((e) => e.type)).toContain('receipt.withheld');
  expect((await stack.ledger.getCase(caseId))?.deadlines.acknowledgement?.dueDate).toBe('2027-01-12');

  // On Monday 11 January, after the supervisor's escalation, the decree is withdrawn (a new version without
  // the closure, in force from 4 January). The first generation sleeps until Tuesday 12 (its next step).
  await api.clock({ to: '2027-01-11T14:00:00Z' });
  const file = path.join(calendarsDir, 'qc-fonction-publique.json');
  const calendar = JSON.parse(readFileSync(file, 'utf8')) as { versions: Record<string, unknown>[] };
  calendar.versions.push({
    version: '2027.1',
    effectiveFrom: '2027-01-04',
    ruleSet: 'qc-fonction-publique',
    officialYears: {},
    additionalClosures: [],
  });
  writeFileSync(file, JSON.stringify(calendar));
  const { stdout } = await run(process.execPath, [BIN, 'replan', '--url', stack.urls.web]);

  expect(stdout).toContain(`${caseId} acknowledgement: 2027-01-12 -> 2027-01-11`);
  expect(stdout).toContain('Workflows woken for an earlier date: 1');
  expect((await events()).filter((e) => e.type === 'workflow.started').map((e) => e.data)).toContainEqual({
    generation: 2,
    trigger: 'replan',
  });

  // Monday 11, after the new deadline action (an hour before closing in Québec): done on that day.
  await api.clock({ to: '2027-01-11T23:00:00Z' });
  const actionDone = (await events()).filter(
    (e) => e.type === 'step.done' && (e.data as { stepId: string }).stepId === 'ack-deadline-action',
  );
  expect(actionDone).toHaveLength(1);
  expect(actionDone[0]!.at >= '2027-01-11T05:00:00Z' && actionDone[0]!.at < '2027-01-12T05:00:00Z').toBe(
    true,
  );
  const outboxOnTheDay = await api.outbox();

  // Past the instant the first generation had planned (Tuesday 12): nothing more, nothing twice.
  await api.clock({ to: '2027-01-13T01:00:00Z' });
  const after = await events();
  const stepsDone = after
    .filter((e) => e.type === 'step.done')
    .map((e) => (e.data as { stepId: string }).stepId);
  expect(stepsDone.filter((id) => id === 'ack-deadline-action')).toHaveLength(1);
  expect(new Set(stepsDone).size).toBe(stepsDone.length);
  expect(await api.outbox()).toHaveLength(outboxOnTheDay.length);
}, 120_000);
