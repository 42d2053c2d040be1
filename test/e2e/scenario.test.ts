import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { startLocalStack } from '../../infra/local/local-stack';
import type { LocalStack } from '../../infra/local/local-stack';
import type { OutboxMessage } from '../../infra/local/outbox';
import type { LedgerEvent } from '../../shared/domain/ledger/events';
import { client, sendSmtp } from '../integration/local-stack/support';

/**
 * The whole of Jalon as a newcomer meets it, through its public doors only: the citizen form, an email over
 * SMTP, the staff API with demo logins, the outbox and the virtual clock. The scenario runs twice: once in
 * memory without interruption, once on a data folder with a stop and a restart in the middle of a wait; the
 * second run must send exactly the messages of the first, at the same instants.
 */
const START = '2026-12-18T15:00:00.000Z';
const CITIZEN = 'marie.tremblay@example.com';
const EMAILER = 'alex.martin@example.org';
const STAFF_DOMAIN = '@sct.example';

const FORM = {
  category: 'statistics',
  name: 'Marie Tremblay',
  email: CITIZEN,
  subject: 'Effectifs de la fonction publique 2025',
  message: 'Bonjour,\nPourriez-vous me transmettre les effectifs par ministère?\nMerci.',
};

const EMAIL =
  `From: Alex Martin <${EMAILER}>\nTo: statistiques@sct.example\nSubject: Acquisitions 2025\n` +
  'Message-ID: <e2e-0001@example.org>\nDate: Fri, 18 Dec 2026 15:00:00 +0000\n' +
  'Content-Type: text/plain; charset=utf-8\n\nBonjour, pourriez-vous me transmettre les acquisitions 2025?';

type Api = ReturnType<typeof client>;

interface ScenarioRun {
  readonly formCase: { caseId: string; reference: string };
  readonly emailCase: { caseId: string; reference: string };
  /** The outbox after each step, keyed by step name. */
  readonly outboxAt: Record<string, OutboxMessage[]>;
  readonly ledgers: Record<string, LedgerEvent[]>;
  readonly statuses: Record<string, string>;
  /** What the auditor gets: each case's timeline, and the whole-ledger check. */
  readonly timelines: Record<string, Timeline>;
  readonly verify: { ok: boolean; cases: number; events: number; badCases?: unknown[] };
}

interface Timeline {
  readonly case: { caseId: string; status: string; scope: string };
  readonly deadlines: { kind: string; dueDate: string; proof: { explanation: { fr: string; en: string } } }[];
  readonly events: {
    seq: number;
    at: string;
    type: string;
    actor: { kind: string };
    details: Record<string, unknown>;
  }[];
  readonly execution: { name: string; status: string; events: { type: string; state?: string }[] }[];
  readonly chain: { ok: boolean };
}

/**
 * Instant, recipients and subject of each message, sorted: what a restarted run must reproduce exactly (two
 * cases' steps due at the same instant may reach the outbox in either order).
 */
function lines(messages: readonly OutboxMessage[]): string[] {
  return messages.map((message) => `${message.sentAt} ${message.to.join(',')} | ${message.subject}`).sort();
}

function toRequester(messages: readonly OutboxMessage[], address: string): OutboxMessage[] {
  return messages.filter((message) => message.to.includes(address));
}

function toStaff(messages: readonly OutboxMessage[]): OutboxMessage[] {
  return messages.filter((message) => message.to.every((to) => to.endsWith(STAFF_DOMAIN)));
}

async function staffAction(
  api: Api,
  token: string,
  caseId: string,
  action: string,
  body: unknown,
  key: string,
) {
  const response = await api.request(
    'POST',
    `/api/staff/cases/${encodeURIComponent(caseId)}/${action}`,
    body,
    {
      authorization: `Bearer ${token}`,
      'idempotency-key': key,
    },
  );
  if (response.status !== 201) throw new Error(`${action} answered ${response.status}: ${response.text}`);
  return response.json;
}

/**
 * Runs the scenario; `pause` is called while both cases wait for their next timer (after the acknowledgement
 * of the email case, before the other case's acknowledgement deadline) and returns the stack to go on with.
 */
