import { InMemoryCaseLedger } from '../../../shared/domain/ledger/in-memory-ledger';
import {
  checkpoint,
  performStep,
  planDeadlines,
  routeAndNotify,
} from '../../../shared/domain/workflow/tasks';
import { InMemoryRateCounter } from '../../../shared/domain/messaging/rate-counter';
import { workflowDeps } from '../../support/workflow-fixtures';

const RECEIVED = '2026-12-18T15:00:00.000Z';

/** An email case whose sender the receiving server found forged (DMARC fail), as email intake records it. */
async function forgedCase(dmarc: 'fail' | 'pass') {
  const ledger = new InMemoryCaseLedger();
  const context = workflowDeps(RECEIVED, ledger);
  const deps = { ...context.deps, rateCounter: new InMemoryRateCounter() };
  const caseId = `case-forged-${dmarc}`;
  await ledger.append(caseId, {
    type: 'case.received',
    at: RECEIVED,
    actor: { kind: 'system', id: 'email-intake' },
    data: {
      channel: 'email',
      category: 'statistics',
      requester: { name: 'Victime', email: 'victim@example.com', language: 'fr' },
      subject: 'BUY CHEAP PILLS http://spam.example',
      body: 'spam',
      attachments: [],
      receivedAt: RECEIVED,
      confidential: false,
      senderAuthentication:
        dmarc === 'fail' ? { spf: 'fail', dkim: 'none', dmarc } : { spf: 'pass', dkim: 'pass', dmarc },
    },
  });
  await ledger.append(caseId, {
    type: 'case.registered',
    at: RECEIVED,
    actor: { kind: 'system' },
    data: { reference: 'SCT-2026-009999', registeredAt: RECEIVED },
  });
  await planDeadlines(deps, caseId);
  await routeAndNotify(deps, caseId);
  for (let guard = 0; guard < 200; guard++) {
    const check = await checkpoint(deps, caseId);
    if (check.due && check.step) {
      await performStep(deps, caseId, check.step.id);
      continue;
    }
    if (!check.waitUntil || check.waitUntil > '2027-03-31T12:00:00Z') break;
    context.clock.set(check.waitUntil);
  }
  return { ...context, caseId };
}

describe('a case whose sender the receiving server found forged gets no automatic message, ever', () => {
  it('no receipt, no automatic acknowledgement, no delay notice; the director is told to verify and send it', async () => {
    const { notifier, ledger, caseId } = await forgedCase('fail');

    const toRequester = notifier.sent.filter((m) => m.to.includes('victim@example.com'));
    expect(toRequester).toEqual([]);
    const reached = notifier.sent.find((m) => m.template === 'acknowledgement-deadline-reached');
    expect(String((reached?.values as Record<string, string>).outcome)).toContain(
      'authentifier l’expéditeur',
    );
    const projection = await ledger.getCase(caseId);
    expect(projection?.status).toBe('received');
    expect(projection?.stepsDone).toContain('ack-deadline-action');
  });

  it('the same case with a passing DMARC gets its automatic messages', async () => {
    const { notifier } = await forgedCase('pass');

    const templates = notifier.sent.filter((m) => m.to.includes('victim@example.com')).map((m) => m.template);
    expect(templates).toEqual(['automatic-receipt', 'automatic-acknowledgement', 'delay-notice']);
  });
});
