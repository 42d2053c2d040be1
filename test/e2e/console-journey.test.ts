import type { BrowserContext, Page } from 'playwright-core';

import { sendSmtp } from '../integration/local-stack/support';
import { launchChromium, type LaunchedChromium } from '../support/browser';
import { spawnLocalStack } from '../support/spawned-stack';
import type { SpawnedStack } from '../support/spawned-stack';

/**
 * A clerk's whole day on the console, in Debian's chromium against `npm start`, found by the words a person
 * reads (roles and labels in the page's language): sign in through the demo login page, open a case by the
 * reference typed in the header's search box, assign it to oneself, write an internal note, answer from a
 * template, register a phone call, triage an email held by intake, then sign in as the auditor and read the
 * case's chronology (the note and the workflow's steps, in the page's language). French and English, on a
 * desktop and on a phone, where no page visited may need sideways scrolling. One stack for the four runs; each
 * run has its own cases.
 */
jest.setTimeout(120_000);

const WORDS = {
  fr: {
    prefix: '',
    agent: 'Agent',
    auditor: 'Vérificateur',
    signIn: 'Se connecter',
    search: 'Trouver un dossier',
    caseTitle: (reference: string) => `Dossier ${reference}`,
    assignToMe: 'M’assigner',
    assigned: 'vous est assigné',
    notes: 'Notes internes',
    noteText: 'Texte de la note',
    addNote: 'Ajouter la note',
    template: 'Partir d’un modèle',
    answerText: 'Réponse',
    answer: 'Répondre',
    answered: 'Répondu',
    intakeLink: 'Saisir un courrier ou un appel',
    phoneCall: 'Appel téléphonique',
    category: 'Catégorie',
    receivedAt: 'Reçue le (heure du Québec)',
    requesterName: 'Nom complet ou nom de l’entreprise',
    email: 'Adresse courriel',
    subject: 'Objet',
    body: 'Texte de la demande',
    register: 'Enregistrer la demande',
    registered: /Dossier (SCT-2026-\d{6}) enregistré\./,
    holdingLink: 'Courriels retenus',
    read: 'Lire',
    attachCase: 'Dossier (référence ou identifiant)',
    attach: 'Verser à un dossier',
    attached: (reference: string) => `Courriel versé au dossier ${reference}.`,
    auditLink: 'Vérification',
    timelineTitle: (reference: string) => `Chronologie du dossier ${reference}`,
    chronology: /^Événements du registre/,
    noted: 'Note interne ajoutée',
    workflow: 'Flux de travail',
    routeAndNotify: 'Acheminement et avis à l’unité',
    unit: 'Unité',
    unitName: 'Statistiques sur l’effectif et les acquisitions',
  },
  en: {
    prefix: '/en',
    agent: 'Agent',
    auditor: 'Auditor',
    signIn: 'Sign in',
    search: 'Find a case',
    caseTitle: (reference: string) => `Case ${reference}`,
    assignToMe: 'Assign to me',
    assigned: 'is now assigned to you',
    notes: 'Internal notes',
    noteText: 'Note text',
    addNote: 'Add the note',
    template: 'Start from a template',
    answerText: 'Answer',
    answer: 'Answer',
    answered: 'Answered',
    intakeLink: 'Enter mail or a call',
    phoneCall: 'Phone call',
    category: 'Category',
    receivedAt: 'Received on (Québec time)',
    requesterName: 'Full name or company name',
    email: 'Email address',
    subject: 'Subject',
    body: 'Text of the request',
    register: 'Register the request',
    registered: /Case (SCT-2026-\d{6}) registered\./,
    holdingLink: 'Held email',
    read: 'Read',
    attachCase: 'Case (reference or id)',
    attach: 'Attach to a case',
    attached: (reference: string) => `Email attached to case ${reference}.`,
    auditLink: 'Audit',
    timelineTitle: (reference: string) => `Timeline of case ${reference}`,
    chronology: /^Ledger events/,
    noted: 'Internal note added',
    workflow: 'Workflow',
    routeAndNotify: 'Routing and notifying the unit',
    unit: 'Unit',
    unitName: 'Workforce and procurement statistics',
  },
} as const;

const RUNS = [
  { language: 'fr', device: 'desktop', viewport: { width: 1280, height: 900 } },
  { language: 'en', device: 'desktop', viewport: { width: 1280, height: 900 } },
  { language: 'fr', device: 'phone', viewport: { width: 375, height: 740 } },
  { language: 'en', device: 'phone', viewport: { width: 375, height: 740 } },
] as const;

let stack: SpawnedStack;
let browser: BrowserContext;
let launched: LaunchedChromium | undefined;

