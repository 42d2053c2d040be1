import { InMemoryAccessJournal } from '../shared/domain/access/access-journal';
import type { StaffIdentity } from '../shared/domain/identity/identity';
import type { LedgerEvent } from '../shared/domain/ledger';
import { loadSctPolicy } from '../shared/domain/policy';
import type { Category } from '../shared/domain/policy/schema';
import { gzipSync } from 'node:zlib';

import { serviceStatementReport, whatIfCases, whatIfReport } from '../shared/domain/report';
import { bundledCalendars, computeDeadline, localDateOf } from '../shared/domain/time';
import { actionInstant } from '../shared/domain/workflow/plan';
import { timeMedian } from './stats';

const DAY = 86_400_000;
const HASH = 'a'.repeat(64);
const YEAR = { from: '2026-01-01', to: '2026-12-31' } as const;
const AUDITOR: StaffIdentity = { id: 'aud-bench', roles: ['auditor'], units: [] };

type Draft = { type: LedgerEvent['type']; at: string; data: unknown; actor?: LedgerEvent['actor'] };

/**
 * A year of `count` cases (January to December 2026, request categories in turn), each history shaped as the
 * workflow and the staff commands record it (receipt, registration, deadlines, routing, messages, workflow
 * steps, acknowledgement, answer, closing: 14 to 18 events), in four paths: acknowledged by staff early,
 * acknowledged by staff late in the delay, acknowledged by the workflow at the deadline, extended. Deterministic.
 */
export function yearOfCases(count: number): LedgerEvent[][] {
  const policy = loadSctPolicy();
  const calendars = bundledCalendars();
  const categories = policy.categories.filter((c) => c.kind === 'request' && c.id !== 'media');
  const hours = policy.organization.workingHours;
  return Array.from({ length: count }, (_, i) => {
    const category = categories[i % categories.length] as Category;
    const caseId = `bench-case-${String(i).padStart(6, '0')}`;
    const receivedAt = new Date(
      Date.parse('2026-01-05T14:00:00.000Z') + Math.floor((i * 355 * DAY) / count),
    ).toISOString();
    const calendar = calendars.at(category.calendarId, localDateOf(receivedAt));
    const later = (days: number, minutes = 0) =>
      new Date(Date.parse(receivedAt) + days * DAY + minutes * 60_000).toISOString();
    const events: Draft[] = [];
    const workflow = { kind: 'system', id: 'workflow' } as const;
    const agent = { kind: 'staff', id: 'agent-bench', role: 'agent' } as const;
    events.push(
      {
        type: 'case.received',
        at: receivedAt,
        actor: { kind: 'citizen' },
        data: {
          channel: 'email',
          category: category.id,
          requester: { name: 'Marie Tremblay', email: 'marie@example.com', language: 'fr' },
          subject: 'Demande de renseignements',
          body: 'Bonjour, je souhaite obtenir des renseignements.',
          attachments: [],
          receivedAt,
          confidential: false,
        },
      },
      {
        type: 'case.registered',
        at: later(0, 1),
        data: { reference: `SCT-2026-${String(i + 1).padStart(6, '0')}`, registeredAt: later(0, 1) },
      },
      { type: 'workflow.started', at: later(0, 1), data: { generation: 1, trigger: 'intake' } },
    );
    const ack = computeDeadline({
      receivedAt,
      delay: category.acknowledgement!.delay,
      calendar,
      workingHours: hours,
    });
    events.push(
      {
        type: 'deadline.planned',
        at: later(0, 2),
        actor: workflow,
        data: { kind: 'acknowledgement', deadline: ack },
      },
      { type: 'case.assigned', at: later(0, 2), actor: workflow, data: { unit: category.routing.queue } },
      {
        type: 'message.sent',
        at: later(0, 3),
        actor: workflow,
        data: {
          messageId: `m-${i}-task`,
          purpose: 'other',
          recipient: 'staff',
          template: 'task-notification',
        },
      },
      {
        type: 'message.sent',
        at: later(0, 3),
        actor: workflow,
        data: {
          messageId: `m-${i}-receipt`,
          purpose: 'receipt',
          recipient: 'requester',
          template: 'automatic-receipt',
        },
      },
    );
    const path = i % 4;
    const promise = (days: number) =>
      computeDeadline({ receivedAt, delay: { amount: days, unit: 'business-days' }, calendar });
    let answerAt: string;
    if (path === 2) {
      const at = actionInstant({ ...ack, revision: 1, originalDueAt: ack.dueAt }, calendar, hours);
      const answer = computeDeadline({ receivedAt, delay: category.answer.standardDelay, calendar });
      events.push(
        {
          type: 'step.started',
          at,
          actor: workflow,
          data: {
            stepId: 'ack-deadline-action',
            kind: 'ack-deadline-action',
            plannedAt: at,
            deadline: 'acknowledgement',
          },
        },
        {
          type: 'message.sent',
          at,
          actor: workflow,
          data: {
            messageId: `m-${i}-ack`,
            purpose: 'acknowledgement',
            recipient: 'requester',
            template: 'automatic-acknowledgement',
          },
        },
        {
          type: 'case.acknowledged',
          at,
          actor: workflow,
          data: { messageId: `m-${i}-ack`, promisedAnswerDate: answer.dueDate, automatic: true },
        },
        { type: 'deadline.planned', at, actor: workflow, data: { kind: 'answer', deadline: answer } },
        { type: 'step.done', at, actor: workflow, data: { stepId: 'ack-deadline-action' } },
      );
      answerAt = later(18);
    } else {
      const ackAt = later(path === 1 ? 11 : path === 3 ? 6 : 2);
      const answer = promise(path === 1 ? 20 : 15);
      events.push(
        {
          type: 'message.sent',
          at: ackAt,
          actor: agent,
          data: {
            messageId: `m-${i}-ack`,
            purpose: 'acknowledgement',
            recipient: 'requester',
            template: 'acknowledgement',
          },
        },
        {
          type: 'case.acknowledged',
          at: ackAt,
          actor: agent,
          data: { messageId: `m-${i}-ack`, promisedAnswerDate: answer.dueDate, automatic: false },
        },
        { type: 'deadline.planned', at: ackAt, actor: agent, data: { kind: 'answer', deadline: answer } },
      );
      if (path === 3) {
        const extended = promise(25);
        events.push({
          type: 'deadline.extended',
          at: later(15),
          actor: agent,
          data: {
            kind: 'answer',
            deadline: extended,
            reason: 'Données à valider',
            noticeMessageId: `m-${i}-ext`,
          },
        });
      }
      answerAt = later(path === 1 ? 27 : path === 3 ? 33 : 19);
    }
    events.push(
      {
        type: 'message.sent',
        at: answerAt,
        actor: agent,
        data: {
          messageId: `m-${i}-answer`,
          purpose: 'answer',
          recipient: 'requester',
          template: 'answer-cover',
        },
      },
      { type: 'case.answered', at: answerAt, actor: agent, data: { messageId: `m-${i}-answer` } },
      {
        type: 'step.started',
        at: later(45),
        actor: workflow,
        data: { stepId: 'close', kind: 'close', plannedAt: later(45) },
      },
      { type: 'case.closed', at: later(45), actor: workflow, data: { reason: 'answered' } },
      { type: 'step.done', at: later(45), actor: workflow, data: { stepId: 'close' } },
    );
    return events.map(
      (event, index) =>
        ({
          caseId,
          seq: index + 1,
          actor: event.actor ?? { kind: 'system', id: 'intake' },
          prevHash: HASH,
          hash: HASH,
          ...event,
        }) as LedgerEvent,
    );
  });
}

