import sctPolicyDocument from '../../../shared/config/policies/sct.json';
import { caseIdFor } from '../../../shared/domain/intake/register-case';
import { submitWebRequest, webCategories } from '../../../shared/domain/intake/form/submit';
import type { WebIntakeDeps, WebSubmission } from '../../../shared/domain/intake/form/submit';
import { HoneypotFilledError } from '../../../shared/domain/intake/form/honeypot';
import { loadPolicy, loadSctPolicy } from '../../../shared/domain/policy';
import type { Policy } from '../../../shared/domain/policy';
import { BusinessRuleError, IdempotencyKeyReuseError } from '../../../shared/errors';
import {
  CountingLedger,
  CountingReferences,
  FixedClock,
  KEY,
  NOW,
  RecordingMetrics,
  RecordingWorkflow,
  VALID,
} from './fixtures';

function deps(policy: Policy = loadSctPolicy()) {
  const ledger = new CountingLedger();
  const metrics = new RecordingMetrics();
  const value: WebIntakeDeps = {
    ledger,
    references: new CountingReferences(),
    workflow: new RecordingWorkflow(),
    clock: new FixedClock(),
    policy,
    metrics,
  };
  return { deps: value, ledger, metrics };
}

const SUBMISSION: WebSubmission = { ...VALID, language: 'fr' };
const CONTEXT = { receivedAt: NOW, idempotencyKey: KEY, requestId: 'req-1' };

type PolicyDocument = {
  categories: {
    id: string;
    channels: string[];
    acknowledgement: unknown;
    schedule: { relativeTo: string }[];
  }[];
};

function policyWith(change: (document: PolicyDocument) => void): Policy {
  const document = structuredClone(sctPolicyDocument) as unknown as PolicyDocument;
  change(document);
  return loadPolicy(document);
}

describe('submitWebRequest', () => {
  it('refuses a filled trap field before anything else and counts it', async () => {
    const { deps: d, ledger, metrics } = deps();
    await expect(
      submitWebRequest(d, { ...SUBMISSION, website: 'http://spam.example' }, CONTEXT),
    ).rejects.toBeInstanceOf(HoneypotFilledError);
    expect(ledger.appended).toEqual([]);
    expect(metrics.outcomes).toEqual(['honeypot']);
  });

  it('refuses a category that does not take web requests (CHANNEL_NOT_ACCEPTED)', async () => {
    const policy = policyWith((document) => {
      const media = document.categories.find((category) => category.id === 'media');
      if (media) media.channels = ['email'];
    });
    const { deps: d, ledger } = deps(policy);

    const attempt = submitWebRequest(d, { ...SUBMISSION, category: 'media' }, CONTEXT);

    await expect(attempt).rejects.toMatchObject({ name: 'BusinessRuleError', code: 'CHANNEL_NOT_ACCEPTED' });
    expect(ledger.appended).toEqual([]);
    expect(webCategories(policy).map((category) => category.id)).not.toContain('media');
  });

  it('refuses an immigrant basis whose six months are over (LANGUAGE_BASIS_LAPSED), even if called directly', async () => {
    const { deps: d } = deps();
    const attempt = submitWebRequest(
      d,
      {
        ...VALID,
        language: 'en',
        languageBasis: 'immigrant-first-six-months',
        arrivedOn: '2025-01-01',
        attested: true,
      },
      CONTEXT,
    );
    await expect(attempt).rejects.toBeInstanceOf(BusinessRuleError);
  });

  it('gives no acknowledgement date for a category that promises none', async () => {
    const policy = policyWith((document) => {
      const comment = document.categories.find((category) => category.id === 'comment');
      if (comment) {
        comment.acknowledgement = null;
        comment.schedule = comment.schedule.filter((step) => step.relativeTo !== 'ack-deadline');
      }
    });
    const { deps: d } = deps(policy);

    const result = await submitWebRequest(d, { ...SUBMISSION, category: 'comment' }, CONTEXT);

    expect(result).toMatchObject({
      acknowledgementDueDate: null,
      acknowledgementDueAt: null,
      confidential: true,
    });
  });

  it('two concurrent submissions with one key and different content: one case, the other refused', async () => {
    const { deps: d, ledger } = deps();

    const outcomes = await Promise.allSettled([
      submitWebRequest(d, SUBMISSION, CONTEXT),
      submitWebRequest(d, { ...SUBMISSION, subject: 'Autre chose' }, CONTEXT),
    ]);

    expect(outcomes.map((outcome) => outcome.status).sort()).toEqual(['fulfilled', 'rejected']);
    const rejected = outcomes.find((outcome) => outcome.status === 'rejected');
    expect(rejected?.status === 'rejected' ? rejected.reason : undefined).toBeInstanceOf(
      IdempotencyKeyReuseError,
    );
    expect(ledger.appended.filter((entry) => entry.type === 'case.received')).toHaveLength(1);
    expect(ledger.appended[0]?.caseId).toBe(caseIdFor(d.policy, `form:key:${KEY}`));
  });

  it('a replay answers with the receipt instant of the first submission', async () => {
    const { deps: d } = deps();
    await submitWebRequest(d, SUBMISSION, CONTEXT);

    const replay = await submitWebRequest(d, SUBMISSION, {
      ...CONTEXT,
      receivedAt: '2026-12-18T15:30:00.000Z',
    });

    expect(replay).toMatchObject({ created: false, receivedAt: NOW, acknowledgementDueDate: '2027-01-11' });
  });
});
