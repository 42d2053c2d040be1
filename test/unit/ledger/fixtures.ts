import type { Actor, EventDraft, EventDraftOf } from '../../../shared/domain/ledger/events';
import type { Deadline } from '../../../shared/domain/time/types';

export const CASE_ID = '3f1c2d4e-5a6b-4c7d-8e9f-0a1b2c3d4e5f';
export const OTHER_CASE_ID = '9b8a7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d';

export const SYSTEM: Actor = { kind: 'system' };
export const CITIZEN: Actor = { kind: 'citizen' };
export function staff(id = 'agent-tremblay', role = 'agent'): Actor {
  return { kind: 'staff', id, role };
}

/** Received Monday 2 March 2026 at 09:00 in Québec (EST). */
export const RECEIVED_AT = '2026-03-02T14:00:00.000Z';

/**
 * A plausible deadline with its proof: 10 business days after Monday 2 March 2026 is Monday 16 March; DST
 * starts on 8 March, so the end of that day is 03:59:59.999Z on the 17th.
 */
export function deadline(dueDate = '2026-03-16', dueAt = '2026-03-17T03:59:59.999Z', amount = 10): Deadline {
  return {
    dueDate,
    dueAt,
    proof: {
      inputs: {
        receivedAt: RECEIVED_AT,
        receivedLocal: '2026-03-02T09:00:00',
        timeZone: 'America/Toronto',
        delay: { amount, unit: 'business-days' },
      },
      rule: {
        id: 'business-days-after-receipt',
        text: {
          fr: 'Le jour de la réception ne compte pas; on compte les jours ouvrables suivants.',
          en: 'The day of receipt is not counted; the following business days are counted.',
        },
      },
      calendar: { id: 'qc-fonction-publique', version: '2026.1', effectiveFrom: '2026-01-01' },
      skipped: [
        { date: '2026-03-07', reason: 'saturday' },
        { date: '2026-03-08', reason: 'sunday' },
        { date: '2026-03-14', reason: 'saturday' },
        { date: '2026-03-15', reason: 'sunday' },
      ],
      dueDate,
      dueAt,
      explanation: {
        fr: `Échéance : fin de la journée du ${dueDate}.`,
        en: `Due at the end of ${dueDate}.`,
      },
    },
  };
}

export function receivedDraft(
  overrides: Partial<EventDraftOf<'case.received'>['data']> = {},
): EventDraftOf<'case.received'> {
  return {
    type: 'case.received',
    at: RECEIVED_AT,
    actor: CITIZEN,
    data: {
      channel: 'web',
      category: 'statistics',
      requester: { name: 'Marie Gagnon', email: 'Marie.Gagnon@Example.org', language: 'fr' },
      subject: 'Effectifs de la fonction publique 2025',
      body: 'Bonjour,\nPourriez-vous me transmettre les effectifs par ministère?\nMerci.',
      attachments: [
        {
          key: 'intake/2026/03/02/abc/tableau.pdf',
          filename: 'tableau.pdf',
          contentType: 'application/pdf',
          size: 1234,
        },
      ],
      receivedAt: RECEIVED_AT,
      confidential: false,
      ...overrides,
    },
  };
}

/** One valid draft of every event type after `case.received`, in a plausible order. */
const MAIL_EVENTS = { kind: 'system', id: 'mail-events' } as const;

