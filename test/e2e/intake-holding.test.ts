import type { BrowserContext, Page } from 'playwright-core';

import { sendSmtp } from '../integration/local-stack/support';
import { launchChromium, signInDemo, type LaunchedChromium } from '../support/browser';
import { spawnLocalStack } from '../support/spawned-stack';
import type { SpawnedStack } from '../support/spawned-stack';

/**
 * The staff intake and holding-pen pages in Debian's chromium against `npm start`: a clerk registers a phone
 * call (an error shown by its field first, then the reference and the case), confirms a letter found late, and
 * triages email held by intake (a stranger quoting a case reference, sent over the local SMTP): attached to the
 * case it names, registered as a new case, dismissed. French on a desktop, English on a phone.
 */
jest.setTimeout(120_000);

let stack: SpawnedStack;
let browser: BrowserContext;
let launched: LaunchedChromium | undefined;

/** The SMTP intake port the stack printed. */
function smtpPort(): number {
  const port = Number(/SMTP intake\s+127\.0\.0\.1:(\d+)/.exec(stack.stdout())?.[1] ?? 0);
  if (port === 0) throw new Error(`no SMTP port in the banner:\n${stack.stdout()}`);
  return port;
}

const SETTINGS = [
  {
    language: 'fr',
    prefix: '',
    viewport: { width: 1280, height: 900 },
    intakeLink: 'Saisir un courrier ou un appel',
    holdingLink: 'Courriels retenus',
    submit: 'Enregistrer la demande',
    registered: /Dossier (SCT-2026-\d{6}) enregistré\./,
    attached: /Courriel versé au dossier SCT-2026-\d{6}\./,
    created: /Dossier SCT-2026-\d{6} créé à partir du courriel\./,
    dismissed: /Courriel écarté\./,
    caseTitle: (reference: string) => `Dossier ${reference}`,
  },
  {
    language: 'en',
    prefix: '/en',
    viewport: { width: 375, height: 740 },
    intakeLink: 'Enter mail or a call',
    holdingLink: 'Held email',
    submit: 'Register the request',
    registered: /Case (SCT-2026-\d{6}) registered\./,
    attached: /Email attached to case SCT-2026-\d{6}\./,
    created: /Case SCT-2026-\d{6} created from the email\./,
    dismissed: /Email dismissed\./,
    caseTitle: (reference: string) => `Case ${reference}`,
  },
] as const;