async function runScenario(
  first: LocalStack,
  pause: (stack: LocalStack) => Promise<LocalStack> = async (stack) => stack,
): Promise<{ run: ScenarioRun; stack: LocalStack }> {
  let stack = first;
  let api = client(stack.urls.web);
  const outboxAt: Record<string, OutboxMessage[]> = {};

  const submitted = await api.request('POST', '/api/requests', FORM, { 'idempotency-key': 'e2e-form-0001' });
  if (submitted.status !== 201) throw new Error(`form answered ${submitted.status}: ${submitted.text}`);
  const formCase = submitted.json as { caseId: string; reference: string };
  await api.clock({ advance: 'PT0S' });
  outboxAt['form'] = await api.outbox();

  const replies = await sendSmtp(stack.ports.smtp, EMAILER, 'statistiques@sct.example', EMAIL);
  if (!replies.some((reply) => reply.startsWith('250 Message accepted'))) {
    throw new Error(`SMTP refused the message: ${replies.join(' / ')}`);
  }
  await api.clock({ advance: 'PT0S' });
  outboxAt['email'] = await api.outbox();

  const agent = await api.login('agent');
  const listed = await api.request('GET', '/api/staff/cases', undefined, {
    authorization: `Bearer ${agent}`,
  });
  const cases = listed.json['cases'] as { caseId: string; reference: string; channel: string }[];
  const emailCase = cases.find((item) => item.channel === 'email');
  if (emailCase === undefined) throw new Error(`no email case in the work list: ${listed.text}`);

  await api.clock({ to: '2027-01-08T18:00:00Z' });
  outboxAt['2027-01-08'] = await api.outbox();

  await staffAction(api, agent, emailCase.caseId, 'acknowledge', { answerBy: '2027-02-15' }, 'e2e-ack-0001');
  await api.clock({ advance: 'PT0S' });
  outboxAt['acknowledged'] = await api.outbox();

  stack = await pause(stack);
  api = client(stack.urls.web);
  const token = await api.login('agent');

  await api.clock({ to: '2027-01-12T18:00:00Z' });
  outboxAt['2027-01-12'] = await api.outbox();

  await staffAction(
    api,
    token,
    emailCase.caseId,
    'answer',
    { message: 'Bonjour,\nVoici les acquisitions 2025 demandées.\nCordialement.' },
    'e2e-answer-0001',
  );
  await staffAction(api, token, emailCase.caseId, 'close', { outcome: 'answered' }, 'e2e-close-0001');
  await api.clock({ advance: 'PT0S' });
  outboxAt['closed'] = await api.outbox();

  const ledgers: Record<string, LedgerEvent[]> = {};
  const statuses: Record<string, string> = {};
  const timelines: Record<string, Timeline> = {};
  const auditor = { authorization: `Bearer ${await api.login('auditor')}` };
  for (const caseId of [formCase.caseId, emailCase.caseId]) {
    ledgers[caseId] = await stack.ledger.read(caseId);
    statuses[caseId] = (await stack.ledger.getCase(caseId))?.status ?? 'missing';
    const timeline = await api.request('GET', `/api/audit/cases/${caseId}/timeline`, undefined, auditor);
    if (timeline.status !== 200) throw new Error(`timeline answered ${timeline.status}: ${timeline.text}`);
    timelines[caseId] = timeline.json as unknown as Timeline;
  }
  const verify = await api.request('GET', '/api/audit/ledger/verify', undefined, auditor);
  return {
    run: {
      formCase,
      emailCase: { caseId: emailCase.caseId, reference: emailCase.reference },
      outboxAt,
      ledgers,
      statuses,
      timelines,
      verify: verify.json as unknown as ScenarioRun['verify'],
    },
    stack,
  };
}

const quiet = { port: 0, smtpPort: 0, quiet: true } as const;