/** `timeMedian` in this benchmark's columns. */
function timeIt(label: string, repeat: number, work: () => Promise<unknown> | unknown): Promise<number> {
  return timeMedian(label, repeat, work, { label: 58, value: 7, digits: 0 });
}

/**
 * What-if replay of a year of `cases` cases (all in the changed categories) against the plain
 * service-statement report over the same histories, in process (the ledger read is the same for both and left
 * out: it is the report's cost, see `docs/service-statement-report.md`). Prints both times and the ratio.
 */
export async function benchWhatIf(cases: number): Promise<void> {
  const histories = yearOfCases(cases);
  const events = histories.reduce((sum, h) => sum + h.length, 0);
  const deps = {
    reportSource: {
      async *caseHistories() {
        for (const history of histories) yield history;
      },
    },
    clock: { now: () => new Date('2027-01-15T15:00:00.000Z') },
    policy: loadSctPolicy(),
    calendars: bundledCalendars(),
    accessJournal: new InMemoryAccessJournal(),
  };
  const changes = Object.fromEntries(
    deps.policy.categories
      .filter((c) => c.kind === 'request')
      .map((c) => [c.id, { acknowledgementDays: 5, answerDays: 12 }]),
  );
  process.stdout.write(
    `What-if replay, ${cases.toLocaleString('en-CA')} cases over 2026 (${events} events)\n`,
  );
  const report = await timeIt('baseline: service-statement report (same histories)', 3, () =>
    serviceStatementReport(deps, AUDITOR, YEAR),
  );
  const whatIf = await timeIt('what-if: 5-day ack, 12-day answer, every request category', 3, () =>
    whatIfReport(deps, AUDITOR, { ...YEAR, changes }),
  );
  const result = await whatIfReport(deps, AUDITOR, { ...YEAR, changes });
  const { automaticInstead, answer } = result.differences;
  process.stdout.write(
    `  what-if / report: ${(whatIf / report).toFixed(2)}×; ${result.source.casesChanged} cases replayed, ` +
      `${automaticInstead.count} acknowledged automatically instead, ` +
      `${answer.breached.count} answers newly late; ` +
      `target < 10,000 ms for 2,000 cases: ${whatIf < 10_000 ? 'met' : 'NOT met'}\n`,
  );
  // The answer's size: counts and a first page per list, not every reference (docs/what-if.md).
  const body = JSON.stringify(result);
  process.stdout.write(
    `  what-if JSON: ${Buffer.byteLength(body).toLocaleString('en-CA')} bytes ` +
      `(${gzipSync(body).length.toLocaleString('en-CA')} gzipped), lists of ${result.pageSize} a page\n`,
  );
  // A next page replays the period again (the what-if keeps nothing): about the what-if's own time.
  const next = answer.breached.next ?? { list: 'answer.breached' as const, page: 1, asOf: result.asOf };
  const page = await timeIt('what-if: next page of the answers newly late', 3, () =>
    whatIfCases(deps, AUDITOR, { ...YEAR, changes, cases: next }),
  );
  process.stdout.write(`  next page / what-if: ${(page / whatIf).toFixed(2)}×\n`);
}
