import { readFileSync } from 'node:fs';
import path from 'node:path';

import {
  HoldingAttachBodySchema,
  HoldingDismissBodySchema,
  HoldingListQuerySchema,
  HoldingRegisterBodySchema,
} from '../../../shared/schemas/holding-api';
import { StaffIntakeBodySchema } from '../../../shared/schemas/staff-api';
import { HOLDING_KINDS } from '../../../shared/domain/intake/email/holding-pen';
import { DISMISS_REASONS } from '../../../shared/domain/intake/email/holding-triage';
import { SCRIPT_TEXT_KEYS, STAFF_STRINGS } from '../../../web/staff';
import { INTAKE_SCRIPT_TEXT_KEYS, INTAKE_STRINGS } from '../../../web/staff/intake-strings';

/** The exports of `web/static/intake.js`, `holding.js` and `staff-forms.js` (browser modules, through jest's transform). */
type Texts = (key: string, values?: Record<string, unknown>) => string;
interface Common {
  createTexts(entries: [string, string][]): Texts;
  navItemShown(roles: string[], forRoles: string | undefined): boolean;
}
interface Intake {
  quebecInstant(local: string): string;
  intakeBody(entries: [string, string][]): Record<string, unknown>;
  requesterBody(values: Record<string, string>): Record<string, unknown>;
  intakeErrors(
    status: number,
    body: unknown,
    t: Texts,
  ): { summary: string; issues: { path: string; message: string }[]; lateEntry: boolean };
  fitsChannel(option: { value: string; dataset?: { channels?: string } }, channel: string): boolean;
}
interface Holding {
  PAGE_SIZE: number;
  holdingQuery(filters: Record<string, string>, cursor?: string): string;
  triageBody(action: string, entries: [string, string][], caseId?: string): Record<string, unknown>;
  triageText(
    triage: Record<string, string>,
    language: string,
    t: Texts,
    names?: Record<string, string>,
  ): string;
  listedText(count: number, language: string, t: Texts): string;
}
interface Forms {
  issueField(path: unknown, fieldNames: string[]): string | undefined;
  placeIssues(issues: unknown, visible: string[]): { byField: Map<string, string[]>; general: string[] };
}

const common = jest.requireActual<Common>('../../../web/static/staff-common.js');
const intake = jest.requireActual<Intake>('../../../web/static/intake.js');
const holding = jest.requireActual<Holding>('../../../web/static/holding.js');
const forms = jest.requireActual<Forms>('../../../web/static/staff-forms.js');

const texts = (language: 'fr' | 'en'): Texts =>
  common.createTexts([
    ...(Object.entries(STAFF_STRINGS[language].script) as [string, string][]),
    ...(Object.entries(INTAKE_STRINGS[language].script) as [string, string][]),
  ]);
const fr = texts('fr');
const en = texts('en');