async function api(method: string, route: string, body?: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(new URL(route, stack.base), {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return (await response.json().catch(() => ({}))) as Record<string, unknown>;
}

/** Mail from a stranger quoting `reference`: intake holds it (`reference-without-token`); its item id. */
async function heldMail(reference: string, subject: string, token: string): Promise<string> {
  const replies = await sendSmtp(
    smtpPort(),
    'jean@autre.example',
    'statistiques@sct.example',
    `From: Jean Inconnu <jean@autre.example>\nTo: statistiques@sct.example\nSubject: ${subject} ${reference}\n` +
      `Message-ID: <${subject.replace(/\W/g, '-')}@autre.example>\n\nVoici une précision sur le dossier.`,
  );
  if (!replies.some((reply) => reply.startsWith('250'))) throw new Error(replies.join(' / '));
  for (let tries = 0; tries < 100; tries += 1) {
    const listed = await api('GET', '/api/staff/holding?status=open&limit=100', undefined, {
      authorization: `Bearer ${token}`,
    });
    const items = (listed['items'] ?? []) as { itemId: string; subject?: string }[];
    const item = items.find((candidate) => candidate.subject === `${subject} ${reference}`);
    if (item !== undefined) return item.itemId;
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
  launched = await launchChromium('jalon-intake-');
  browser = launched.context;
}, 90_000);

afterAll(async () => {
  await launched?.close();
  await stack?.stop();
});

describe.each(SETTINGS)('intake and holding pen in chromium ($language)', (settings) => {
  let page: Page;
  let reference = '';
  /** The letter found late: a case the held email does not name. */
  let lateReference = '';

  beforeAll(async () => {
    page = await browser.newPage();
    page.setDefaultTimeout(15_000);
    await page.setViewportSize(settings.viewport);
    await signInDemo(page, stack.base, settings.language, 'agent');
  });

  afterAll(async () => {
    await page?.close();
  });

  it('registers a phone call: a missing subject shown by its field, then the reference and the case', async () => {
    await page.goto(`${stack.base}${settings.prefix}/staff/`);
    await page.getByRole('link', { name: settings.intakeLink }).click();
    await page.waitForURL(/\/staff\/intake$/);
    await page.locator('#intake-channel-phone').check();
    // A call's proof is the time of the call: the only kind offered besides « other », chosen for the clerk.
    expect(await page.locator('#intake-evidence-kind').inputValue()).toBe('call-time');
    await page.locator('#intake-category').selectOption('statistics');
    await page.locator('#intake-receivedAt').fill('2026-12-18T09:30');
    await page.locator('#intake-requester-name').fill('Lucie Gagnon');
    await page.locator('#intake-requester-email').fill('lucie.gagnon@example.com');
    await page.locator('#intake-body').fill('Elle demande les effectifs 2025 par ministère.');
    await page.getByRole('button', { name: settings.submit }).click();

    const summary = page.locator('#intake-errors');
    await summary.locator('a[href="#intake-subject"]').waitFor();
    expect(await page.locator('#intake-subject').getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('#intake-subject-error').innerText()).toMatch(/\S/);
    expect(await page.evaluate('document.activeElement?.id')).toBe('intake-errors');

    await page.locator('#intake-subject').fill('Effectifs 2025 (appel)');
    await page.getByRole('button', { name: settings.submit }).click();
    const done = page.locator('#intake-done');
    await done.waitFor();
    const message = await page.locator('#intake-done-message').innerText();
    reference = settings.registered.exec(message)?.[1] ?? '';
    const facts = await page.locator('#intake-done-facts').innerText();

    expect(reference).toMatch(/^SCT-2026-\d{6}$/);
    // Received 09:30 in Québec (14:30 UTC), registered at the server's time, 10:00 in Québec.
    expect(facts).toMatch(/09 h 30|9:30/);
    expect(facts).toMatch(/10 h 00|10:00/);
    await page.getByRole('link', { name: new RegExp(reference) }).click();
    await page.getByRole('heading', { level: 1, name: settings.caseTitle(reference) }).waitFor();
  });

  it('asks to confirm a receipt date older than 90 days, and registers it once confirmed', async () => {
    await page.goto(`${stack.base}${settings.prefix}/staff/intake`);
    await page.locator('#intake-category').selectOption('statistics');
    await page.locator('#intake-receivedAt').fill('2026-08-03T10:00');
    await page.locator('#intake-requester-name').fill('Paul Bédard');
    await page.locator('#intake-contact-postal').check();
    await page.locator('#intake-requester-postalAddress-lines').fill('12, rue des Érables');
    await page.locator('#intake-requester-postalAddress-municipality').fill('Lévis');
    await page.locator('#intake-requester-postalAddress-country').fill('CA');
    await page.locator('#intake-subject').fill('Lettre retrouvée');
    await page.locator('#intake-body').fill('Une lettre retrouvée dans un classeur.');
    const confirm = page.locator('#intake-confirmLateEntry');
    expect(await confirm.isVisible()).toBe(false);
    await page.getByRole('button', { name: settings.submit }).click();

    await confirm.waitFor();
    expect(await page.locator('#intake-receivedAt').getAttribute('aria-invalid')).toBe('true');
    await confirm.check();
    await page.getByRole('button', { name: settings.submit }).click();
    await page.locator('#intake-done').waitFor();
    // The deadline passed long ago: the API's warning is shown.
    expect(await page.locator('#intake-done-warnings').innerText()).toMatch(/\S/);
    lateReference =
      settings.registered.exec(await page.locator('#intake-done-message').innerText())?.[1] ?? '';
    expect(lateReference).toMatch(/^SCT-2026-\d{6}$/);
  });

  it('tells an agent who registers a complaint its reference only: the case is confidential at once', async () => {
    await page.goto(`${stack.base}${settings.prefix}/staff/intake`);
    await page.locator('#intake-channel-in-person').check();
    expect(await page.locator('#intake-evidence-kind').inputValue()).toBe('visit-time');
    await page.locator('#intake-category').selectOption('service-complaint');
    await page.locator('#intake-receivedAt').fill('2026-12-18T08:45');
    await page.locator('#intake-requester-name').fill('Marc Roy');
    await page.locator('#intake-contact-none').check();
    await page.locator('#intake-subject').fill('Accueil au comptoir');
    await page.locator('#intake-body').fill('Il se plaint de l’attente au comptoir.');
    await page.getByRole('button', { name: settings.submit }).click();
    await page.locator('#intake-done').waitFor();

    expect(await page.locator('#intake-done-message').innerText()).toContain(
      settings.language === 'fr' ? 'seul le responsable des plaintes' : 'only the complaints officer',
    );
    expect(await page.locator('#intake-done-link').isVisible()).toBe(false);
    expect(await page.locator('#intake-done-facts').innerText()).toBe('');
    // No address given: the API warns that no written acknowledgement can reach the person.
    expect(await page.locator('#intake-done-warnings [data-warning="NO_WRITTEN_CONTACT"]').count()).toBe(1);
  });

  it('triages held email: attaches one to a case given by its reference, registers one, dismisses one', async () => {
    const token = String((await api('POST', '/api/local/login', { role: 'agent' }))['token']);
    const toAttach = await heldMail(reference, `Precision ${settings.language}`, token);
    const toRegister = await heldMail(reference, `Nouvelle ${settings.language}`, token);
    const toDismiss = await heldMail(reference, `Publicite ${settings.language}`, token);

    await page.goto(`${stack.base}${settings.prefix}/staff/`);
    await page.getByRole('link', { name: settings.holdingLink }).click();
    await page.waitForURL(/\/staff\/holding$/);
    const row = (itemId: string) => page.locator(`#holding-table tr[data-item-id="${itemId}"]`);
    // Each « Lire » / "Read" button names the email it opens, not the bare verb.
    expect(await row(toAttach).getByRole('button').getAttribute('aria-label')).toMatch(
      settings.language === 'fr'
        ? /^Lire le courriel reçu le \d{4}-\d{2}-\d{2}/
        : /^Read the email received \d{4}-\d{2}-\d{2}/,
    );
    // One page of held email: no page number.
    expect(await page.locator('#holding-page').innerText()).toBe('');
    await row(toAttach).getByRole('button').click();
    await page.locator('#held-view').waitFor();
    expect(await page.locator('#held-facts').innerText()).toContain('jean@autre.example');
    expect(await page.locator('#held-message').innerText()).toContain('Voici une précision sur le dossier.');
    const attachCase = page.locator('#held-attach-caseId');
    expect(await attachCase.inputValue()).toBe(reference);
    // A case that does not exist, first.
    await attachCase.fill('SCT-1999-000000');
    await page.locator('form[data-held-action="attach"] button[type="submit"]').click();
    await page.locator('#held-attach-caseId-error').waitFor();
    // Another case than the one it names, by its reference: the page finds the case, the API files the email.
    await attachCase.fill(lateReference);
    await page.locator('form[data-held-action="attach"] button[type="submit"]').click();
    await page.locator('#page-status', { hasText: settings.attached }).waitFor();
    expect(await page.locator('#page-status').innerText()).toContain(lateReference);
    expect(await row(toAttach).count()).toBe(0);
    expect(await page.evaluate('document.activeElement?.id')).toBe('holding-title');

    await row(toRegister).getByRole('button').click();
    await page.locator('#held-view').waitFor();
    await page.locator('#held-register-category').selectOption('statistics');
    expect(await page.locator('#held-register-requester-email').inputValue()).toBe('jean@autre.example');
    await page.locator('form[data-held-action="register"] button[type="submit"]').click();
    await page.locator('#page-status', { hasText: settings.created }).waitFor();

    await row(toDismiss).getByRole('button').click();
    await page.locator('#held-view').waitFor();
    await page.locator('#held-dismiss-reason').selectOption('other');
    await page.locator('form[data-held-action="dismiss"] button[type="submit"]').click();
    await page.locator('#held-dismiss-note-error').waitFor();
    await page.locator('#held-dismiss-note').fill('Publicité sans rapport');
    await page.locator('form[data-held-action="dismiss"] button[type="submit"]').click();
    await page.locator('#page-status', { hasText: settings.dismissed }).waitFor();

    const resolved = await api('GET', '/api/staff/holding?status=resolved&limit=100', undefined, {
      authorization: `Bearer ${token}`,
    });
    const outcomes = Object.fromEntries(
      ((resolved['items'] ?? []) as { itemId: string }[]).map((item) => [item.itemId, true]),
    );
    expect([outcomes[toAttach], outcomes[toRegister], outcomes[toDismiss]]).toEqual([true, true, true]);
    await page.locator('#holding-status').selectOption('resolved');
    await page.locator('#holding-filters button[type="submit"]').click();
    await row(toDismiss).waitFor();
  });

  it('keeps the open email in the address: a reload and a shared link reopen it, Back closes it', async () => {
    const token = String((await api('POST', '/api/local/login', { role: 'agent' }))['token']);
    const itemId = await heldMail(reference, `Adresse ${settings.language}`, token);
    const holding = `${stack.base}${settings.prefix}/staff/holding`;
    await page.goto(holding);
    const row = page.locator(`#holding-table tr[data-item-id="${itemId}"]`);
    await row.getByRole('button').click();
    await page.locator('#held-view').waitFor();

    expect(new URL(page.url()).searchParams.get('item')).toBe(itemId);
    await page.reload();
    await page.locator('#held-message', { hasText: 'Voici une précision sur le dossier.' }).waitFor();
    expect(await page.locator('#held-view').isVisible()).toBe(true);

    const shared = await browser.newPage();
    await signInDemo(shared, stack.base, settings.language, 'agent');
    await shared.goto(`${holding}?item=${encodeURIComponent(itemId)}`);
    await shared.locator('#held-facts', { hasText: 'jean@autre.example' }).waitFor();
    await shared.close();

    await page.goto(holding);
    await row.getByRole('button').click();
    await page.locator('#held-view').waitFor();
    await page.goBack();
    await page.locator('#held-view').waitFor({ state: 'hidden' });
    expect(new URL(page.url()).searchParams.get('item')).toBeNull();
    expect(await row.count()).toBe(1);
  });

  it('offers an auditor the holding pen but not the intake page, which only handlers use', async () => {
    const auditor = await browser.newPage();
    await signInDemo(auditor, stack.base, settings.language, 'auditor');
    await auditor.goto(`${stack.base}${settings.prefix}/staff/holding`);
    await auditor.getByRole('link', { name: settings.holdingLink }).waitFor();

    expect(await auditor.getByRole('link', { name: settings.intakeLink }).count()).toBe(0);
    await auditor.close();
  });
});
