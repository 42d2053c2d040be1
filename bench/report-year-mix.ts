import {
  acknowledge,
  answer,
  close,
  extend,
  reassign,
  recordDissatisfaction,
  recordLetterMailed,
} from '../shared/domain/case/commands';
import type { LedgerEvent } from '../shared/domain/ledger';
import type { CaseReportRecord } from '../shared/domain/report';
import { AGENT, COMPLAINTS_OFFICER, SUPERVISOR } from '../test/unit/commands/fixtures';
import { caseScript } from '../test/unit/report/scenario';
import type { CaseScript } from '../test/unit/report/scenario';

const DAY_MS = 86_400_000;
const ISO_INSTANT = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{3})?Z/g;
const ISO_DATE = /"(\d{4}-\d{2}-\d{2})"/g;

/** A realistic case of the synthetic year: how it went, and its share of a hundred cases. */
interface MixCase {
  readonly name: string;
  /** Cases of this kind in 100 received before mid-December. */
  readonly weight: number;
  play(script: CaseScript): Promise<void>;
}

/** Answers then closes a case (outcome `answered`), each at its instant. */
async function answerAndClose(script: CaseScript, caseId: string, answeredAt: string, closedAt: string) {
  script.at(answeredAt);
  await answer(script.h.deps, AGENT, { caseId, message: 'Voici les renseignements demandés.' });
  script.at(closedAt);
  await close(script.h.deps, AGENT, { caseId, outcome: 'answered' });
}

/**
 * The kinds of case of a realistic year, all received in the week of Monday 2 March 2026 (acknowledgement due
 * Monday 16 March): most acknowledged by staff within days and answered by the promised date, then closed
 * within weeks; a few acknowledged by the workflow, by letter, extended, handed off, withdrawn; a few late
 * (met late: final all the same); two in a hundred still waiting (one unanswered past its promised date, one
 * reopened for dissatisfaction).
 */