describe('the words of the intake and holding-pen scripts', () => {
  const sources = ['intake.js', 'holding.js', 'staff-forms.js'].map((file) =>
    readFileSync(path.join(__dirname, '../../../web/static', file), 'utf8'),
  );

  it('are all given by the page: every literal key the scripts ask for is a page key', () => {
    const keys: readonly string[] = [...SCRIPT_TEXT_KEYS, ...INTAKE_SCRIPT_TEXT_KEYS];
    const used = sources.flatMap((source) =>
      [...source.matchAll(/\bt\('([^']+)'/g)].map((match) => match[1]),
    );

    expect(used.length).toBeGreaterThan(30);
    for (const key of used) expect([key, keys.includes(key ?? '')]).toEqual([key, true]);
  });

  it('name every reason for holding, status, dismissal and triage outcome the scripts look up by value', () => {
    const keys: readonly string[] = INTAKE_SCRIPT_TEXT_KEYS;
    const expected = [
      ...HOLDING_KINDS.map((kind) => `holding.kind.${kind}`),
      ...['open', 'recorded', 'resolved'].map((status) => `holding.status.${status}`),
      ...DISMISS_REASONS.map((reason) => `holding.dismissReason.${reason}`),
      ...['attached', 'case-created', 'dismissed'].flatMap((outcome) => [
        `holding.triage.${outcome}`,
        `holding.done.${outcome}`,
      ]),
    ];

    for (const key of expected) expect([key, keys.includes(key)]).toEqual([key, true]);
  });

  it('exist in French and in English, never empty, never the same sentence in both', () => {
    for (const key of INTAKE_SCRIPT_TEXT_KEYS) {
      const french = INTAKE_STRINGS.fr.script[key];
      const english = INTAKE_STRINGS.en.script[key];
      expect([key, french.trim() !== '', english.trim() !== '']).toEqual([key, true, true]);
      if (!/^\{?[a-z]*\}?$|^Page \{n\}$|^\{name\}/.test(english)) {
        expect([key, french === english]).toEqual([key, false]);
      }
    }
  });
});

describe('the header link to the intake page', () => {
  it('is offered to those who handle cases, not to auditors or administrators', () => {
    const forRoles = 'agent supervisor complaints-officer';

    expect(common.navItemShown(['agent'], forRoles)).toBe(true);
    expect(common.navItemShown(['auditor', 'complaints-officer'], forRoles)).toBe(true);
    expect(common.navItemShown(['auditor'], forRoles)).toBe(false);
    expect(common.navItemShown(['admin'], forRoles)).toBe(false);
    expect(common.navItemShown([], undefined)).toBe(true);
  });
});

describe('the received-at typed in Québec time', () => {
  it.each([
    ['2026-12-18T09:30', '2026-12-18T09:30:00-05:00', '2026-12-18T14:30:00.000Z'],
    ['2026-07-01T12:00', '2026-07-01T12:00:00-04:00', '2026-07-01T16:00:00.000Z'],
    // Clocks spring forward at 02:00 on 8 March 2026: 02:30 does not exist, read as 03:30 EDT.
    ['2026-03-08T02:30', '2026-03-08T02:30:00-05:00', '2026-03-08T07:30:00.000Z'],
    // 01:30 happens twice on 1 November 2026: the first one, in daylight time.
    ['2026-11-01T01:30', '2026-11-01T01:30:00-04:00', '2026-11-01T05:30:00.000Z'],
    ['2026-11-01T03:00', '2026-11-01T03:00:00-05:00', '2026-11-01T08:00:00.000Z'],
  ])('%s is %s (%s)', (local, iso, utc) => {
    const instant = intake.quebecInstant(local);

    expect(instant).toBe(iso);
    expect(new Date(instant).toISOString()).toBe(utc);
  });

  it('is empty when the text is not a date and time, for the API to say what it expects', () => {
    expect(['', '2026-12-18', 'demain', '2026-12-18T9:30'].map(intake.quebecInstant)).toEqual([
      '',
      '',
      '',
      '',
    ]);
  });
});

const PHONE_CALL: [string, string][] = [
  ['channel', 'phone'],
  ['category', 'statistics'],
  ['receivedAt', '2026-12-18T09:30'],
  ['evidence.kind', 'call-time'],
  ['evidence.reference', ' appel-0042 '],
  ['evidence.note', ''],
  ['requester.name', ' Lucie Gagnon '],
  ['requester.language', 'fr'],
  ['requester.languageBasis.basis', ''],
  ['requester.languageBasis.attestedOn', ''],
  ['requester.languageBasis.arrivedOn', ''],
  ['contact', 'email'],
  ['requester.email', 'lucie@example.com'],
  ['requester.postalAddress.lines', 'ignored'],
  ['requester.postalAddress.municipality', 'ignored'],
  ['requester.postalAddress.country', 'CA'],
  ['requester.phone', ''],
  ['subject', 'Effectifs 2025'],
  ['body', 'Elle demande\nles effectifs.'],
];

const replace = (entries: [string, string][], changes: Record<string, string>): [string, string][] => [
  ...entries.filter(([name]) => !(name in changes)),
  ...Object.entries(changes),
];

describe('the intake body', () => {
  it('is what the API accepts for a phone call: the instant, the evidence, the email, no empty optional field', () => {
    const body = intake.intakeBody(PHONE_CALL);

    expect(StaffIntakeBodySchema.safeParse(body).success).toBe(true);
    expect(body).toEqual({
      channel: 'phone',
      category: 'statistics',
      requester: { name: 'Lucie Gagnon', language: 'fr', email: 'lucie@example.com' },
      subject: 'Effectifs 2025',
      body: 'Elle demande\nles effectifs.',
      receivedAt: '2026-12-18T09:30:00-05:00',
      evidence: { kind: 'call-time', reference: 'appel-0042' },
    });
  });

  it('gives a letter’s postal address, one line per line, the country in capitals, and no email', () => {
    const body = intake.intakeBody(
      replace(PHONE_CALL, {
        channel: 'mail',
        'evidence.kind': 'postmark',
        contact: 'postal',
        'requester.postalAddress.lines': '12, rue des Érables\r\n\r\n app. 3 ',
        'requester.postalAddress.municipality': 'Lévis',
        'requester.postalAddress.postalCode': 'G6V 1A1',
        'requester.postalAddress.country': 'ca',
      }),
    );

    expect(StaffIntakeBodySchema.safeParse(body).success).toBe(true);
    expect(body['requester']).toEqual({
      name: 'Lucie Gagnon',
      language: 'fr',
      postalAddress: {
        lines: ['12, rue des Érables', 'app. 3'],
        municipality: 'Lévis',
        postalCode: 'G6V 1A1',
        country: 'CA',
      },
    });
  });

  it('gives English with its basis, and no address when none was given', () => {
    const body = intake.intakeBody(
      replace(PHONE_CALL, {
        contact: 'none',
        'requester.language': 'en',
        'requester.languageBasis.basis': 'outside-quebec',
        'requester.languageBasis.attestedOn': '2026-12-18',
        'requester.phone': '418 555-0100',
      }),
    );

    expect(StaffIntakeBodySchema.safeParse(body).success).toBe(true);
    expect(body['requester']).toEqual({
      name: 'Lucie Gagnon',
      language: 'en',
      phone: '418 555-0100',
      languageBasis: { basis: 'outside-quebec', attestedOn: '2026-12-18' },
    });
  });

  it('confirms a late entry only once the box is ticked', () => {
    expect(intake.intakeBody(PHONE_CALL)).not.toHaveProperty('confirmLateEntry');
    expect(intake.intakeBody([...PHONE_CALL, ['confirmLateEntry', 'true']])).toMatchObject({
      confirmLateEntry: true,
    });
  });
});

describe('a refused intake', () => {
  it('asks for the late-entry confirmation on RECEIVED_AT_TOO_OLD and puts the API’s message on the receipt time', () => {
    const refused = {
      code: 'RECEIVED_AT_TOO_OLD',
      detail: 'La date de réception remonte à plus de 90 jours.',
    };

    const errors = intake.intakeErrors(422, refused, fr);

    expect(errors.lateEntry).toBe(true);
    expect(errors.issues).toEqual([
      { path: 'receivedAt', message: 'La date de réception remonte à plus de 90 jours.' },
    ]);
    expect(errors.summary).toContain(INTAKE_STRINGS.fr.script['intake.lateEntryAsked']);
  });

  it('puts a category that does not take the channel on the category, and the API’s field issues where they are', () => {
    const channel = intake.intakeErrors(422, { code: 'CHANNEL_NOT_ACCEPTED', detail: 'No phone calls.' }, en);
    const fields = intake.intakeErrors(
      400,
      {
        code: 'INVALID_REQUEST',
        detail: 'Invalid.',
        errors: [{ field: 'subject', detail: 'Required.' }],
      },
      en,
    );

    expect(channel).toMatchObject({
      lateEntry: false,
      issues: [{ path: 'category', message: 'No phone calls.' }],
    });
    expect(fields).toEqual({
      summary: 'Invalid.',
      issues: [{ path: 'subject', message: 'Required.' }],
      lateEntry: false,
    });
  });

  it('says a date and time are missing rather than the instant format the page itself sends', () => {
    const errors = intake.intakeErrors(
      400,
      {
        code: 'INVALID_REQUEST',
        detail: 'Invalid.',
        errors: [{ field: 'receivedAt', detail: 'must be an ISO 8601 instant with its time zone' }],
      },
      en,
    );

    expect(errors.issues).toEqual([{ path: 'receivedAt', message: 'Give a valid date and time.' }]);
  });

  it('offers only the categories and proofs that fit the channel', () => {
    const option = (value: string, channels?: string) => ({
      value,
      ...(channels !== undefined ? { dataset: { channels } } : { dataset: {} }),
    });

    expect(intake.fitsChannel(option('media', 'email phone'), 'mail')).toBe(false);
    expect(intake.fitsChannel(option('media', 'email phone'), 'phone')).toBe(true);
    expect(intake.fitsChannel(option('', 'email'), 'mail')).toBe(true);
    expect(intake.fitsChannel(option('free'), 'mail')).toBe(true);
  });
});

describe('errors placed by field', () => {
  const names = [
    'subject',
    'requester.name',
    'requester.postalAddress.lines',
    'requester.languageBasis.basis',
    'requester.languageBasis.attestedOn',
  ];

  it.each([
    ['subject', 'subject'],
    ['requester.postalAddress.lines.0', 'requester.postalAddress.lines'],
    ['requester.languageBasis', 'requester.languageBasis.basis'],
    ['requester.postalAddress.country', undefined],
    ['', undefined],
  ])('%s goes to %s', (path, field) => {
    expect(forms.issueField(path, names)).toBe(field);
  });

  it('keeps an issue without a shown field for the summary', () => {
    const { byField, general } = forms.placeIssues(
      [
        { path: 'subject', message: 'a' },
        { path: 'evidence.kind', message: 'b' },
        { path: 'subject', message: 'c' },
      ],
      ['subject'],
    );

    expect([...byField]).toEqual([['subject', ['a', 'c']]]);
    expect(general).toEqual(['b']);
  });
});

describe('the holding pen', () => {
  it('asks the API for a page of a status, a reason, an order and the cursor, as its query schema reads it', () => {
    const first = holding.holdingQuery({ status: 'resolved', kind: 'spam', order: 'newest' });
    const next = holding.holdingQuery({ status: 'bogus', kind: '', order: '' }, 'abc');

    expect(first).toBe(
      `/api/staff/holding?status=resolved&kind=spam&order=newest&limit=${holding.PAGE_SIZE}`,
    );
    expect(next).toBe(`/api/staff/holding?status=open&order=oldest&limit=${holding.PAGE_SIZE}&cursor=abc`);
    const query = Object.fromEntries(new URL(next, 'http://x').searchParams);
    expect(HoldingListQuerySchema.parse(query)).toMatchObject({
      status: 'open',
      order: 'oldest',
      cursor: 'abc',
    });
  });

  it('sends triage bodies the API accepts: the resolved case id, a new case, a dismissal with its note', () => {
    const attach = holding.triageBody('attach', [['caseId', 'SCT-2026-000001']], 'case-0001-abcdef');
    const register = holding.triageBody('register', [
      ['category', 'statistics'],
      ['requester.name', 'Jean Inconnu'],
      ['requester.language', 'fr'],
      ['contact', 'email'],
      ['requester.email', 'jean@autre.example'],
      ['subject', ''],
      ['body', ''],
    ]);
    const dismiss = holding.triageBody('dismiss', [
      ['reason', 'other'],
      ['note', ' Publicité '],
    ]);

    expect(attach).toEqual({ caseId: 'case-0001-abcdef' });
    expect(register).toEqual({
      category: 'statistics',
      requester: { name: 'Jean Inconnu', language: 'fr', email: 'jean@autre.example' },
    });
    expect(dismiss).toEqual({ reason: 'other', note: 'Publicité' });
    expect(HoldingAttachBodySchema.safeParse(attach).success).toBe(true);
    expect(HoldingRegisterBodySchema.safeParse(register).success).toBe(true);
    expect(HoldingDismissBodySchema.safeParse(dismiss).success).toBe(true);
    expect(
      holding.triageBody('dismiss', [
        ['reason', 'spam'],
        ['note', ''],
      ]),
    ).toEqual({ reason: 'spam' });
  });

  it('says how an item was dealt with, and how many items are shown, in the page’s language', () => {
    const triage = {
      outcome: 'dismissed',
      by: 'demo-agent',
      role: 'agent',
      at: '2026-12-18T15:00:00Z',
      reason: 'other',
      note: 'Pub',
    };

    expect(holding.triageText(triage, 'fr', fr)).toMatch(
      /^Écarté \(autre\) par demo-agent \(agent\), le 2026-12-18 10 h 00 — Pub$/,
    );
    expect(
      holding.triageText({ ...triage, outcome: 'attached', caseId: 'SCT-2026-000001' }, 'en', en),
    ).toMatch(/^Attached to case SCT-2026-000001 by demo-agent \(agent\) on 2026-12-18/);
    // Who triaged it, by their directory name when it has one.
    expect(holding.triageText(triage, 'fr', fr, { 'demo-agent': 'Agent Démo' })).toMatch(
      /^Écarté \(autre\) par Agent Démo \(agent\), le /,
    );
    expect([0, 1, 2].map((n) => holding.listedText(n, 'fr', fr))).toEqual([
      'Aucun courriel retenu.',
      '1\u00a0courriel retenu affiché.',
      '2\u00a0courriels retenus affichés.',
    ]);
    expect(holding.listedText(2, 'en', en)).toBe('2 held emails shown.');
  });
});
