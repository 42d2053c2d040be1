import { readFileSync } from 'node:fs';
import path from 'node:path';

import {
  AcknowledgeBodySchema,
  AnswerBodySchema,
  CloseBodySchema,
  DissatisfiedBodySchema,
  ExtendBodySchema,
  NoteBodySchema,
  ReassignBodySchema,
  RecategorizeBodySchema,
  RestartEnforcementBodySchema,
} from '../../../shared/schemas/staff-api';
import { longDateEn, longDateFr } from '../../../shared/domain/time/explain';
import { parseLocalDate } from '../../../shared/domain/time/local-date';
import { loadSctPolicy } from '../../../shared/domain/policy';
import { SCRIPT_TEXT_KEYS, STAFF_STRINGS } from '../../../web/staff';
import { unitNames } from '../../../web/staff/unit-names';

/** The exports of `web/static/staff-common.js`, `staff.js` and `audit.js` (browser modules, through jest's transform). */
/** The part of the browser's `Storage` the scripts use. */
interface Storage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}
type Texts = (key: string, values?: Record<string, unknown>) => string;
interface Session {
  token: string;
  user: { sub: string; name: string; roles: string[]; units: string[] };
}
interface Common {
  SESSION_KEY: string;
  loadSession(storage: Storage): Session | null;
  saveSession(storage: Storage, session: Session): void;
  loginUrl(language: string, returnTo?: string): string;
  loginDestination(user: { roles: string[] }, next: string | null, language: string): string;
  caseIdFromPath(pathname: string): string | null;
  casePath(kind: string, caseId: string, language: string): string;
  otherLanguagePath(pathname: string, language: string): string;
  createTexts(entries: [string, string][]): Texts;
  businessDaysText(left: number, t: Texts): string;
  quebecDate(instant: string): string;
  quebecDateTime(instant: string, language: string): string;
  deadlineText(deadline: unknown, language: string, t: Texts): string;
  errorMessage(status: number, body: unknown, t: Texts): string;
  createApi(options: {
    fetch: (url: string, init: RequestInit) => Promise<{ status: number; json(): Promise<unknown> }>;
    storage: Storage;
    language: string;
    onUnauthorized: () => void;
  }): (
    method: string,
    path: string,
    options?: { body?: unknown; idempotencyKey?: string },
  ) => Promise<{ status: number; body: unknown }>;
}
interface Staff {
  sortCases<T>(cases: T[]): T[];
  listQuery(filters: Record<string, unknown>, user: Session['user']): string;
  ACTION_STATUSES: Record<string, string[]>;
  actionsFor(
    detail: { scope: string; status: string; enforcementStoppedAt?: string; undeliveredMessages?: number },
    roles: string[],
  ): string[];
  actionBody(action: string, entries: [string, string][]): Record<string, unknown>;
  splitIssues(issues: unknown, fieldNames: string[]): { byField: Map<string, string[]>; general: string[] };
  formErrors(status: number, body: unknown, t: Texts): { summary: string; issues: unknown[] };
  createFormKey(randomUUID: () => string): { current(): string; settle(status: number): void; renew(): void };
  noteByline(
    note: {
      author: string;
      authorRole?: string;
      at: string;
      reached?: { channel: string; reachedAt: string };
    },
    language: string,
    t: Texts,
  ): string;
  templateText(current: string, template: { body: string }, confirmReplace: () => boolean): string | null;
  unfilledText(template: { unfilled?: string[] } | undefined, t: Texts): string;
  templateCaret(text: string): number;
  caseFiles(
    content: unknown,
    language: string,
    t: Texts,
  ): { file: { attachmentId: string; filename: string }; origin: string }[];
  fileSize(bytes: number, language: string): string;
}
interface Audit {
  verifyMessage(result: unknown, t: Texts, language?: string): string;
  verificationRunText(run: unknown, t: Texts, language?: string): string;
  verificationProgressText(run: unknown, t: Texts): string;
  verificationView(
    answer: unknown,
    followed: { runId: string; startedAt: string } | null,
  ): { run: unknown; last: unknown; next: { runId: string; startedAt: string } | null };
  problemText(problem: unknown, t: Texts): string;
  chronologyWhat(entry: unknown, t: Texts): string;
  executionStatusText(status: unknown, t: Texts): string;
  verifyItems(result: unknown, t: Texts): { caseId: string; text: string }[];
  chainMessage(chain: unknown, t: Texts): string;
  outcomeText(deadline: unknown, language: string, t: Texts): string;
  lookupTarget(value: unknown): string | null;
  timelineFacts(
    summary: unknown,
    language: string,
    t: Texts,
    names?: Record<string, string>,
  ): [string, string][];
  actorText(
    actor: { kind: string; id?: string; role?: string },
    t: Texts,
    names?: Record<string, string>,
  ): string;
}

const common = jest.requireActual<Common>('../../../web/static/staff-common.js');
const staff = jest.requireActual<Staff>('../../../web/static/staff.js');
const audit = jest.requireActual<Audit>('../../../web/static/audit.js');

/** The words the page's `<template>` gives its scripts: the script strings and the role names (layout.ts). */
const texts = (language: 'fr' | 'en'): Texts =>
  common.createTexts([
    ...(Object.entries(STAFF_STRINGS[language].script) as [string, string][]),
    ...Object.entries(STAFF_STRINGS[language].roles).map(([role, name]): [string, string] => [
      `role.${role}`,
      name,
    ]),
  ]);
const fr = texts('fr');
const en = texts('en');

class MemoryStorage {
  private readonly items = new Map<string, string>();
  getItem(key: string): string | null {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    this.items.set(key, value);
  }
  removeItem(key: string): void {
    this.items.delete(key);
  }
}
const storage = (): Storage => new MemoryStorage();

const AGENT: Session = {
  token: 'token-1',
  user: {
    sub: 'demo-agent',
    name: 'Agent Démo',
    roles: ['agent'],
    units: ['statistics', 'management-policies'],
  },
};

