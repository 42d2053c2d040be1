import { readFileSync } from 'node:fs';

import type { BrowserContext } from 'playwright-core';

import { launchChromium, signInDemo, type LaunchedChromium } from '../support/browser';
import { spawnLocalStack } from '../support/spawned-stack';
import type { SpawnedStack } from '../support/spawned-stack';

/**
 * The auditor dashboard in Debian's chromium against `npm start`: three web requests received on
 * 18 December 2026, two acknowledged by a clerk. The page, opened from the header link with the default period
 * (this year to today by the server's Québec date, the stack's virtual clock, not the browser's), then the whole
 * of 2026, shows 100 % acknowledged on time (2 of 2, the third not yet due), the category row, the channel row
 * and the category × channel cell, each figure listing its cases (links to their timelines), a December bar of
 * 3 received and 2 on time with the same numbers in its data table, and downloads the CSV with the session's
 * token. French on a desktop, English on a phone. The what-if form replays them under a changed policy, then on
 * 19 January 2027 with a closed day that moves the third request's answer date.
 */
jest.setTimeout(120_000);

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

beforeAll(async () => {
  stack = await spawnLocalStack(['--memory', '--virtual-clock=2026-12-18T15:00:00Z', '--port', '0']);
  launched = await launchChromium('jalon-dashboard-', { acceptDownloads: true });
  browser = launched.context;
  const agent = await api('POST', '/api/local/login', { role: 'agent' });
  const auth = { authorization: `Bearer ${String(agent['token'])}` };
  for (const n of [1, 2, 3]) {
    const submitted = await api(
      'POST',
      '/api/requests',
      {
        category: 'statistics',
        name: `Personne ${n}`,
        email: `personne${n}@example.com`,
        subject: `Demande ${n}`,
        message: 'Pourriez-vous m’envoyer les effectifs 2025?',
      },
      { 'idempotency-key': `dashboard-form-${n}` },
    );
    if (n === 3) continue;
    await api(
      'POST',
      `/api/staff/cases/${String(submitted['caseId'])}/acknowledge`,
      { answerBy: '2027-01-29' },
      {
        ...auth,
        'idempotency-key': `dashboard-ack-${n}`,
      },
    );
  }
  // The acknowledgements count once sent (the email leaves through the workflow): wait for the report to see them.
  await waitForReport('2026-01-01', '2026-12-31', 'ack-on-time', 2);
}, 90_000);

/**
 * Waits until the auditor's report of the period counts `count` cases under `indicator` (what the workflow sends
 * is counted once the message has left).
 */