describe('end to end, as a newcomer would use it', () => {
  let uninterrupted: ScenarioRun;

  describe('in memory, on a virtual clock from 2026-12-18T15:00Z', () => {
    let stack: LocalStack | undefined;
    afterAll(async () => {
      await stack?.stop();
    });

    it('runs the whole scenario', async () => {
      stack = await startLocalStack({ memory: true, virtualClock: START, ...quiet });
      const result = await runScenario(stack);
      stack = result.stack;
      uninterrupted = result.run;
      expect(uninterrupted.formCase.reference).toMatch(/^SCT-2026-\d{6}$/);
    }, 120_000);

    it('acknowledged receipt of the form at once, with the case reference', () => {
      const { formCase, outboxAt } = uninterrupted;
      const receipts = toRequester(outboxAt['form'] ?? [], CITIZEN);

      expect(receipts.map((message) => message.subject)).toEqual([
        `Réception de votre demande – ${formCase.reference}`,
      ]);
      expect(receipts[0]?.sentAt).toBe(START);
      expect(receipts[0]?.text).toContain(formCase.reference);
    });

    it('turned the email into a second case with its own receipt', () => {
      const { formCase, emailCase, outboxAt } = uninterrupted;
      const receipts = toRequester(outboxAt['email'] ?? [], EMAILER);

      expect(emailCase.caseId).not.toBe(formCase.caseId);
      expect(receipts.map((message) => message.subject)).toEqual([
        `Réception de votre demande – ${emailCase.reference}`,
      ]);
    });

    it('by 2027-01-08 reminded and escalated both cases to staff, and wrote nothing more to the requesters', () => {
      const { formCase, emailCase, outboxAt } = uninterrupted;
      const added = (outboxAt['2027-01-08'] ?? []).slice((outboxAt['email'] ?? []).length);

      expect(toStaff(added)).toHaveLength(added.length);
      for (const reference of [formCase.reference, emailCase.reference]) {
        const subjects = added
          .map((message) => message.subject)
          .filter((subject) => subject.includes(reference));
        expect(subjects).toEqual([
          expect.stringMatching(
            /^Rappel – dossier .*accusé de réception au plus tard le lundi 11 janvier 2027$/,
          ),
          expect.stringMatching(/^Escalade – dossier .*accusé de réception \(lundi 11 janvier 2027\)$/),
        ]);
      }
    });

    it('sent the acknowledgement of the email case with the promised answer date', () => {
      const { emailCase, outboxAt } = uninterrupted;
      const added = (outboxAt['acknowledged'] ?? []).slice((outboxAt['2027-01-08'] ?? []).length);
      const acknowledgement = toRequester(added, EMAILER);

      expect(acknowledgement).toHaveLength(1);
      expect(acknowledgement[0]?.subject).toContain(emailCase.reference);
      expect(acknowledgement[0]?.text).toContain('15 février 2027');
    });

    it('after 2027-01-11 applied the acknowledgement deadline action to the form case, not to the email case', () => {
      const { formCase, emailCase, outboxAt, ledgers } = uninterrupted;
      const added = (outboxAt['2027-01-12'] ?? []).slice((outboxAt['acknowledged'] ?? []).length);
      const formEvents = ledgers[formCase.caseId] ?? [];
      const emailEvents = ledgers[emailCase.caseId] ?? [];
      const acknowledged = formEvents.find((event) => event.type === 'case.acknowledged');

      expect(toRequester(added, CITIZEN).map((message) => message.subject)).toEqual([
        expect.stringContaining(formCase.reference),
      ]);
      expect(toRequester(added, EMAILER)).toEqual([]);
      // The director: warned at 08:30, then told at 15:30 what the system did (two different messages).
      expect(
        toRequester(added, 'statistics-directors@sct.example').map((message) => message.subject),
      ).toEqual([
        `Escalade – dossier ${formCase.reference}\u00a0: accusé de réception (lundi 11 janvier 2027)`,
        `Échéance d’accusé de réception atteinte – dossier ${formCase.reference} (lundi 11 janvier 2027)`,
      ]);
      expect(acknowledged?.at).toBe('2027-01-11T20:30:00.000Z');
      expect(acknowledged?.actor.kind).toBe('system');
      expect(emailEvents.filter((event) => event.type === 'case.acknowledged')).toHaveLength(1);
    });

    it('answered and closed the email case; the form case stays open for its answer', () => {
      const { formCase, emailCase, outboxAt, statuses } = uninterrupted;
      const added = (outboxAt['closed'] ?? []).slice((outboxAt['2027-01-12'] ?? []).length);

      expect(toRequester(added, EMAILER).map((message) => message.text)).toEqual([
        expect.stringContaining('Voici les acquisitions 2025 demandées.'),
      ]);
      expect(statuses[emailCase.caseId]).toBe('closed');
      expect(statuses[formCase.caseId]).toBe('acknowledged');
    });

    it('gives the auditor every step of each case, ledger and workflow, and a sound ledger', () => {
      const { formCase, emailCase, timelines, ledgers, verify } = uninterrupted;
      const email = timelines[emailCase.caseId];
      const form = timelines[formCase.caseId];
      const steps = (timeline: Timeline | undefined) =>
        (timeline?.events ?? []).flatMap((event) =>
          event.type === 'step.done' ? [String(event.details['stepId'])] : [],
        );
      const states = (timeline: Timeline | undefined) =>
        new Set((timeline?.execution ?? []).flatMap((run) => run.events.map((event) => event.state)));

      // Every ledger event, in order, with who did it.
      expect(email?.events.map((event) => event.type)).toEqual(ledgers[emailCase.caseId]?.map((e) => e.type));
      expect(email?.events.map((event) => event.type)).toEqual(
        expect.arrayContaining([
          'case.received',
          'case.registered',
          'deadline.planned',
          'case.assigned',
          'message.sent',
          'step.done',
          'case.acknowledged',
          'case.answered',
          'case.closed',
        ]),
      );
      expect(email?.events.find((event) => event.type === 'case.acknowledged')?.actor.kind).toBe('staff');
      expect(steps(email)).toEqual(['ack-reminder', 'ack-escalation-supervisor']);
      expect(steps(form)).toEqual([
        'ack-reminder',
        'ack-escalation-supervisor',
        'ack-escalation-director',
        'ack-deadline-action',
      ]);
      // The deadlines with their proofs, and the workflow's own history (waits and the steps' tasks).
      expect(email?.deadlines.find((deadline) => deadline.kind === 'acknowledgement')?.dueDate).toBe(
        '2027-01-11',
      );
      expect(email?.deadlines.find((deadline) => deadline.kind === 'answer')?.dueDate).toBe('2027-02-15');
      expect(form?.deadlines[0]?.proof.explanation.fr).toContain('lundi 11 janvier 2027');
      expect(email?.execution.map((run) => run.name)).toEqual([emailCase.caseId]);
      expect(form?.execution.map((run) => [run.name, run.status])).toEqual([[formCase.caseId, 'RUNNING']]);
      for (const state of [
        'WaitUntilAckStep',
        'SendAckReminder',
        'EscalateMissingAck',
        'ApplyAckDeadlineAction',
      ]) {
        expect(states(form).has(state)).toBe(true);
      }
      // Metadata only: the auditor never sees what the requester wrote.
      expect(JSON.stringify(timelines)).not.toContain('acquisitions 2025?');
      expect(JSON.stringify(timelines)).not.toContain(CITIZEN);
      expect(email?.chain).toEqual({ ok: true });
      const eventCount = Object.values(ledgers).reduce((sum, events) => sum + events.length, 0);
      expect(verify).toEqual({ ok: true, cases: 2, events: eventCount });
    });

    it('recorded every message sent exactly once in the ledger', () => {
      const { outboxAt, ledgers } = uninterrupted;
      const recorded = Object.values(ledgers).flatMap((events) =>
        events.flatMap((event) => (event.type === 'message.sent' ? [event.data.messageId] : [])),
      );

      expect((outboxAt['closed'] ?? []).map((message) => message.id).sort()).toEqual([...recorded].sort());
    });
  });

  describe('on a data folder, stopped and started again in the middle of a wait', () => {
    let dataDir: string;
    let stack: LocalStack | undefined;
    beforeAll(() => {
      dataDir = mkdtempSync(path.join(os.tmpdir(), 'jalon-e2e-'));
    });
    afterAll(async () => {
      await stack?.stop();
      rmSync(dataDir, { recursive: true, force: true });
    });

    it('sends exactly the messages of the uninterrupted run, at the same instants, and loses no step', async () => {
      stack = await startLocalStack({ dataDir, virtualClock: START, ...quiet });
      let resumed = -1;
      const result = await runScenario(stack, async (running) => {
        await running.stop();
        const restarted = await startLocalStack({ dataDir, virtualClock: true, ...quiet });
        resumed = restarted.resumedCases;
        return restarted;
      });
      stack = result.stack;
      const run = result.run;

      expect(resumed).toBe(2);
      expect(run.formCase).toEqual(uninterrupted.formCase);
      expect(run.emailCase).toEqual(uninterrupted.emailCase);
      for (const step of Object.keys(uninterrupted.outboxAt)) {
        expect(lines(run.outboxAt[step] ?? [])).toEqual(lines(uninterrupted.outboxAt[step] ?? []));
      }
      for (const caseId of Object.keys(uninterrupted.ledgers)) {
        // SES's delivery reports reach the case after the command that sent the mail, a moment later (as in
        // AWS): their place among that instant's events is not the system's to fix, their number is.
        const isReport = (event: LedgerEvent) => event.type === 'message.delivered';
        const types = (events: readonly LedgerEvent[] | undefined) =>
          (events ?? []).filter((event) => !isReport(event)).map((event) => `${event.at} ${event.type}`);
        const reports = (events: readonly LedgerEvent[] | undefined) =>
          (events ?? []).filter(isReport).map((event) => event.at);
        expect(types(run.ledgers[caseId])).toEqual(types(uninterrupted.ledgers[caseId]));
        expect(reports(run.ledgers[caseId])).toEqual(reports(uninterrupted.ledgers[caseId]));
      }
    }, 180_000);
  });
});