const MIX: readonly MixCase[] = [
  {
    name: 'quick',
    weight: 28,
    async play(s) {
      const id = await s.receive('quick', '2026-03-02T14:00:00Z');
      s.at('2026-03-03T15:00:00Z');
      await acknowledge(s.h.deps, AGENT, { caseId: id, answerBy: '2026-03-20' });
      await answerAndClose(s, id, '2026-03-11T15:00:00Z', '2026-03-25T15:00:00Z');
    },
  },
  {
    name: 'steady',
    weight: 18,
    async play(s) {
      const id = await s.receive('steady', '2026-03-03T15:00:00Z');
      s.at('2026-03-09T14:00:00Z');
      await acknowledge(s.h.deps, AGENT, { caseId: id, answerBy: '2026-03-27' });
      await answerAndClose(s, id, '2026-03-19T18:00:00Z', '2026-04-07T14:00:00Z');
    },
  },
  {
    name: 'thorough',
    weight: 10,
    async play(s) {
      const id = await s.receive('thorough', '2026-03-04T13:00:00Z');
      s.at('2026-03-12T14:00:00Z');
      await acknowledge(s.h.deps, AGENT, { caseId: id, answerBy: '2026-04-02' });
      await answerAndClose(s, id, '2026-03-31T17:00:00Z', '2026-04-20T14:00:00Z');
    },
  },
  {
    name: 'answered-not-closed',
    weight: 4,
    async play(s) {
      const id = await s.receive('answered-not-closed', '2026-03-05T14:00:00Z');
      s.at('2026-03-05T19:00:00Z');
      await acknowledge(s.h.deps, AGENT, { caseId: id, answerBy: '2026-03-20' });
      s.at('2026-03-16T15:00:00Z');
      await answer(s.h.deps, AGENT, { caseId: id, message: 'Voici les renseignements demandés.' });
    },
  },
  {
    name: 'automatic-acknowledgement',
    weight: 5,
    async play(s) {
      const id = await s.receive('automatic-acknowledgement', '2026-03-03T15:00:00Z');
      await s.drive(id, '2026-03-18T00:00:00Z');
      await answerAndClose(s, id, '2026-03-23T15:00:00Z', '2026-04-08T14:00:00Z');
    },
  },
  {
    name: 'letters',
    weight: 6,
    async play(s) {
      const id = await s.receive('letters', '2026-03-02T14:00:00Z', { email: undefined });
      s.at('2026-03-05T14:00:00Z');
      await acknowledge(s.h.deps, AGENT, { caseId: id, answerBy: '2026-03-27' });
      const letters = async () =>
        (await s.h.ledger.read(id)).flatMap((event) =>
          event.type === 'letter.prepared' ? [event.data.letterId] : [],
        );
      s.at('2026-03-06T14:00:00Z');
      await recordLetterMailed(s.h.deps, AGENT, {
        caseId: id,
        letterId: (await letters())[0]!,
        mailedOn: '2026-03-06',
      });
      s.at('2026-03-20T14:00:00Z');
      await answer(s.h.deps, AGENT, { caseId: id, message: 'Réponse par lettre.' });
      await recordLetterMailed(s.h.deps, AGENT, {
        caseId: id,
        letterId: (await letters())[1]!,
        mailedOn: '2026-03-20',
      });
      s.at('2026-04-03T14:00:00Z');
      await close(s.h.deps, AGENT, { caseId: id, outcome: 'answered' });
    },
  },
  {
    name: 'complaint',
    weight: 5,
    async play(s) {
      const id = await s.receive('complaint', '2026-03-02T16:00:00Z', { category: 'service-complaint' });
      s.at('2026-03-10T15:00:00Z');
      await answer(s.h.deps, COMPLAINTS_OFFICER, {
        caseId: id,
        message: 'Nous avons examiné votre plainte.',
      });
      s.at('2026-03-24T15:00:00Z');
      await close(s.h.deps, COMPLAINTS_OFFICER, { caseId: id, outcome: 'answered' });
    },
  },
  {
    name: 'comment',
    weight: 3,
    async play(s) {
      const id = await s.receive('comment', '2026-03-03T14:00:00Z', { category: 'comment' });
      s.at('2026-03-06T15:00:00Z');
      await answer(s.h.deps, COMPLAINTS_OFFICER, { caseId: id, message: 'Merci de votre commentaire.' });
      s.at('2026-03-13T15:00:00Z');
      await close(s.h.deps, COMPLAINTS_OFFICER, { caseId: id, outcome: 'answered' });
    },
  },
  {
    name: 'extended',
    weight: 4,
    async play(s) {
      const id = await s.receive('extended', '2026-03-02T14:00:00Z');
      s.at('2026-03-04T15:00:00Z');
      await acknowledge(s.h.deps, AGENT, { caseId: id, answerBy: '2026-03-20' });
      s.at('2026-03-18T14:00:00Z');
      await extend(s.h.deps, SUPERVISOR, { caseId: id, answerBy: '2026-03-31', reason: 'Données à valider' });
      await answerAndClose(s, id, '2026-03-27T14:00:00Z', '2026-04-14T14:00:00Z');
    },
  },
  {
    name: 'handed-off',
    weight: 5,
    async play(s) {
      const id = await s.receive('handed-off', '2026-03-02T14:00:00Z');
      s.at('2026-03-04T15:00:00Z');
      await acknowledge(s.h.deps, AGENT, { caseId: id, answerBy: '2026-03-20' });
      await reassign(s.h.deps, SUPERVISOR, {
        caseId: id,
        to: { unit: 'statistics', assignee: 'agent-pelletier' },
        reason: 'workload',
      });
      await answerAndClose(s, id, '2026-03-18T14:00:00Z', '2026-04-01T14:00:00Z');
    },
  },
  {
    name: 'withdrawn',
    weight: 3,
    async play(s) {
      const id = await s.receive('withdrawn', '2026-03-02T14:00:00Z');
      s.at('2026-03-04T16:00:00Z');
      await close(s.h.deps, AGENT, { caseId: id, outcome: 'withdrawn' });
    },
  },
  {
    name: 'answered-late',
    weight: 4,
    async play(s) {
      const id = await s.receive('answered-late', '2026-03-02T14:00:00Z');
      s.at('2026-03-05T15:00:00Z');
      await acknowledge(s.h.deps, AGENT, { caseId: id, answerBy: '2026-03-20' });
      await answerAndClose(s, id, '2026-03-26T14:00:00Z', '2026-04-09T14:00:00Z');
    },
  },
  {
    name: 'acknowledged-late',
    weight: 3,
    async play(s) {
      const id = await s.receive('acknowledged-late', '2026-03-02T14:00:00Z');
      s.at('2026-03-18T14:00:00Z');
      await acknowledge(s.h.deps, AGENT, { caseId: id, answerBy: '2026-03-31' });
      await answerAndClose(s, id, '2026-03-27T14:00:00Z', '2026-04-10T14:00:00Z');
    },
  },
  {
    name: 'waiting',
    weight: 1,
    async play(s) {
      const id = await s.receive('waiting', '2026-03-02T14:00:00Z');
      s.at('2026-03-04T15:00:00Z');
      await acknowledge(s.h.deps, AGENT, { caseId: id, answerBy: '2026-03-27' });
    },
  },
  {
    name: 'dissatisfied',
    weight: 1,
    async play(s) {
      const id = await s.receive('dissatisfied', '2026-03-02T16:00:00Z', { category: 'service-complaint' });
      s.at('2026-03-10T15:00:00Z');
      await answer(s.h.deps, COMPLAINTS_OFFICER, {
        caseId: id,
        message: 'Nous avons examiné votre plainte.',
      });
      s.at('2026-03-12T15:00:00Z');
      await recordDissatisfaction(s.h.deps, COMPLAINTS_OFFICER, { caseId: id, channel: 'phone' });
    },
  },
];