async function waitForReport(from: string, to: string, indicator: string, count: number): Promise<void> {
  const auditor = await api('POST', '/api/local/login', { role: 'auditor' });
  const asAuditor = { authorization: `Bearer ${String(auditor['token'])}` };
  let seen: unknown;
  for (let tries = 0; tries < 300; tries += 1) {
    const report = await api(
      'GET',
      `/api/audit/reports/service-statement?from=${from}&to=${to}`,
      undefined,
      asAuditor,
    );
    seen = (report['total'] as Record<string, unknown> | undefined)?.[indicator];
    if ((seen as { count?: number } | undefined)?.count === count) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the report did not count ${count} under ${indicator}: ${JSON.stringify(seen)}`);
}

afterAll(async () => {
  await launched?.close();
  await stack?.stop();
});

const SETTINGS = [
  {
    language: 'fr',
    prefix: '',
    viewport: { width: 1280, height: 900 },
    link: 'Tableau de bord',
    rate: '100,0 %',
    count: '2 sur 2 demandes',
    month: 'décembre 2026',
    category: 'Statistiques sur l’effectif et les acquisitions',
    channel: 'Formulaire Web',
    casesTitle:
      'Dossiers : Accusé de réception dans le délai — Statistiques sur l’effectif et les acquisitions',
    casesCount: '2 dossiers.',
    csvHeader: 'Portée;',
  },
  {
    language: 'en',
    prefix: '/en',
    viewport: { width: 375, height: 740 },
    link: 'Dashboard',
    rate: '100.0%',
    count: '2 of 2 requests',
    month: 'December 2026',
    category: 'Workforce and procurement statistics',
    channel: 'Web form',
    casesTitle: 'Cases: Acknowledged on time — Workforce and procurement statistics',
    casesCount: '2 cases.',
    csvHeader: 'Scope,',
  },
] as const;

describe.each(SETTINGS)('the auditor dashboard ($language)', (settings) => {
  it('shows the seeded figures in the headline, the table, the chart and its data table, and downloads the CSV', async () => {
    const page = await browser.newPage();
    page.setDefaultTimeout(15_000);
    await page.setViewportSize(settings.viewport);
    await signInDemo(page, stack.base, settings.language, 'auditor');
    await page.getByRole('link', { name: settings.link, exact: true }).click();
    await page.waitForURL((url) => url.pathname.endsWith('/audit/dashboard'));
    await page.locator('#dashboard-categories tbody tr').first().waitFor();
    // The default period: this calendar year up to today by the server's Québec date (the stack's virtual
    // clock, 18 December 2026), not by the browser's clock; the address stays without a period.
    expect(await page.locator('#dashboard-query-from').inputValue()).toBe('2026-01-01');
    expect(await page.locator('#dashboard-query-to').inputValue()).toBe('2026-12-18');
    expect(new URL(page.url()).search).toBe('');
    // Where the figures come from: the local stack reads the aggregates kept from the ledger.
    expect(await page.locator('#dashboard-source').textContent()).toMatch(
      settings.language === 'fr' ? /^Chiffres tirés des agrégats/ : /^Figures from the aggregates/,
    );

    // The stack's clock is virtual (18 December 2026): choose the whole year, kept in the address.
    await page.locator('#dashboard-query-from').fill('2026-01-01');
    await page.locator('#dashboard-query-to').fill('2026-12-31');
    await page.locator('#dashboard-period button[type="submit"]').click();
    await page.waitForURL((url) => url.search === '?from=2026-01-01&to=2026-12-31');
    await page
      .locator('#page-status')
      .filter({ hasText: /2026-12-31/ })
      .waitFor();
    const spaced = (text: string | null) => (text ?? '').replace(/[\u00a0\u202f]/g, ' ').trim();
    expect(spaced(await page.locator('#dashboard-rate').textContent())).toBe(settings.rate);
    expect(spaced(await page.locator('#dashboard-rate-count').textContent())).toBe(settings.count);
    expect(await page.locator('#page-status').textContent()).toMatch(/2026-01-01.*2026-12-31/);

    const rows = await page
      .locator('#dashboard-categories tbody tr')
      .evaluateAll((trs) => trs.map((tr) => [...tr.children].map((cell) => cell.textContent ?? '')));
    expect(rows.map((cells) => cells.slice(0, 3).map(spaced))).toEqual([
      [settings.category, '3', settings.rate],
      [expect.any(String), '3', settings.rate],
    ]);

    // Per channel and per category × channel: the three web requests.
    const channels = await page
      .locator('#dashboard-channels tbody tr')
      .evaluateAll((trs) => trs.map((tr) => [...tr.children].map((cell) => cell.textContent ?? '')));
    expect(channels.map((cells) => cells.slice(0, 3).map(spaced))).toEqual([
      [settings.channel, '3', settings.rate],
      [expect.any(String), '3', settings.rate],
    ]);
    const cross = await page
      .locator('#dashboard-cross tr')
      .evaluateAll((trs) => trs.map((tr) => [...tr.children].map((cell) => cell.textContent ?? '')));
    expect(cross).toEqual([
      [expect.any(String), settings.channel],
      [settings.category, '3'],
    ]);

    // Drill-down: the category's acknowledged-on-time share lists its two cases, each linking to its timeline.
    await page
      .locator('#dashboard-categories tbody tr')
      .first()
      .locator('td')
      .nth(1)
      .getByRole('button')
      .click();
    await page.locator('#dashboard-cases-list li').first().waitFor();
    expect(await page.locator('#dashboard-cases-title').textContent()).toBe(settings.casesTitle);
    expect(await page.evaluate('document.activeElement && document.activeElement.id')).toBe(
      'dashboard-cases-title',
    );
    expect(await page.locator('#dashboard-cases-count').textContent()).toBe(settings.casesCount);
    const listed = await page
      .locator('#dashboard-cases-list a')
      .evaluateAll((anchors) => anchors.map((a) => [a.textContent, a.getAttribute('href')]));
    expect(listed).toEqual([
      ['SCT-2026-000001', `${settings.prefix}/audit/cases/SCT-2026-000001`],
      ['SCT-2026-000002', `${settings.prefix}/audit/cases/SCT-2026-000002`],
    ]);
    // The cross table's cell lists the three received.
    await page.locator('#dashboard-cross tbody td').first().getByRole('button').click();
    await page.locator('#dashboard-cases-list li:nth-child(3)').waitFor();
    expect(await page.locator('#dashboard-cases-list li').count()).toBe(3);

    const chart = page.getByRole('img', { name: /2026-01-01.*2026-12-31/ });
    expect(await chart.count()).toBe(1);
    const bars = await page
      .locator('#dashboard-chart svg rect')
      .evaluateAll((rects) =>
        rects.map((rect) => [
          rect.getAttribute('data-month'),
          rect.getAttribute('class'),
          rect.getAttribute('data-value'),
        ]),
      );
    expect(bars).toHaveLength(24);
    expect(bars.filter(([, , value]) => value !== '0')).toEqual([
      ['2026-12', 'bar bar-received', '3'],
      ['2026-12', 'bar bar-on-time', '2'],
    ]);
    const december = await page
      .locator('#dashboard-chart svg rect[data-month="2026-12"]')
      .evaluateAll((rects) => rects.map((rect) => Number(rect.getAttribute('height'))));
    expect(december[0]).toBeGreaterThan(december[1]!);
    expect(december[1]).toBeGreaterThan(0);

    await page.locator('#dashboard-chart-data summary').click();
    const months = await page
      .locator('#dashboard-months tbody tr')
      .evaluateAll((trs) => trs.map((tr) => [...tr.children].map((cell) => cell.textContent ?? '')));
    expect(months).toHaveLength(12);
    expect(months[11]).toEqual([settings.month, '3', '2', '2']);

    // Nothing is past a deadline yet: the list says so.
    expect(await page.locator('#dashboard-past li').count()).toBe(0);
    expect(await page.locator('#dashboard-no-past').isVisible()).toBe(true);

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.locator('#dashboard-csv').click(),
    ]);
    const file = readFileSync((await download.path()) ?? '', 'utf8');
    expect(file.startsWith(`\uFEFF${settings.csvHeader}`)).toBe(true);
    expect(download.suggestedFilename()).toMatch(/2026-01-01-2026-12-31\.csv$/);
    await page.close();
  });
});

describe('the what-if form', () => {
  it('offers the calendar versions the API knows and the automatic acknowledgement, and shows errors next to the fields', async () => {
    const page = await browser.newPage();
    page.setDefaultTimeout(15_000);
    await signInDemo(page, stack.base, 'fr', 'auditor');
    await page.goto(`${stack.base}/audit/dashboard?from=2026-01-01&to=2026-12-31`);
    await page.locator('#what-if-calendar option:nth-child(2)').waitFor({ state: 'attached' });

    const calendars = await page
      .locator('#what-if-calendar option')
      .evaluateAll((options) => options.map((o) => [o.getAttribute('value'), o.textContent]));
    expect(calendars).toEqual([
      ['', 'Choisir…'],
      ['qc-fonction-publique@2026.1', expect.stringMatching(/^Fonction publique du Québec.*version 2026\.1/)],
      ['qc-loi-interpretation@2026.1', expect.stringMatching(/^Loi d’interprétation.*version 2026\.1/)],
    ]);
    expect(
      await page
        .locator('#what-if-automaticAcknowledgement option')
        .evaluateAll((options) => options.map((o) => o.getAttribute('value'))),
    ).toEqual(['', 'true', 'false']);

    // Nothing changed: the error is next to the first change field, the summary links to it.
    await page.locator('#what-if-category').selectOption('statistics');
    await page.locator('#what-if-form button[type="submit"]').click();
    await page.locator('#what-if-form .error-message').first().waitFor();
    expect(await page.locator('[data-field="acknowledgementDays"] .error-message').textContent()).toContain(
      'Changez au moins une chose',
    );

    // Without the automatic acknowledgement, on the Interpretation Act calendar: the three requests replayed.
    await page.locator('#what-if-automaticAcknowledgement').selectOption('false');
    await page.locator('#what-if-calendar').selectOption('qc-loi-interpretation@2026.1');
    const [answer] = await Promise.all([
      page.waitForResponse((response) => response.url().endsWith('/api/audit/what-if')),
      page.locator('#what-if-form button[type="submit"]').click(),
    ]);
    expect(answer.request().postDataJSON()).toEqual({
      from: '2026-01-01',
      to: '2026-12-31',
      changes: {
        statistics: {
          automaticAcknowledgement: false,
          calendar: { id: 'qc-loi-interpretation', version: '2026.1' },
        },
      },
    });
    expect(answer.status()).toBe(200);
    await page.locator('#what-if-table tbody tr').first().waitFor();
    const rows = await page
      .locator('#what-if-table tbody tr')
      .evaluateAll((trs) => trs.map((tr) => [...tr.children].map((cell) => cell.textContent ?? '')));
    expect(rows[0]).toEqual(['Demandes reçues', '3', '3']);
    expect(await page.locator('#what-if-form .error-message').count()).toBe(0);
    await page.close();
  });

  it('adds closed days: a bad date is refused next to the field; a closed day moves an answer date past today', async () => {
    // 19 January 2027, 10:00 in Québec: the third request, acknowledged by the workflow on 11 January (10 business
    // days after 18 December), was to be answered by 18 January (15 business days) and is not: late.
    const moved = await fetch(new URL('/api/local/clock', stack.base), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ to: '2027-01-19T15:00:00Z' }),
    });
    expect(moved.status).toBe(200);
    await waitForReport('2026-12-01', '2027-01-19', 'answer-missing', 1);
    const page = await browser.newPage();
    page.setDefaultTimeout(15_000);
    await signInDemo(page, stack.base, 'fr', 'auditor');
    await page.goto(`${stack.base}/audit/dashboard?from=2026-12-01&to=2027-01-19`);
    await page.locator('#what-if-category option:nth-child(2)').waitFor({ state: 'attached' });
    await page.locator('#what-if-category').selectOption('statistics');

    // A day that does not exist and a date in words: named in the error next to the field, nothing sent.
    const closures = page.getByLabel('Jours de fermeture ajoutés');
    await closures.fill('2027-01-12\n2026-02-30\n12 janvier');
    await page.locator('#what-if-form button[type="submit"]').click();
    const error = page.locator('[data-field="addClosures"] .error-message');
    await error.waitFor();
    expect(await error.textContent()).toContain(
      'Ces entrées ne sont pas des dates AAAA-MM-JJ qui existent : 2026-02-30, 12 janvier.',
    );
    expect(await closures.getAttribute('aria-invalid')).toBe('true');
    expect(await closures.getAttribute('aria-describedby')).toContain('what-if-addClosures-error');

    // Tuesday 12 January closed: the acknowledgement deadline moves to 12 January, the answer date to 19 January,
    // not yet passed at 10:00.
    await closures.fill('2027-01-12');
    const [answer] = await Promise.all([
      page.waitForResponse((response) => response.url().endsWith('/api/audit/what-if')),
      page.locator('#what-if-form button[type="submit"]').click(),
    ]);
    expect(answer.request().postDataJSON()).toEqual({
      from: '2026-12-01',
      to: '2027-01-19',
      changes: { statistics: { calendar: { addClosures: ['2027-01-12'] } } },
    });
    expect(answer.status()).toBe(200);
    await page.locator('#what-if-table tbody tr').first().waitFor();
    const rows = await page
      .locator('#what-if-table tbody tr')
      .evaluateAll((trs) => trs.map((tr) => [...tr.children].map((cell) => cell.textContent ?? '')));
    expect(rows).toContainEqual(['Sans réponse, date promise dépassée', '1', '0']);
    const noLongerLate = page
      .locator('#what-if-result section')
      .filter({ has: page.getByRole('heading', { name: 'Réponses qui n’auraient plus été en retard' }) });
    expect(
      await noLongerLate.locator('li a').evaluateAll((anchors) => anchors.map((a) => a.textContent)),
    ).toEqual(['SCT-2026-000003']);
    expect(await page.locator('#what-if-form .error-message').count()).toBe(0);
    await page.close();
  });
});

describe('the cases past a deadline', () => {
  it('lists the open cases whose promised answer date passed, each linking to its audit timeline', async () => {
    // Past the answer date promised to the two acknowledged requests (29 January 2027), still unanswered.
    const moved = await fetch(new URL('/api/local/clock', stack.base), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ to: '2027-02-03T15:00:00Z' }),
    });
    expect(moved.status).toBe(200);
    const page = await browser.newPage();
    page.setDefaultTimeout(15_000);
    await signInDemo(page, stack.base, 'fr', 'auditor');
    await page.goto(`${stack.base}/audit/dashboard?from=2027-01-01&to=2027-02-03`);
    await page.locator('#dashboard-past li a').first().waitFor();

    const links = await page
      .locator('#dashboard-past li a')
      .evaluateAll((anchors) => anchors.map((a) => [a.textContent, a.getAttribute('href')]));
    expect(links).toEqual(
      expect.arrayContaining([
        ['SCT-2026-000001', '/audit/cases/SCT-2026-000001'],
        ['SCT-2026-000002', '/audit/cases/SCT-2026-000002'],
      ]),
    );
    expect(await page.locator('#dashboard-no-past').isVisible()).toBe(false);
    // Listed from the figure's drill-down (the report lists no reference): one page, so no button for more.
    expect(await page.locator('#dashboard-past-more').isVisible()).toBe(false);
    await page.locator('#dashboard-past li a').first().click();
    await page.waitForURL((url) => url.pathname.startsWith('/audit/cases/SCT-2026-'));
    await page.close();
  });
});
