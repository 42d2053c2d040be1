import type { BrowserContext, Page } from 'playwright-core';

import { launchChromium, type LaunchedChromium } from '../support/browser';
import { spawnLocalStack } from '../support/spawned-stack';
import type { SpawnedStack } from '../support/spawned-stack';

/**
 * The citizen form in a real browser: Debian's chromium driven by playwright-core against `npm start` (in a
 * child process, on its own virtual clock: playwright's waits need this process's timers to stay real).
 * `.ci/run` installs the browser (`apt-get install chromium`); without it this suite fails and says so.
 */
jest.setTimeout(30_000);

let stack: SpawnedStack;
let browser: BrowserContext;
let launched: LaunchedChromium | undefined;
let page: Page;
/** The reference the confirmation showed. */
let reference = '';

beforeAll(async () => {
  stack = await spawnLocalStack([
    '--memory',
    '--virtual-clock=2026-12-18T15:00:00Z',
    '--port',
    '0',
    '--smtp-port',
    '0',
  ]);
  launched = await launchChromium('jalon-chromium-', {
    extraArgs: ['--disable-component-update', '--disable-sync'],
  });
  browser = launched.context;
  page = browser.pages()[0] ?? (await browser.newPage());
  page.setDefaultTimeout(10_000);
  // An action that cannot happen fails within the test's own time, naming the element it waited for.
  page.setDefaultTimeout(10_000);
}, 60_000);

afterAll(async () => {
  await launched?.close();
  await stack?.stop();
});