/** The kind of case the `i`-th of the year is, received on `day` (0 = 1 January) of a 365-day year. */
export function mixKind(i: number, day: number): string {
  // Spread over the hundred slots by a multiplier prime to 100, so each day gets the mix, not one kind.
  const slot = (i * 37) % 100;
  // The last two weeks: one case in ten is still waiting at the report (received over the holidays).
  if (day >= 351 && i % 10 === 0) return 'waiting';
  let cumulative = 0;
  for (const kind of MIX) {
    cumulative += kind.weight;
    if (slot < cumulative) return kind.name;
  }
  return MIX[0]!.name;
}

/**
 * The ledger histories of the realistic kinds of case, by name, each played through the real staff commands
 * and workflow steps on an in-memory ledger (`caseScript`).
 */
export async function mixHistories(): Promise<ReadonlyMap<string, LedgerEvent[]>> {
  const script = caseScript();
  for (const kind of MIX) await kind.play(script);
  const out = new Map<string, LedgerEvent[]>();
  for (const kind of MIX) out.set(kind.name, await script.h.ledger.read(script.ids[kind.name]!));
  return out;
}

/**
 * A copy of a case's report aggregate under another id and reference, received on the day of `receivedOn`
 * (epoch milliseconds of a UTC midnight): every instant and date moved by the same whole days.
 */
export function copyRecord(
  template: CaseReportRecord,
  caseId: string,
  reference: string,
  receivedOn: number,
): CaseReportRecord {
  const shift = Math.round((receivedOn - Date.parse(template.receivedDay)) / DAY_MS) * DAY_MS;
  const templateReference = template.epochs[template.epochs.length - 1]?.state.reference;
  let json = JSON.stringify(template)
    .replace(ISO_INSTANT, (instant) => new Date(Date.parse(instant) + shift).toISOString())
    .replace(
      ISO_DATE,
      (_all, date: string) => `"${new Date(Date.parse(date) + shift).toISOString().slice(0, 10)}"`,
    )
    .replaceAll(template.caseId, caseId);
  if (templateReference !== undefined) json = json.replaceAll(templateReference, reference);
  return JSON.parse(json) as CaseReportRecord;
}