describe('the words of the scripts', () => {
  it('are all given by the page: every literal key the scripts ask for is a page key', () => {
    const sources = ['staff-common.js', 'staff.js', 'audit.js'].map((file) =>
      readFileSync(path.join(__dirname, '../../../web/static', file), 'utf8'),
    );
    const used = sources.flatMap((source) =>
      [...source.matchAll(/\bt\('([^']+)'/g)].map((match) => match[1]),
    );
    const prefixes = sources.flatMap((source) =>
      [...source.matchAll(/\bt\(`([a-zA-Z]+)\.\$\{/g)].map((match) => match[1]),
    );

    expect(used.length).toBeGreaterThan(20);
    for (const key of used) expect(SCRIPT_TEXT_KEYS).toContain(key);
    for (const prefix of prefixes) {
      // Category and unit names come from the policy (the layout adds them).
      if (prefix === 'category' || prefix === 'unit') continue;
      expect(SCRIPT_TEXT_KEYS.some((key) => key.startsWith(`${prefix}.`))).toBe(true);
    }
  });

  it('fill placeholders and fall back to the key for an unknown one', () => {
    const t = common.createTexts([['hello', 'Bonjour {name}, {name}! {missing}']]);

    expect(t('hello', { name: 'Marie' })).toBe('Bonjour Marie, Marie! {missing}');
    expect(t('nope')).toBe('nope');
  });

  it.each([
    [0, 'dû aujourd’hui', 'due today'],
    [1, '1 jour ouvrable restant', '1 business day left'],
    [8, '8 jours ouvrables restants', '8 business days left'],
    [-1, 'en retard de 1 jour ouvrable', 'overdue by 1 business day'],
    [-3, 'en retard de 3 jours ouvrables', 'overdue by 3 business days'],
  ])('say %i business days left', (left, french, english) => {
    expect(common.businessDaysText(left, fr)).toBe(french);
    expect(common.businessDaysText(left, en)).toBe(english);
  });
});

describe('dates', () => {
  it('take the Québec date of an instant (the evening in Québec is the next day in UTC)', () => {
    expect(common.quebecDate('2026-03-05T04:30:00.000Z')).toBe('2026-03-04');
    expect(common.quebecDate('2026-07-01T03:59:59.999Z')).toBe('2026-06-30');
    expect(common.quebecDate('2026-07-01T04:00:00.000Z')).toBe('2026-07-01');
  });

  it('say a pending deadline with its long Québec date and the days left, a met one with its date', () => {
    const pending = { dueDate: '2026-03-16', dueAt: '2026-03-17T03:59:59.999Z', businessDaysLeft: 8 };
    const met = { ...pending, metAt: '2026-03-05T15:00:00.000Z' };

    expect(common.deadlineText(pending, 'fr', fr)).toBe(
      `${longDateFr(parseLocalDate('2026-03-16'))}, 8 jours ouvrables restants`,
    );
    expect(common.deadlineText(pending, 'en', en)).toBe(
      `${longDateEn(parseLocalDate('2026-03-16'))}, 8 business days left`,
    );
    expect(common.deadlineText(met, 'fr', fr)).toBe('respectée le jeudi 5 mars 2026');
    expect(common.deadlineText(undefined, 'en', en)).toBe('None');
  });

  it('say a breach explicitly: met late with the business days late, or breached and still unmet', () => {
    const due = {
      dueDate: '2026-03-16',
      dueAt: '2026-03-17T03:59:59.999Z',
      breachedAt: '2026-03-17T03:59:59.999Z',
    };
    const breached = { ...due, businessDaysLeft: -2, outcome: 'breached', lateBusinessDays: 2 };
    const metLate = { ...due, metAt: '2026-03-18T15:00:00.000Z', outcome: 'met-late', lateBusinessDays: 2 };
    const monday = {
      fr: longDateFr(parseLocalDate('2026-03-16')),
      en: longDateEn(parseLocalDate('2026-03-16')),
    };

    expect(common.deadlineText(breached, 'fr', fr)).toBe(
      `non respectée : échéance dépassée le ${monday.fr}, 2 jours ouvrables de retard`,
    );
    expect(common.deadlineText(breached, 'en', en)).toBe(
      `not met: deadline passed on ${monday.en}, 2 business days late`,
    );
    expect(common.deadlineText(metLate, 'fr', fr)).toBe(
      `respectée en retard le mercredi 18 mars 2026 (échéance dépassée le ${monday.fr}, 2 jours ouvrables de retard)`,
    );
    expect(common.deadlineText({ ...metLate, lateBusinessDays: 1 }, 'en', en)).toBe(
      `met late on ${longDateEn(parseLocalDate('2026-03-18'))} (deadline passed on ${monday.en}, 1 business day late)`,
    );
    expect(audit.outcomeText(breached, 'fr', fr)).toMatch(
      /^Non respectée — Échéance dépassée le 2026-03-16 23 h 59, 2 jours ouvrables de retard$/,
    );
    expect(audit.outcomeText({ outcome: 'met' }, 'en', en)).toBe('Met on time');
  });

  it('show instants in Québec time', () => {
    expect(common.quebecDateTime('2026-03-02T14:00:00.000Z', 'fr')).toMatch(/^2026-03-02 09 h 00$/);
    expect(common.quebecDateTime('2026-03-02T14:00:00.000Z', 'en')).toMatch(/^2026-03-02,? 9:00\sa\.m\.$/);
  });
});

describe('session and navigation', () => {
  it('keeps {token, user} in session storage and refuses anything else', () => {
    const store = storage();
    common.saveSession(store, AGENT);

    expect(common.loadSession(store)).toEqual(AGENT);
    store.setItem(common.SESSION_KEY, '{"user":{}}');
    expect(common.loadSession(store)).toBeNull();
    store.setItem(common.SESSION_KEY, 'not json');
    expect(common.loadSession(store)).toBeNull();
  });

  it('sends the auditor to the audit page, others to the work list, in the page language', () => {
    expect(common.loginDestination({ roles: ['auditor'] }, null, 'fr')).toBe('/audit/');
    expect(common.loginDestination({ roles: ['agent'] }, null, 'fr')).toBe('/staff/');
    expect(common.loginDestination({ roles: ['complaints-officer'] }, null, 'en')).toBe('/en/staff/');
  });

  it('goes back to the page asked for only when it is a staff page of this site', () => {
    const agent = { roles: ['agent'] };

    expect(common.loginDestination(agent, '/staff/cases/abc-1', 'fr')).toBe('/staff/cases/abc-1');
    expect(common.loginDestination(agent, '/en/audit/cases/abc', 'en')).toBe('/en/audit/cases/abc');
    for (const next of [
      '//evil.example/staff/',
      'https://evil.example/staff/',
      '/staff/login',
      '/api/x',
      '/',
    ])
      expect(common.loginDestination(agent, next, 'fr')).toBe('/staff/');
    expect(common.loginUrl('en', '/en/staff/cases/a b')).toBe(
      '/en/staff/login?next=%2Fen%2Fstaff%2Fcases%2Fa%20b',
    );
  });

  it('reads the case id from the address and builds case addresses', () => {
    expect(common.caseIdFromPath('/staff/cases/01J%2Fx')).toBe('01J/x');
    expect(common.caseIdFromPath('/en/audit/cases/abc/')).toBe('abc');
    expect(common.caseIdFromPath('/audit/')).toBeNull();
    expect(common.casePath('staff', 'a/b', 'en')).toBe('/en/staff/cases/a%2Fb');
    expect(common.otherLanguagePath('/staff/cases/abc', 'fr')).toBe('/en/staff/cases/abc');
    expect(common.otherLanguagePath('/en/staff/', 'en')).toBe('/staff/');
  });
});

describe('API calls', () => {
  function fakeFetch(status: number, body: unknown) {
    const calls: { url: string; init: RequestInit }[] = [];
    const send = (url: string, init: RequestInit) => {
      calls.push({ url, init });
      return Promise.resolve({ status, json: () => Promise.resolve(body) });
    };
    return { calls, send };
  }

  it('sends the bearer token, the page language and the Idempotency-Key', async () => {
    const store = storage();
    common.saveSession(store, AGENT);
    const { calls, send } = fakeFetch(201, { ok: true });
    const api = common.createApi({ fetch: send, storage: store, language: 'en', onUnauthorized: jest.fn() });

    const result = await api('POST', '/api/staff/cases/c1/close', {
      body: { outcome: 'duplicate' },
      idempotencyKey: 'key-1',
    });

    expect(result).toEqual({ status: 201, body: { ok: true } });
    expect(calls[0]?.init.headers).toMatchObject({
      authorization: 'Bearer token-1',
      'accept-language': 'en',
      'idempotency-key': 'key-1',
      'content-type': 'application/json',
    });
    expect(calls[0]?.init.body).toBe('{"outcome":"duplicate"}');
  });

  it('on 401 forgets the session and goes to the login page', async () => {
    const store = storage();
    common.saveSession(store, AGENT);
    const onUnauthorized = jest.fn();
    const api = common.createApi({
      fetch: fakeFetch(401, { message: 'Unauthorized' }).send,
      storage: store,
      language: 'fr',
      onUnauthorized,
    });

    const result = await api('GET', '/api/staff/cases');

    expect(result.status).toBe(401);
    expect(onUnauthorized).toHaveBeenCalledTimes(1);
    expect(common.loadSession(store)).toBeNull();
  });

  it('without a session, calls nothing and goes to the login page', async () => {
    const onUnauthorized = jest.fn();
    const { calls, send } = fakeFetch(200, {});
    const api = common.createApi({ fetch: send, storage: storage(), language: 'fr', onUnauthorized });

    await api('GET', '/api/staff/cases');

    expect(calls).toHaveLength(0);
    expect(onUnauthorized).toHaveBeenCalledTimes(1);
  });

  it('answers status 0 when the network fails', async () => {
    const store = storage();
    common.saveSession(store, AGENT);
    const api = common.createApi({
      fetch: () => Promise.reject(new TypeError('Failed to fetch')),
      storage: store,
      language: 'fr',
      onUnauthorized: jest.fn(),
    });

    expect(await api('GET', '/api/staff/cases')).toEqual({ status: 0, body: null });
  });

  it('explains 403 and 404 with clear sentences, refusals with the API’s own message', () => {
    const refused = {
      code: 'CASE_CLOSED',
      detail: 'Impossible de fermer ce dossier : il est fermé.',
    };

    expect(common.errorMessage(403, {}, fr)).toBe(STAFF_STRINGS.fr.script['error.forbidden']);
    expect(common.errorMessage(404, {}, en)).toBe(STAFF_STRINGS.en.script['error.notFound']);
    expect(common.errorMessage(409, refused, fr)).toBe(refused.detail);
    expect(common.errorMessage(500, refused, fr)).toBe(STAFF_STRINGS.fr.script['error.server']);
    expect(common.errorMessage(0, null, en)).toBe(STAFF_STRINGS.en.script['error.network']);
  });
});

describe('work list', () => {
  it('puts overdue cases first, then by next deadline, cases without one last', () => {
    const cases = [
      { caseId: 'a', reference: 'SCT-3', overdue: false },
      { caseId: 'b', reference: 'SCT-2', overdue: false, nextDueAt: '2026-03-20T03:59:59.999Z' },
      { caseId: 'c', reference: 'SCT-1', overdue: true, nextDueAt: '2026-03-10T03:59:59.999Z' },
      { caseId: 'd', reference: 'SCT-4', overdue: false, nextDueAt: '2026-03-18T03:59:59.999Z' },
      { caseId: 'e', reference: 'SCT-0', overdue: true, nextDueAt: '2026-03-12T03:59:59.999Z' },
    ];

    expect(staff.sortCases(cases).map((item) => item.caseId)).toEqual(['c', 'e', 'd', 'b', 'a']);
  });

  it('puts a case whose deadlines are not enforced first: nothing will remind anyone of it', () => {
    const cases = [
      { caseId: 'a', reference: 'SCT-1', overdue: true, nextDueAt: '2026-03-10T03:59:59.999Z' },
      {
        caseId: 'b',
        reference: 'SCT-2',
        overdue: false,
        nextDueAt: '2026-03-20T03:59:59.999Z',
        enforcementStoppedAt: '2026-03-04T13:30:00.000Z',
      },
    ];

    expect(staff.sortCases(cases).map((item) => item.caseId)).toEqual(['b', 'a']);
  });

  it('asks the API for my cases, my unit or all of them, with status and overdue filters', () => {
    expect(staff.listQuery({ view: 'mine' }, AGENT.user)).toBe('/api/staff/cases?assignee=demo-agent');
    expect(staff.listQuery({ view: 'unit', unit: '' }, AGENT.user)).toBe('/api/staff/cases');
    expect(
      staff.listQuery({ view: 'unit', unit: 'statistics', status: 'received', overdue: true }, AGENT.user),
    ).toBe('/api/staff/cases?unit=statistics&status=received&overdue=true');
    expect(staff.listQuery({ view: 'unit', unit: 'not-mine', status: 'pending' }, AGENT.user)).toBe(
      '/api/staff/cases',
    );
  });

  it('asks for the cases with a letter to mail', () => {
    expect(staff.listQuery({ view: 'unit', unit: '', toMail: true }, AGENT.user)).toBe(
      '/api/staff/cases?toMail=true',
    );
  });
});

describe('case actions', () => {
  it.each([
    ['received', ['acknowledge', 'answer', 'reassign', 'close', 'note']],
    ['acknowledged', ['answer', 'extend', 'reassign', 'close', 'note']],
    ['answered', ['reassign', 'close', 'dissatisfied', 'note']],
    ['dissatisfied', ['answer', 'reassign', 'close', 'note']],
    ['closed', ['dissatisfied', 'note']],
  ])('a %s case offers %j to those who handle it', (status, actions) => {
    expect(staff.actionsFor({ scope: 'content', status }, ['agent'])).toEqual(actions);
  });

  it('offers a change of category to supervisors and the complaints officer, not to agents', () => {
    expect(staff.actionsFor({ scope: 'content', status: 'received' }, ['supervisor'])).toEqual([
      'acknowledge',
      'answer',
      'reassign',
      'recategorize',
      'close',
      'note',
    ]);
    expect(staff.actionsFor({ scope: 'content', status: 'acknowledged' }, ['complaints-officer'])).toContain(
      'recategorize',
    );
    expect(staff.actionsFor({ scope: 'content', status: 'closed' }, ['supervisor'])).not.toContain(
      'recategorize',
    );
    expect(staff.actionsFor({ scope: 'content', status: 'received' }, ['agent'])).not.toContain(
      'recategorize',
    );
  });

  it('offers nothing to auditors, administrators, or on a case seen as metadata', () => {
    expect(staff.actionsFor({ scope: 'metadata', status: 'received' }, ['auditor'])).toEqual([]);
    expect(staff.actionsFor({ scope: 'content', status: 'received' }, ['admin'])).toEqual([]);
    expect(staff.actionsFor({ scope: 'metadata', status: 'received' }, ['agent'])).toEqual([]);
  });

  it('offers an administrator, and only them, the restart of a case whose deadlines are not enforced', () => {
    const stopped = {
      scope: 'metadata',
      status: 'received',
      enforcementStoppedAt: '2027-01-06T13:30:00.000Z',
    };
    expect(staff.actionsFor(stopped, ['admin'])).toEqual(['restart-enforcement']);
    expect(staff.actionsFor({ ...stopped, scope: 'content' }, ['agent'])).not.toContain(
      'restart-enforcement',
    );
    expect(staff.actionsFor(stopped, ['auditor'])).toEqual([]);
  });

  it('builds bodies that the API’s schemas accept', () => {
    const cases: [string, [string, string][], { parse(value: unknown): unknown }][] = [
      [
        'acknowledge',
        [
          ['answerBy', '2026-03-20'],
          ['sentByMail', 'true'],
        ],
        AcknowledgeBodySchema,
      ],
      ['answer', [['message', 'Voici les statistiques.']], AnswerBodySchema],
      [
        'extend',
        [
          ['answerBy', '2026-04-10'],
          ['reason', 'Données en validation'],
        ],
        ExtendBodySchema,
      ],
      [
        'reassign',
        [
          ['to.unit', 'media-relations'],
          ['to.assignee', ''],
          ['reason', 'misrouted'],
        ],
        ReassignBodySchema,
      ],
      [
        'recategorize',
        [
          ['category', 'supplier-complaint'],
          ['reason', 'wrong-mailbox'],
        ],
        RecategorizeBodySchema,
      ],
      ['close', [['outcome', 'duplicate']], CloseBodySchema],
      [
        'dissatisfied',
        [
          ['channel', 'phone'],
          ['note', ''],
        ],
        DissatisfiedBodySchema,
      ],
      ['restart-enforcement', [['reason', 'Panne corrigée']], RestartEnforcementBodySchema],
      ['note', [['text', 'Appel reçu.\nRappeler jeudi.']], NoteBodySchema],
    ];
    for (const [action, entries, schema] of cases) {
      const body = staff.actionBody(action, entries);
      expect(schema.parse(body)).toEqual(body);
    }
    expect(
      staff.actionBody('reassign', [
        ['to.unit', 'statistics'],
        ['to.assignee', ' demo-agent '],
        ['reason', 'workload'],
      ]),
    ).toEqual({
      to: { unit: 'statistics', assignee: 'demo-agent' },
      reason: 'workload',
    });
    expect(staff.actionBody('acknowledge', [['answerBy', '2026-03-20']])).toEqual({ answerBy: '2026-03-20' });
  });

  it('offers internal notes in every status, a closed case included, to those who act on the content only', () => {
    for (const status of ['received', 'acknowledged', 'answered', 'dissatisfied', 'closed']) {
      for (const role of ['agent', 'supervisor', 'complaints-officer']) {
        expect(staff.actionsFor({ scope: 'content', status }, [role])).toContain('note');
      }
      expect(staff.actionsFor({ scope: 'metadata', status }, ['auditor'])).not.toContain('note');
      expect(staff.actionsFor({ scope: 'metadata', status }, ['admin'])).not.toContain('note');
    }
    expect(staff.actionBody('note', [['text', 'Ligne 1\r\nLigne 2']])).toEqual({
      text: 'Ligne 1\r\nLigne 2',
    });
  });

  it('offers « requester reached » while an email was not delivered, in every status, to those who act', () => {
    for (const status of ['received', 'acknowledged', 'answered', 'dissatisfied', 'closed']) {
      for (const role of ['agent', 'supervisor', 'complaints-officer']) {
        expect(staff.actionsFor({ scope: 'content', status, undeliveredMessages: 1 }, [role])).toContain(
          'requester-reached',
        );
        expect(staff.actionsFor({ scope: 'content', status }, [role])).not.toContain('requester-reached');
      }
      const task = { scope: 'metadata', status, undeliveredMessages: 2 };
      expect(staff.actionsFor(task, ['auditor'])).not.toContain('requester-reached');
      expect(staff.actionsFor(task, ['admin'])).not.toContain('requester-reached');
    }
  });

  it('sends the contact’s Québec date and time as an instant with its offset, and the note only when written', () => {
    expect(
      staff.actionBody('requester-reached', [
        ['channel', 'phone'],
        ['reachedAt', '2026-12-18T09:30'],
        ['note', '  '],
      ]),
    ).toEqual({ channel: 'phone', reachedAt: '2026-12-18T09:30:00-05:00' });
    expect(
      staff.actionBody('requester-reached', [
        ['channel', 'letter'],
        ['reachedAt', '2026-07-02T14:00'],
        ['note', 'Lettre envoyée.'],
      ]),
    ).toEqual({ channel: 'letter', reachedAt: '2026-07-02T14:00:00-04:00', note: 'Lettre envoyée.' });
  });

  it('says first how and when the requester was reached for the note of such a record', () => {
    const note = {
      author: 'agent-tremblay',
      authorRole: 'agent',
      at: '2026-12-18T16:00:00.000Z',
      reached: { channel: 'phone', reachedAt: '2026-12-18T14:30:00.000Z' },
    };

    expect(staff.noteByline(note, 'fr', fr)).toBe(
      `Demandeur joint par téléphone le ${common.quebecDateTime(note.reached.reachedAt, 'fr')}. Par agent-tremblay (Agent), le ${common.quebecDateTime(note.at, 'fr')}`,
    );
    expect(staff.noteByline(note, 'en', en)).toMatch(/^Requester reached by phone on .+\. By agent-tremblay/);
  });

  it('says who wrote a note and when, in Québec time and the page’s language', () => {
    const note = { author: 'rp-lavoie', authorRole: 'complaints-officer', at: '2026-03-05T03:30:00.000Z' };

    expect(staff.noteByline(note, 'fr', fr)).toBe(
      `Par rp-lavoie (Responsable des plaintes), le ${common.quebecDateTime(note.at, 'fr')}`,
    );
    expect(staff.noteByline(note, 'en', en)).toBe(
      `By rp-lavoie (Complaints officer), on ${common.quebecDateTime(note.at, 'en')}`,
    );
    expect(staff.noteByline({ ...note, authorRole: 'future-role' }, 'en', en)).toContain('(future-role)');
    // 22:30 on 4 March in Québec, though 5 March in UTC.
    expect(common.quebecDateTime(note.at, 'fr')).toContain('2026-03-04');
    expect(staff.noteByline({ author: 'rp-lavoie', at: note.at }, 'fr', fr)).toMatch(/^Par rp-lavoie, le /);
  });

  it('a template fills an empty answer, and replaces typed text only when the person confirms', () => {
    const template = { body: 'Voici les données demandées.' };
    let asked = 0;
    const yes = () => {
      asked += 1;
      return true;
    };
    const no = () => {
      asked += 1;
      return false;
    };

    expect(staff.templateText('', template, no)).toBe(template.body);
    expect(staff.templateText('  \n ', template, no)).toBe(template.body);
    expect(staff.templateText(template.body, template, no)).toBe(template.body);
    expect(asked).toBe(0);
    expect(staff.templateText('Mon brouillon', template, no)).toBeNull();
    expect(staff.templateText('Mon brouillon', template, yes)).toBe(template.body);
    expect(asked).toBe(2);
  });

  it('puts the cursor on the blank line a template leaves to write in, or at the start', () => {
    expect(staff.templateCaret('Voici les données :\n\n\n\nSource : SCT.')).toBe(
      'Voici les données :\n\n'.length,
    );
    expect(staff.templateCaret('Merci.\n\nÀ bientôt.')).toBe(0);
  });

  it('names the placeholders a template could not fill, for the person to complete', () => {
    expect(staff.unfilledText({ unfilled: [] }, fr)).toBe('');
    expect(staff.unfilledText(undefined, fr)).toBe('');
    expect(staff.unfilledText({ unfilled: ['answerBy', 'reference'] }, fr)).toBe(
      'À compléter dans le texte\u00a0: {answerBy}, {reference}',
    );
    expect(staff.unfilledText({ unfilled: ['answerBy'] }, en)).toBe('To complete in the text: {answerBy}');
  });

  it('puts each API issue next to its field, the rest above the form', () => {
    const { byField, general } = staff.splitIssues(
      [
        { path: 'answerBy', message: 'doit être une date' },
        { path: 'to', message: 'requis' },
        { path: 'headers.idempotency-key', message: 'clé invalide' },
        { path: '', message: 'corps invalide' },
      ],
      ['answerBy', 'to.unit', 'to.assignee'],
    );

    expect(Object.fromEntries(byField)).toEqual({ answerBy: ['doit être une date'], 'to.unit': ['requis'] });
    expect(general).toEqual(['clé invalide', 'corps invalide']);
  });

  it('puts a refused promised date next to the date field, other refusals above the form', () => {
    const date = {
      code: 'ANSWER_DATE_NOT_BUSINESS_DAY',
      detail: 'Le 3 janvier 2027 est un dimanche.',
    };
    const invalid = {
      code: 'INVALID_REQUEST',
      detail: 'La requête contient des champs invalides.',
      errors: [{ field: 'reason', detail: 'ne doit pas être vide' }],
    };
    const closed = { code: 'CASE_CLOSED', detail: 'Impossible : il est fermé.' };

    expect(staff.formErrors(422, date, fr)).toEqual({
      summary: STAFF_STRINGS.fr.script['error.invalid'],
      issues: [{ path: 'answerBy', message: date.detail }],
    });
    expect(staff.formErrors(400, invalid, fr)).toEqual({
      summary: invalid.detail,
      issues: [{ path: 'reason', message: 'ne doit pas être vide' }],
    });
    expect(staff.formErrors(409, closed, fr)).toEqual({ summary: closed.detail, issues: [] });
  });

  it('keeps the Idempotency-Key while the outcome is unknown and draws a new one when nothing was recorded', () => {
    let drawn = 0;
    const key = staff.createFormKey(() => `key-${++drawn}`);
    const seen = [key.current()];

    key.settle(500);
    seen.push(key.current());
    key.settle(0);
    seen.push(key.current());
    key.settle(422);
    seen.push(key.current());
    key.renew();
    seen.push(key.current());

    expect(seen).toEqual(['key-1', 'key-1', 'key-1', 'key-2', 'key-3']);
  });
});

describe('audit page', () => {
  it('says whether the ledger is intact, and lists every broken case', () => {
    expect(audit.verifyMessage({ ok: true, cases: 12, events: 140 }, fr)).toBe(
      'Registre intact\u00a0: 12 dossiers et 140 événements vérifiés.',
    );
    const broken = {
      ok: false,
      cases: 3,
      events: 20,
      badCases: [
        { caseId: 'c-2', seq: 4, problem: 'hash-mismatch' },
        { caseId: 'c-3', seq: 1, problem: 'gap' },
      ],
      badCaseCount: 2,
      truncated: false,
    };
    expect(audit.verifyMessage(broken, en, 'en')).toBe(
      'Ledger broken: 2 cases of 3 fail their check (20 events read).',
    );
    expect(audit.verifyItems(broken, en)).toEqual([
      {
        caseId: 'c-2',
        text: 'Case c-2, event no. 4: the recorded hash no longer matches the content (changed afterwards)',
      },
      { caseId: 'c-3', text: 'Case c-3, event no. 1: an event is missing from the numbering' },
    ]);
    expect(
      audit.verifyItems({ ...broken, badCases: [{ caseId: 'c-4', seq: 2, problem: 'mirror-missing' }] }, fr),
    ).toEqual([
      {
        caseId: 'c-4',
        text: 'Dossier c-4, événement n° 2\u00a0: le miroir inaltérable n’a pas cet événement',
      },
    ]);
    expect(audit.verifyMessage({ ...broken, cases: 300, badCaseCount: 250, truncated: true }, fr, 'fr')).toBe(
      'Registre rompu\u00a0: 250 dossiers sur 300 échouent à la vérification (20 événements lus). Seuls les 2 premiers sont listés.',
    );
    expect(audit.verifyItems({ ok: true, cases: 1, events: 1 }, fr)).toEqual([]);
  });

  it('follows a verification run: its progress, then its result with the digest and when it ended', () => {
    const base = { runId: 'r-1', startedAt: '2026-03-04T15:00:00.000Z', mirrorObjects: 0, badCases: [] };
    const running = { ...base, status: 'running', phase: 'cases', cases: 40, events: 600, badCaseCount: 0 };
    const digest = {
      status: 'valid',
      day: '2026-03-03',
      key: 'k',
      heads: 41,
      bytes: 9,
      checked: 41,
      mismatches: 0,
    };
    const done = {
      ...running,
      status: 'succeeded',
      phase: 'done',
      ok: true,
      digest,
      finishedAt: '2026-03-04T15:02:00.000Z',
    };

    expect(audit.verificationRunText(running, fr, 'fr')).toBe('Vérification en cours…');
    expect(audit.verificationProgressText({ ...running, digest }, fr)).toBe(
      'Dossiers vérifiés jusqu’ici\u00a0: 40 sur environ 41 (le nombre de la dernière empreinte signée).',
    );
    // Cases opened since the digest: the count has passed its number, which is no longer shown.
    expect(audit.verificationProgressText({ ...running, cases: 45, digest }, en)).toBe(
      'Cases checked so far: 45.',
    );
    expect(audit.verificationProgressText({ ...running, digest: { status: 'none' } }, en)).toBe(
      'Cases checked so far: 40.',
    );
    expect(
      audit.verificationProgressText({ ...running, phase: 'digest', digest: { ...digest, checked: 12 } }, en),
    ).toBe('Cases checked: 40. Signed digest heads checked: 12 of 41.');
    expect(audit.verificationRunText(done, en, 'en')).toBe(
      'Ledger intact: 40 cases and 600 events verified. Signed digest of 2026-03-03: signature valid, 41 of 41 ' +
        'case heads found, 0 mismatch(es). Verification finished: 2026-03-04, 10:02 a.m.',
    );
    expect(audit.verificationRunText({ ...done, digest: { status: 'none' } }, fr, 'fr')).toContain(
      'Aucune empreinte signée à comparer pour l’instant.',
    );
    expect(
      audit.verificationRunText({ ...done, digest: { ...digest, status: 'invalid' } }, fr, 'fr'),
    ).toContain('Empreinte signée du 2026-03-03\u00a0: la signature ne correspond pas au contenu.');
    const stopped = '2026-03-04T15:06:00.000Z';
    expect(
      audit.verificationRunText(
        { ...running, status: 'failed', error: 'StoreUnavailableError', finishedAt: stopped },
        en,
        'en',
      ),
    ).toBe(
      'The verification could not finish: one of its steps failed despite its retries (StoreUnavailableError). ' +
        'Start it again. Stopped: 2026-03-04, 10:06 a.m.',
    );
  });

  it('says why a run that died ended, as the API reports it, in French and in English', () => {
    const dead = {
      runId: 'r-1',
      startedAt: '2026-03-04T15:00:00.000Z',
      updatedAt: '2026-03-04T15:01:00.000Z',
      status: 'failed',
      phase: 'cases',
      cases: 40,
    };
    const stopped = { ...dead, error: 'ExecutionAborted', finishedAt: '2026-03-04T15:06:00.000Z' };

    expect(audit.verificationRunText(stopped, fr, 'fr')).toBe(
      'La vérification a été arrêtée avant sa fin (son exécution a été interrompue). Relancez-la. ' +
        'Arrêt\u00a0: 2026-03-04 10 h 06',
    );
    expect(audit.verificationRunText(stopped, en, 'en')).toBe(
      'The verification was stopped before it ended (its execution was stopped). Start it again. ' +
        'Stopped: 2026-03-04, 10:06 a.m.',
    );
    expect(audit.verificationRunText({ ...dead, error: 'RunStale' }, fr, 'fr')).toBe(
      'La vérification ne progresse plus depuis le 2026-03-04 10 h 01\u00a0: elle est considérée comme ' +
        'interrompue. Relancez-la.',
    );
    expect(audit.verificationRunText({ ...dead, error: 'RunStale' }, en, 'en')).toBe(
      'The verification has made no progress since 2026-03-04, 10:01 a.m.: it is taken as interrupted. ' +
        'Start it again.',
    );
    for (const error of ['ExecutionNotFound', 'ExecutionFailed', 'ExecutionEndedUnrecorded'])
      expect(audit.verificationRunText({ ...dead, error }, en, 'en')).toBe(
        'The verification stopped without recording its end (its execution has ended or cannot be found). ' +
          'Start it again.',
      );
    expect(audit.verificationRunText({ ...dead, error: 'ExecutionTimedOut' }, fr, 'fr')).toBe(
      'La vérification a dépassé la durée maximale de son exécution. Relancez-la.',
    );
    expect(audit.verificationRunText({ ...dead, error: 'States.Timeout' }, en, 'en')).toBe(
      'The verification could not finish: one of its steps ran past its time limit despite its retries ' +
        '(States.Timeout). Start it again.',
    );
    // A run the API reports failed has ended: the page stops following it.
    const view = audit.verificationView(
      { latest: stopped, lastFinished: null },
      { runId: 'r-1', startedAt: dead.startedAt },
    );
    expect(view.next).toBeNull();
  });

  it('follows the run its start answered, not the run stored before it, until that run has ended', () => {
    const previous = {
      runId: 'r-0',
      startedAt: '2026-03-04T14:00:00.000Z',
      status: 'succeeded',
      ok: true,
      finishedAt: '2026-03-04T14:01:00.000Z',
    };
    const started = { runId: 'r-1', startedAt: '2026-03-04T15:00:00.000Z' };
    const running = { ...started, status: 'running', phase: 'cases', cases: 3 };
    const ended = { ...started, status: 'succeeded', ok: true, finishedAt: '2026-03-04T15:01:00.000Z' };

    // The start answers before the run's first step stores it: the previous run (or nothing) is still the latest.
    expect(audit.verificationView({ latest: null, lastFinished: null }, started)).toEqual({
      run: null,
      last: null,
      next: started,
    });
    expect(audit.verificationView({ latest: previous, lastFinished: previous }, started)).toEqual({
      run: null,
      last: previous,
      next: started,
    });
    expect(audit.verificationView({ latest: running, lastFinished: previous }, started)).toEqual({
      run: running,
      last: previous,
      next: started,
    });
    expect(audit.verificationView({ latest: ended, lastFinished: ended }, started)).toEqual({
      run: ended,
      last: null,
      next: null,
    });
    // Ended, and another auditor has started the next one since: that one is followed.
    const later = { runId: 'r-2', startedAt: '2026-03-04T15:05:00.000Z', status: 'running', phase: 'cases' };
    expect(audit.verificationView({ latest: later, lastFinished: ended }, started)).toEqual({
      run: ended,
      last: null,
      next: null,
    });
    expect(audit.verificationView({ latest: later, lastFinished: previous }, started)).toEqual({
      run: later,
      last: previous,
      next: { runId: 'r-2', startedAt: '2026-03-04T15:05:00.000Z' },
    });
    // On opening the page: the latest run, followed while it runs.
    expect(audit.verificationView({ latest: running, lastFinished: previous }, null).next).toEqual(started);
    expect(audit.verificationView({ latest: null, lastFinished: previous }, null)).toEqual({
      run: previous,
      last: null,
      next: null,
    });
    expect(audit.verificationView({ latest: null, lastFinished: null }, null)).toEqual({
      run: null,
      last: null,
      next: null,
    });
  });

  it('names a finding’s problem in words, or by its code when the page has none', () => {
    expect(audit.problemText('digest-missing', en)).toBe(
      'the signed digest’s event is no longer in the ledger',
    );
    expect(audit.problemText('something-new', fr)).toBe('something-new');
  });

  it('agrees in number: one case, one event, zero in French is singular, in English plural', () => {
    expect(audit.verifyMessage({ ok: true, cases: 1, events: 1 }, fr, 'fr')).toBe(
      'Registre intact\u00a0: 1 dossier et 1 événement vérifiés.',
    );
    expect(audit.verifyMessage({ ok: true, cases: 0, events: 0 }, fr, 'fr')).toBe(
      'Registre intact\u00a0: 0 dossier et 0 événement vérifiés.',
    );
    expect(audit.verifyMessage({ ok: true, cases: 0, events: 1 }, en, 'en')).toBe(
      'Ledger intact: 0 cases and 1 event verified.',
    );
    const one = { ok: false, cases: 3, events: 1, badCases: [{ caseId: 'c-2', seq: 4, problem: 'gap' }] };
    expect(audit.verifyMessage({ ...one, badCaseCount: 1 }, fr, 'fr')).toBe(
      'Registre rompu\u00a0: 1 dossier sur 3 échoue à la vérification (1 événement lu).',
    );
    expect(audit.verifyMessage({ ...one, badCaseCount: 1 }, en, 'en')).toBe(
      'Ledger broken: 1 case of 3 fails its check (1 event read).',
    );
    expect(audit.verifyMessage({ ...one, badCaseCount: 9, truncated: true }, fr, 'fr')).toBe(
      'Registre rompu\u00a0: 9 dossiers sur 3 échouent à la vérification (1 événement lu). Seul le premier est listé.',
    );
  });

  it('states the case’s unit by its name at the head of the timeline, as the case page does', () => {
    const withUnits = (language: 'fr' | 'en'): Texts =>
      common.createTexts([
        ...(Object.entries(STAFF_STRINGS[language].script) as [string, string][]),
        ...unitNames(loadSctPolicy(), language).map(([unit, name]): [string, string] => [
          `unit.${unit}`,
          name,
        ]),
      ]);
    const summary = {
      reference: 'SCT-2026-000001',
      caseId: 'c-1',
      unit: 'statistics',
      assignee: 'demo-agent',
    };

    expect(audit.timelineFacts(summary, 'fr', withUnits('fr'))).toEqual([
      ['Référence', 'SCT-2026-000001'],
      [STAFF_STRINGS.fr.script['field.caseId'], 'c-1'],
      ['Unité', 'Statistiques sur l’effectif et les acquisitions'],
      ['Personne assignée', 'demo-agent'],
    ]);
    expect(audit.timelineFacts(summary, 'en', withUnits('en'))).toContainEqual([
      'Unit',
      'Workforce and procurement statistics',
    ]);
    // A unit the policy no longer names still shows, by its id.
    expect(audit.timelineFacts({ unit: 'archives' }, 'en', en)).toEqual([['Unit', 'archives']]);
  });

  it('shows the assignee and the staff of the chronology by their directory name, the id without one', () => {
    const names = { 'demo-agent': 'Agent Démo' };

    expect(audit.timelineFacts({ assignee: 'demo-agent' }, 'fr', fr, names)).toEqual([
      ['Personne assignée', 'Agent Démo'],
    ]);
    expect(audit.actorText({ kind: 'staff', id: 'demo-agent', role: 'agent' }, fr, names)).toContain(
      '(Agent Démo, ',
    );
    expect(audit.actorText({ kind: 'staff', id: 'sup-gagnon' }, en, names)).toContain('(sup-gagnon)');
  });

  it('names each chronology entry in the page’s language: events, steps, runs', () => {
    expect(audit.chronologyWhat({ source: 'ledger', type: 'case.acknowledged' }, fr)).toBe(
      STAFF_STRINGS.fr.script['event.case.acknowledged'],
    );
    const step = {
      source: 'workflow',
      phase: 'step-entered',
      step: 'PlanDeadlines',
      historyType: 'TaskStateEntered',
    };
    expect(audit.chronologyWhat(step, fr)).toBe('Calcul des échéances');
    expect(audit.chronologyWhat(step, en)).toBe('Planning the deadlines');
    expect(
      audit.chronologyWhat({ source: 'workflow', phase: 'execution-started', execution: 'c-1--g2' }, en),
    ).toBe('Run c-1--g2 started');
  });

  it('has a label in French and in English for every state of the case-lifecycle state machine', () => {
    const definition = JSON.parse(
      readFileSync(path.join(__dirname, '../../../statemachines/case-lifecycle.asl.json'), 'utf8'),
    ) as { States: Record<string, unknown> };
    const states = Object.keys(definition.States);
    expect(states.length).toBeGreaterThan(10);
    for (const language of ['fr', 'en'] as const) {
      const script = STAFF_STRINGS[language].script as Readonly<Record<string, string>>;
      const missing = states.filter((state) => !/\S/.test(script[`step.${state}`] ?? ''));
      expect({ language, missing }).toEqual({ language, missing: [] });
    }
  });

  it('says whether a case’s chain is intact', () => {
    expect(audit.chainMessage({ ok: true }, en)).toBe(STAFF_STRINGS.en.script['chain.ok']);
    expect(audit.chainMessage({ ok: false, seq: 7, problem: 'prevHash' }, fr)).toBe(
      'Chaîne d’empreintes rompue à l’événement n° 7\u00a0: prevHash.',
    );
  });

  it('looks up the case id typed, trimmed', () => {
    expect(audit.lookupTarget('  abc-1 ')).toBe('abc-1');
    expect(audit.lookupTarget('   ')).toBeNull();
  });
});

describe('the files of a case', () => {
  const file = (attachmentId: string, filename: string) => ({
    attachmentId,
    filename,
    key: `case/${attachmentId}`,
    contentType: 'application/pdf',
    size: 10,
  });

  it('lists the case’s own files, then each received message’s with its date, each once', () => {
    const content = {
      attachments: [file('aaaa.01', 'Résumé (1).pdf')],
      messages: [
        { receivedAt: '2026-03-04T15:00:00.000Z', attachments: [file('bbbb.01', 'tableau.xlsx')] },
        { receivedAt: '2026-03-05T15:00:00.000Z', attachments: [file('aaaa.01', 'Résumé (1).pdf')] },
      ],
    };

    const files = staff.caseFiles(content, 'fr', fr);

    expect(files.map(({ file: f }) => f.filename)).toEqual(['Résumé (1).pdf', 'tableau.xlsx']);
    expect(files[0]?.origin).toBe('');
    expect(files[1]?.origin).toBe(
      `— message reçu le ${common.quebecDateTime('2026-03-04T15:00:00.000Z', 'fr')}`,
    );
    expect(staff.caseFiles(content, 'en', en)[1]?.origin).toMatch(/^— message received /);
  });

  it('says sizes in the page’s language', () => {
    // Intl separates the number from its unit with a (narrow) no-break space.
    expect(staff.fileSize(512, 'fr')).toMatch(/^512\soctets$/);
    expect(staff.fileSize(12_700, 'fr')).toMatch(/^12\sko$/);
    expect(staff.fileSize(3_407_872, 'fr')).toMatch(/^3,3\sMo$/);
    expect(staff.fileSize(12_700, 'en')).toMatch(/^12\skB$/);
  });

  it('has a download label and a not-found sentence in French and English', () => {
    expect(fr('attachment.download')).toBe('Télécharger');
    expect(en('attachment.download')).toBe('Download');
    expect(en('attachment.downloadNamed', { filename: 'a.pdf' })).toBe('Download a.pdf');
    expect(fr('attachment.notFound')).not.toBe('attachment.notFound');
  });
});