export function lifecycleDrafts(): EventDraft[] {
  return [
    {
      type: 'case.registered',
      at: '2026-03-02T14:00:01.000Z',
      actor: SYSTEM,
      data: { reference: 'SCT-2026-000123', registeredAt: '2026-03-02T14:00:01.000Z' },
    },
    {
      type: 'deadline.planned',
      at: '2026-03-02T14:00:02.000Z',
      actor: SYSTEM,
      data: { kind: 'acknowledgement', deadline: deadline() },
    },
    {
      type: 'deadline.planned',
      at: '2026-03-02T14:00:02.000Z',
      actor: SYSTEM,
      data: { kind: 'answer', deadline: deadline('2026-03-30', '2026-03-31T03:59:59.999Z', 20) },
    },
    {
      type: 'message.sent',
      at: '2026-03-02T14:00:03.000Z',
      actor: SYSTEM,
      data: { messageId: 'ses-0001', purpose: 'receipt', recipient: 'requester', language: 'fr' },
    },
    {
      type: 'case.assigned',
      at: '2026-03-02T15:00:00.000Z',
      actor: SYSTEM,
      data: { unit: 'dgrh-statistiques', assignee: 'agent-tremblay' },
    },
    {
      type: 'case.reassigned',
      at: '2026-03-03T15:00:00.000Z',
      actor: staff(),
      data: { unit: 'dgmp-statistiques', assignee: 'agent-roy', reasonCode: 'misrouted' },
    },
    {
      type: 'step.started',
      at: '2026-03-09T13:30:00.000Z',
      actor: SYSTEM,
      data: {
        stepId: 'ack-reminder-1',
        kind: 'notify',
        plannedAt: '2026-03-09T13:30:00Z',
        deadline: 'acknowledgement',
        notify: 'assignee',
      },
    },
    { type: 'step.done', at: '2026-03-09T13:30:00.000Z', actor: SYSTEM, data: { stepId: 'ack-reminder-1' } },
    {
      type: 'case.acknowledged',
      at: '2026-03-10T14:00:00.000Z',
      actor: staff('agent-roy'),
      data: { messageId: 'ses-0002', promisedAnswerDate: '2026-03-30', automatic: false },
    },
    {
      type: 'deadline.recalculated',
      at: '2026-03-11T14:00:00.000Z',
      actor: SYSTEM,
      data: {
        kind: 'answer',
        deadline: deadline('2026-03-31', '2026-04-01T03:59:59.999Z', 20),
        reason: 'calendar-changed',
      },
    },
    {
      type: 'deadline.extended',
      at: '2026-03-20T14:00:00.000Z',
      actor: staff('agent-roy'),
      data: {
        kind: 'answer',
        deadline: deadline('2026-04-14', '2026-04-15T03:59:59.999Z', 30),
        reason: 'Consultation d’une autre direction requise',
        noticeMessageId: 'ses-0003',
      },
    },
    {
      type: 'failure.recorded',
      at: '2026-03-21T14:00:00.000Z',
      actor: SYSTEM,
      data: { code: 'MailerUnavailable', stepId: 'answer-reminder-1', retryable: true },
    },
    {
      type: 'receipt.withheld',
      at: '2026-03-21T14:00:00.000Z',
      actor: SYSTEM,
      data: { reason: 'daily-limit', limit: 5 },
    },
    {
      type: 'case.read',
      at: '2026-03-22T14:00:00.000Z',
      actor: staff('auditor-1', 'auditor'),
      data: { scope: 'metadata' },
    },
    {
      type: 'access.refused',
      at: '2026-03-22T15:00:00.000Z',
      actor: { kind: 'staff', id: 'agent-roy' },
      data: { action: 'read', route: 'GET /api/staff/cases/{caseId}' },
    },
    {
      type: 'case.answered',
      at: '2026-04-01T14:00:00.000Z',
      actor: staff('agent-roy'),
      data: { messageId: 'ses-0004' },
    },
    {
      type: 'case.closed',
      at: '2026-04-02T14:00:00.000Z',
      actor: staff('agent-roy'),
      data: { reason: 'answered' },
    },
    {
      type: 'case.dissatisfied',
      at: '2026-04-05T14:00:00.000Z',
      actor: CITIZEN,
      data: { channel: 'email' },
    },
    {
      type: 'case.noted',
      at: '2026-04-05T14:30:00.000Z',
      actor: staff(),
      data: { text: 'Appel de la demanderesse.\nElle enverra ses précisions par courriel.' },
    },
    {
      type: 'message.received',
      at: '2026-04-05T14:00:05.000Z',
      actor: CITIZEN,
      data: {
        messageId: 'c'.repeat(64),
        rawKey: 'inbound/0b8f5c1e4d0a',
        from: 'requester',
        subject: 'RE: Réponse à votre demande – SCT-2026-000123',
        attachments: [],
        receivedAt: '2026-04-05T14:00:00.000Z',
      },
    },
    {
      type: 'workflow.started',
      at: '2026-04-06T14:00:00.000Z',
      actor: SYSTEM,
      data: { generation: 2, trigger: 'continue-as-new' },
    },
    {
      type: 'enforcement.restarted',
      at: '2026-04-07T14:00:00.000Z',
      actor: staff('admin-1', 'admin'),
      data: { generation: 3, reason: 'Panne du service de courriel corrigée' },
    },
    {
      type: 'case.recategorized',
      at: '2026-04-08T14:00:00.000Z',
      actor: staff('sup-1', 'supervisor'),
      data: { from: 'statistics', to: 'policies', reason: 'content-reviewed', confidential: false },
    },
    {
      type: 'letter.prepared',
      at: '2026-04-07T15:00:00.000Z',
      actor: staff('agent-1', 'agent'),
      data: {
        letterId: '0f9e2d4c-1b3a-4c5d-8e6f-7a8b9c0d1e2f',
        messageId: 'mail:4a1b7c2e-5d3f-4e6a-9b8c-0d1e2f3a4b5c',
        template: 'extension-notice',
        language: 'fr',
      },
    },
    {
      type: 'letter.mailed',
      at: '2026-04-08T15:00:00.000Z',
      actor: staff('agent-1', 'agent'),
      data: { letterId: '0f9e2d4c-1b3a-4c5d-8e6f-7a8b9c0d1e2f', mailedOn: '2026-04-08' },
    },
    ...(['message.delivered', 'message.bounced', 'message.complained', 'message.rejected'] as const).map(
      (type) =>
        ({
          type,
          at: '2026-04-08T16:00:00.000Z',
          actor: MAIL_EVENTS,
          data: {
            messageId: 'ses-0001',
            recipient: 'requester',
            purpose: 'receipt',
            reportedAt: '2026-03-02T14:00:05.000Z',
            ...(type === 'message.bounced' ? { bounceType: 'transient', subType: 'MailboxFull' } : {}),
          },
        }) as EventDraft,
    ),
    {
      type: 'requester.reached',
      at: '2026-04-08T17:00:00.000Z',
      actor: staff('agent-1', 'agent'),
      data: {
        channel: 'phone',
        reachedAt: '2026-04-08T16:30:00.000Z',
        messageIds: ['ses-0001'],
        note: 'Joint au téléphone.',
      },
    },
  ];
}