async function api(method: string, route: string, body?: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(new URL(route, stack.base), {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return (await response.json().catch(() => ({}))) as Record<string, unknown>;
}

/** A new web request of the statistics category; its reference. */
async function newCase(key: string): Promise<string> {
  const submitted = await api(
    'POST',
    '/api/requests',
    {
      category: 'statistics',
      name: 'Marie Tremblay',
      email: 'marie.tremblay@example.com',
      subject: `Effectifs 2025 ${key}`,
      message: 'Pourriez-vous m’envoyer les effectifs 2025 par ministère?',
    },
    { 'idempotency-key': key },
  );
  return String(submitted['reference'] ?? '');
}

/** Mail from a stranger quoting `reference`, over the local SMTP: intake holds it; resolves once it is held. */
async function heldMail(reference: string, subject: string): Promise<void> {
  const port = Number(/SMTP intake\s+127\.0\.0\.1:(\d+)/.exec(stack.stdout())?.[1] ?? 0);
  const replies = await sendSmtp(
    port,
    'jean@autre.example',
    'statistiques@sct.example',
    `From: Jean Inconnu <jean@autre.example>\nTo: statistiques@sct.example\nSubject: ${subject} ${reference}\n` +
      `Message-ID: <${subject.replace(/\W/g, '-')}@autre.example>\n\nVoici une précision sur le dossier.`,
  );
  if (!replies.some((reply) => reply.startsWith('250'))) throw new Error(replies.join(' / '));
  const token = String((await api('POST', '/api/local/login', { role: 'agent' }))['token']);
  for (let tries = 0; tries < 100; tries += 1) {
    const listed = await api('GET', '/api/staff/holding?status=open&limit=100', undefined, {
      authorization: `Bearer ${token}`,
    });
    const items = (listed['items'] ?? []) as { subject?: string }[];
    if (items.some((item) => item.subject === `${subject} ${reference}`)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`not held: ${subject}`);
}

beforeAll(async () => {
  stack = await spawnLocalStack([
    '--memory',
    '--virtual-clock=2026-12-18T15:00:00Z',
    '--port',
    '0',
    '--smtp-port',
    '0',
  ]);
  launched = await launchChromium('jalon-journey-');
  browser = launched.context;
}, 90_000);

afterAll(async () => {
  await launched?.close();
  await stack?.stop();
});

describe.each(RUNS)('a day on the console ($language, $device)', ({ language, device, viewport }) => {
  const words = WORDS[language];
  const run = `${language}-${device}`;
  let page: Page;
  let reference = '';
  /** The pages whose width was measured, with whether each fitted the screen. */
  const widths: [string, boolean][] = [];

  /** At the phone's width, whether the page needs no sideways scrolling (recorded, asserted per step). */
  async function fitsTheScreen(): Promise<boolean> {
    if (device !== 'phone') return true;
    const fits = (await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth')) === true;
    widths.push([new URL(page.url()).pathname, fits]);
    return fits;
  }

  async function signIn(role: string): Promise<void> {
    await page.goto(`${stack.base}${words.prefix}/staff/login`);
    await page.evaluate('sessionStorage.clear()');
    await page.getByRole('radio', { name: role, exact: true }).check();
    expect(await fitsTheScreen()).toBe(true);
    await page.getByRole('button', { name: words.signIn }).click();
    await page.waitForURL((url) => !url.pathname.endsWith('/login'));
  }

  /** Types a reference in the header's search box and sends it: the case opens. */
  async function searchReference(value: string): Promise<void> {
    await page.getByRole('searchbox', { name: words.search }).fill(value);
    await page.getByRole('searchbox', { name: words.search }).press('Enter');
  }

  beforeAll(async () => {
    reference = await newCase(`journey-${run}`);
    page = await browser.newPage();
    page.setDefaultTimeout(15_000);
    await page.setViewportSize(viewport);
  });

  afterAll(async () => {
    await page?.close();
  });

  it('signs in, opens the case by the reference typed in the header, and assigns it to me', async () => {
    await signIn(words.agent);
    // The work list, where a clerk lands: this run's case among the rows.
    await page.getByRole('row', { name: new RegExp(reference) }).waitFor();
    expect(await fitsTheScreen()).toBe(true);
    await searchReference(reference.toLowerCase());
    await page.waitForURL(new RegExp(`/staff/cases/${reference}$`));
    await page.getByRole('heading', { level: 1, name: words.caseTitle(reference) }).waitFor();
    expect(await fitsTheScreen()).toBe(true);

    await page.getByRole('button', { name: words.assignToMe, exact: true }).click();
    await page.getByRole('status').filter({ hasText: words.assigned }).waitFor();

    expect(reference).toMatch(/^SCT-2026-\d{6}$/);
    expect(await page.getByRole('button', { name: words.assignToMe, exact: true }).isVisible()).toBe(false);
  });

  it('writes an internal note, shown in the case’s notes', async () => {
    const notes = page.getByRole('region', { name: words.notes });
    await notes.getByLabel(words.noteText).fill(`Appel de la demanderesse (${run}).`);
    await notes.getByRole('button', { name: words.addNote }).click();
    await notes
      .getByRole('listitem')
      .filter({ hasText: `Appel de la demanderesse (${run}).` })
      .waitFor();

    expect(await notes.getByLabel(words.noteText).inputValue()).toBe('');
    expect(await fitsTheScreen()).toBe(true);
  });

  it('answers from a template: the text fills from the template, then is sent', async () => {
    const template = page.getByLabel(words.template);
    const message = page.getByRole('textbox', { name: new RegExp(`^${words.answerText} \\(`) });
    await template.selectOption({ index: 1 });
    const filled = await message.inputValue();
    await page.getByRole('button', { name: words.answer, exact: true }).click();
    await page.locator('#case-key-facts', { hasText: words.answered }).waitFor();

    // The requester wrote in French: the answer is in French, whatever the page's language.
    expect(filled).toContain('18 décembre 2026');
    expect(filled).not.toMatch(/\{[a-zA-Z]+\}/);
    expect(await fitsTheScreen()).toBe(true);
  });

  it('registers a phone call on the intake page and shows its reference', async () => {
    await page.getByRole('link', { name: words.intakeLink }).click();
    await page.waitForURL(/\/staff\/intake$/);
    expect(await fitsTheScreen()).toBe(true);
    await page.getByRole('radio', { name: words.phoneCall }).check();
    await page
      .getByRole('combobox', { name: new RegExp(`^${words.category} \\(`) })
      .selectOption('statistics');
    await page.getByLabel(words.receivedAt).fill('2026-12-18T09:30');
    await page.getByLabel(words.requesterName).fill('Lucie Gagnon');
    await page.getByRole('textbox', { name: words.email }).fill('lucie.gagnon@example.com');
    await page
      .getByRole('textbox', { name: new RegExp(`^${words.subject} \\(`) })
      .fill(`Effectifs 2025 (appel ${run})`);
    await page.getByLabel(words.body).fill('Elle demande les effectifs 2025 par ministère.');
    await page.getByRole('button', { name: words.register }).click();
    const done = page.getByRole('status').filter({ hasText: words.registered });
    await done.waitFor();
    const registered = words.registered.exec(await done.innerText())?.[1] ?? '';

    expect(registered).toMatch(/^SCT-2026-\d{6}$/);
    expect(registered).not.toBe(reference);
    expect(await page.getByRole('link', { name: new RegExp(registered) }).isVisible()).toBe(true);
    expect(await fitsTheScreen()).toBe(true);
  });

  it('triages a held email: read it, attach it to the case it names', async () => {
    const subject = `Precision ${run}`;
    await heldMail(reference, subject);
    await page.getByRole('link', { name: words.holdingLink }).click();
    await page.waitForURL(/\/staff\/holding$/);
    const row = page.getByRole('row', { name: new RegExp(`${subject} ${reference}`) });
    await row.getByRole('button', { name: words.read }).click();
    const caseField = page.getByLabel(words.attachCase);
    await caseField.waitFor();
    expect(await fitsTheScreen()).toBe(true);

    expect(await caseField.inputValue()).toBe(reference);
    await page.getByRole('button', { name: words.attach }).click();
    await page
      .getByRole('status')
      .filter({ hasText: words.attached(reference) })
      .waitFor();
    expect(await row.count()).toBe(0);
    expect(await fitsTheScreen()).toBe(true);
  });

  it('as the auditor, reads the case’s chronology: the note and the workflow’s steps, in the page’s language', async () => {
    await signIn(words.auditor);
    await page.getByRole('link', { name: words.auditLink, exact: true }).click();
    await page.waitForURL(/\/audit\/$/);
    expect(await fitsTheScreen()).toBe(true);
    await searchReference(reference);
    await page.waitForURL(new RegExp(`/audit/cases/${reference}$`));
    await page.getByRole('heading', { name: words.timelineTitle(reference) }).waitFor();
    const chronology = page.getByRole('table', { name: words.chronology });
    const note = chronology.getByRole('row').filter({ hasText: words.noted });
    const step = chronology.getByRole('row').filter({ hasText: words.routeAndNotify });
    await note.waitFor();
    const text = await chronology.innerText();
    const facts = page.getByRole('region', { name: words.timelineTitle(reference) });
    const terms = await facts.getByRole('term').allInnerTexts();
    const values = await facts.getByRole('definition').allInnerTexts();

    // The case's unit by its name, as on the case page, not by its id.
    expect(values[terms.indexOf(words.unit)]).toBe(words.unitName);
    expect(values).not.toContain('statistics');

    // The note's author by name (the staff directory's), not by id.
    expect(await note.innerText()).toContain('Agent Démo');
    expect(text).not.toContain('demo-agent');
    expect(await step.first().innerText()).toContain(words.workflow);
    // Every entry is named in words: no untranslated key (« event.… », « step.… », « phase.… »).
    expect(text).not.toMatch(/\b(event|step|phase|chronology|actor)\.[A-Za-z]/);
    expect(await fitsTheScreen()).toBe(true);
    if (device === 'phone') {
      expect(widths.length).toBeGreaterThanOrEqual(12);
      expect(widths.filter(([, fits]) => !fits)).toEqual([]);
    }
  });
});