describe('the citizen form in chromium', () => {
  it('opens in French, with a link to the English form', async () => {
    await page.goto(`${stack.base}/`);

    expect(await page.getAttribute('html', 'lang')).toBe('fr');
    await page
      .getByRole('heading', { level: 1, name: 'Faire une demande, une plainte ou un commentaire' })
      .waitFor();
    await page.getByRole('link', { name: 'English' }).click();
    await page.waitForURL(/\/en\/$/);

    expect(await page.getAttribute('html', 'lang')).toBe('en');
    expect(await page.getByRole('button', { name: 'Send my request' }).isVisible()).toBe(true);
  });

  it('shows each error next to its field and in a summary, without leaving the page', async () => {
    await page.locator('input[name="category"][value="statistics"]').check();
    await page.getByLabel('Full name').fill('Marie Tremblay');
    await page.getByLabel('Email address').fill('marie@');
    await page.getByLabel('Your message').fill('Could you send me the 2025 workforce figures by department?');
    await page.getByRole('button', { name: 'Send my request' }).click();

    const summary = page.getByRole('alert');
    await summary.waitFor();
    const summaryText = await summary.innerText();
    const emailError = await page.locator('#error-email').innerText();
    const subjectError = await page.locator('#error-subject').innerText();

    expect(summaryText).toMatch(/There are 2 problems with the form/);
    expect(emailError).toMatch(/email/i);
    expect(subjectError).toMatch(/\S/);
    expect(await page.getByLabel('Email address').getAttribute('aria-invalid')).toBe('true');
    expect(await page.evaluate('document.activeElement?.id')).toBe('error-summary');
    expect(page.url()).toMatch(/\/en\/$/);
  });

  it('accepts the corrected form and shows the reference and the acknowledgement date', async () => {
    await page.getByLabel('Email address').fill('marie.tremblay@example.com');
    await page.getByLabel(/^Subject/).fill('Workforce figures 2025');
    await page.getByRole('button', { name: 'Send my request' }).click();

    const title = page.getByRole('heading', { name: /Your request has been sent/ });
    await title.waitFor();
    const confirmation = await page.locator('main').innerText();
    const login = await fetch(`${stack.base}/api/local/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ role: 'agent' }),
    });
    const { token } = (await login.json()) as { token: string };
    const listed = await fetch(`${stack.base}/api/staff/cases`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const { cases } = (await listed.json()) as { cases: { reference: string; channel: string }[] };

    reference = confirmation.match(/SCT-2026-\d{6}/)?.[0] ?? '';
    expect(confirmation).toMatch(/SCT-2026-\d{6}/);
    expect(confirmation).toContain('January 11, 2027');
    const [questions = '', complaints = ''] = confirmation.split('To complain about our services');
    expect(questions).toContain('statistiques@sct.gouv.qc.ca');
    expect(questions).not.toContain('responsable-plaintes@sct.gouv.qc.ca');
    expect(complaints).toContain('responsable-plaintes@sct.gouv.qc.ca');
    expect(cases.map((item) => [item.reference, item.channel])).toEqual([
      [confirmation.match(/SCT-2026-\d{6}/)?.[0], 'web'],
    ]);
  });

  it('lists the new case on the staff work list after a demo login, and opens it', async () => {
    await page.goto(`${stack.base}/staff/login`);
    await page.getByLabel('Agent', { exact: true }).check();
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.waitForURL(/\/staff\/$/);

    const row = page.getByRole('row', { name: new RegExp(reference) });
    await row.waitFor();
    const rowText = await row.innerText();
    await row.getByRole('link', { name: reference }).click();
    const heading = page.getByRole('heading', { level: 1, name: `Dossier ${reference}` });
    await heading.waitFor();

    expect(reference).not.toBe('');
    expect(rowText).toContain('Workforce figures 2025');
    expect(rowText).toMatch(/11 janvier 2027/);
    expect(await page.getAttribute('html', 'lang')).toBe('fr');
  });

  it('finds a case from the header search box: a reference opens it, a name lists it', async () => {
    await page.goto(`${stack.base}/staff/`);
    const box = page.locator('#header-search-q');
    const search = page.getByRole('search', { name: 'Trouver un dossier' });

    await box.fill(reference.toLowerCase());
    await search.getByRole('button', { name: 'Rechercher' }).click();
    await page.getByRole('heading', { level: 1, name: `Dossier ${reference}` }).waitFor();
    const casePath = new URL(page.url()).pathname;

    await page.locator('#header-search-q').fill('TREMBL');
    await page.getByRole('search', { name: 'Trouver un dossier' }).getByRole('button').click();
    await page.waitForURL(/\/staff\/\?q=TREMBL&status=all$/);
    await page.getByRole('row', { name: new RegExp(reference) }).waitFor();

    expect(casePath).toBe(`/staff/cases/${reference}`);
    expect(await page.getByLabel('Recherche', { exact: true }).inputValue()).toBe('TREMBL');
    expect(await page.locator('#filter-status').inputValue()).toBe('all');
  });

  it('shows a letter to mail on the work list and the case page, and records its mailing', async () => {
    const call = async (method: string, route: string, body: unknown, headers: Record<string, string>) => {
      const response = await fetch(new URL(route, stack.base), {
        method,
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify(body),
      });
      return (await response.json()) as Record<string, unknown>;
    };
    const { token } = (await call('POST', '/api/local/login', { role: 'agent' }, {})) as { token: string };
    const auth = { authorization: `Bearer ${token}` };
    const intake = (await call(
      'POST',
      '/api/staff/intake',
      {
        channel: 'mail',
        category: 'statistics',
        requester: {
          name: 'Paul Bédard',
          postalAddress: { lines: ['12, rue des Érables'], municipality: 'Lévis', country: 'CA' },
          language: 'fr',
        },
        subject: 'Statistiques par lettre',
        body: 'Bonjour.',
        receivedAt: '2026-12-18T14:00:00Z',
        evidence: { kind: 'postmark', reference: 'scan-0077' },
      },
      { ...auth, 'idempotency-key': 'browser-letter-1' },
    )) as { caseId: string; reference: string };
    await call('POST', `/api/staff/cases/${intake.caseId}/acknowledge`, { answerBy: '2027-01-29' }, auth);

    await page.goto(`${stack.base}/staff/`);
    const row = page.getByRole('row', { name: new RegExp(intake.reference) });
    await row.waitFor();
    expect(await row.innerText()).toContain('Lettres à poster\u00a0: 1');
    await row.getByRole('link', { name: intake.reference }).click();
    const letters = page.getByRole('region', { name: 'Lettres au demandeur' });
    await letters.getByRole('button', { name: 'Ouvrir la lettre (PDF)' }).waitFor();
    const mailedOn = letters.getByLabel('Date de mise à la poste');
    // The stack's clock says 18 December 2026 in Québec; the browser's own clock says otherwise.
    expect(await mailedOn.inputValue()).toBe('2026-12-18');
    expect(await mailedOn.getAttribute('max')).toBe('2026-12-18');
    await mailedOn.fill('2026-12-18');
    await letters.getByRole('button', { name: 'Consigner la mise à la poste' }).click();
    await letters.getByText('Postée le 2026-12-18').waitFor();

    expect(await letters.innerText()).not.toContain('Lettres à poster');
  });
});
