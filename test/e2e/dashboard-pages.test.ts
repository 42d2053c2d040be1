import type { BrowserContext, Page } from 'playwright-core';

import { violations } from '../support/axe';
import { launchChromium, signInDemo, type LaunchedChromium } from '../support/browser';
import { spawnLocalStack } from '../support/spawned-stack';
import type { SpawnedStack } from '../support/spawned-stack';

/**
 * The dashboard's lists longer than one page, in Debian's chromium against `npm start`: 103 media requests
 * (answer due the next business day) received by phone on Tuesday 1 December 2026 and left unanswered,
 * the page opened on Thursday 3 December. The cases past a deadline show the first 100 and a button listing
 * them all a page at a time; its second page holds the last three references. The what-if of a 5-business-day
 * answer delay (due 8 December: not yet due) lists the 103 as no longer late, 100 in its answer and 3 on the
 * page its "next page" asks for. Each state checked by axe-core (WCAG 2.1 A and AA). French on a desktop,
 * English on a phone.
 */
jest.setTimeout(300_000);

const CASES = 103;
const PAGE = 100;
/** The references of the cases, as the stack numbers them from the first of the year, sorted. */
const REFERENCES = Array.from(
  { length: CASES },
  (_, index) => `SCT-2026-${String(index + 1).padStart(6, '0')}`,
);

let stack: SpawnedStack;
let browser: BrowserContext;
let launched: LaunchedChromium | undefined;

async function api(method: string, route: string, body?: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(new URL(route, stack.base), {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return {
    status: response.status,
    body: (await response.json().catch(() => ({}))) as Record<string, unknown>,
  };
}

/** Waits until the auditor's report of the period counts `count` cases under `indicator`. */
async function waitForReport(from: string, to: string, indicator: string, count: number): Promise<void> {
  const auditor = await api('POST', '/api/local/login', { role: 'auditor' });
  const asAuditor = { authorization: `Bearer ${String(auditor.body['token'])}` };
  let seen: unknown;
  for (let tries = 0; tries < 600; tries += 1) {
    const report = await api(
      'GET',
      `/api/audit/reports/service-statement?from=${from}&to=${to}`,
      undefined,
      asAuditor,
    );
    seen = (report.body['total'] as Record<string, unknown> | undefined)?.[indicator];
    if ((seen as { count?: number } | undefined)?.count === count) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`the report did not count ${count} under ${indicator}: ${JSON.stringify(seen)}`);
}

beforeAll(async () => {
  // Tuesday 1 December 2026, 9:00 in Québec.
  stack = await spawnLocalStack(['--memory', '--virtual-clock=2026-12-01T14:00:00Z', '--port', '0']);
  launched = await launchChromium('jalon-dashboard-pages-');
  browser = launched.context;
  // Calls registered by a clerk (the citizen form limits a connection to a few requests a minute), one after
  // the other, so that the references follow the order sent (the lists are sorted by reference).
  const agent = await api('POST', '/api/local/login', { role: 'agent' });
  for (let n = 1; n <= CASES; n += 1) {
    const sent = await api(
      'POST',
      '/api/staff/intake',
      {
        channel: 'phone',
        category: 'media',
        requester: { name: `Journaliste ${n}`, email: `journaliste${n}@example.com`, language: 'fr' },
        subject: `Question ${n}`,
        body: 'Combien de demandes avez-vous reçues cette année?',
        receivedAt: '2026-12-01T13:30:00Z',
        evidence: { kind: 'call-time', reference: `appel-${n}` },
      },
      { authorization: `Bearer ${String(agent.body['token'])}`, 'idempotency-key': `dashboard-pages-${n}` },
    );
    if (sent.status !== 201)
      throw new Error(`intake ${n} answered ${sent.status}: ${JSON.stringify(sent.body)}`);
  }
  // Thursday 3 December, 10:00: acknowledged by the workflow on 1 December, answers due 2 December, not given.
  const moved = await api('POST', '/api/local/clock', { to: '2026-12-03T15:00:00Z' });
  if (moved.status !== 200) throw new Error(`the clock answered ${moved.status}`);
  await waitForReport('2026-12-01', '2026-12-03', 'open-past-deadline', CASES);
}, 280_000);

afterAll(async () => {
  await launched?.close();
  await stack?.stop();
});

const SETTINGS = [
  {
    language: 'fr',
    prefix: '',
    viewport: { width: 1280, height: 900 },
    more: 'Voir les 103 dossiers listés, page par page',
    next: 'Page suivante',
    previous: 'Page précédente',
    pageTwo: 'Page 2 sur 2',
    count: '103 dossiers.',
    noLongerLate: 'Réponses qui n’auraient plus été en retard',
  },
  {
    language: 'en',
    prefix: '/en',
    viewport: { width: 375, height: 740 },
    more: 'See all 103 listed cases, a page at a time',
    next: 'Next page',
    previous: 'Previous page',
    pageTwo: 'Page 2 of 2',
    count: '103 cases.',
    noLongerLate: 'Answers that would no longer have been late',
  },
] as const;

const spaced = (text: string | null) => (text ?? '').replace(/[\u00a0\u202f]/g, ' ').trim();
const texts = (page: Page, selector: string) =>
  page.locator(selector).evaluateAll((nodes) => nodes.map((node) => node.textContent ?? ''));

describe.each(SETTINGS)('lists longer than one page on the dashboard ($language)', (settings) => {
  it('pages through the cases past a deadline: the first 100, then the second page in the cases panel', async () => {
    const page = await browser.newPage();
    page.setDefaultTimeout(30_000);
    await page.setViewportSize(settings.viewport);
    await signInDemo(page, stack.base, settings.language, 'auditor');
    await page.goto(`${stack.base}${settings.prefix}/audit/dashboard?from=2026-12-01&to=2026-12-03`);
    await page.locator(`#dashboard-past li:nth-child(${PAGE})`).waitFor();

    // The first page of the figure's drill-down, and the button for all of them.
    expect(await texts(page, '#dashboard-past li a')).toEqual(REFERENCES.slice(0, PAGE));
    const more = page.locator('#dashboard-past-more button');
    expect(await more.isVisible()).toBe(true);
    expect(await more.textContent()).toBe(settings.more);

    await more.click();
    await page.locator(`#dashboard-cases-list li:nth-child(${PAGE})`).waitFor();
    expect(await page.locator('#dashboard-cases-count').textContent()).toBe(settings.count);
    expect(await texts(page, '#dashboard-cases-list a')).toEqual(REFERENCES.slice(0, PAGE));
    await page.locator('#dashboard-cases-pages').getByRole('button', { name: settings.next }).click();
    await page.locator('#dashboard-cases-pages').filter({ hasText: settings.pageTwo }).waitFor();

    // The second page: the last three references, each linking to its timeline; back to the first possible.
    const second = await page
      .locator('#dashboard-cases-list a')
      .evaluateAll((anchors) => anchors.map((a) => [a.textContent, a.getAttribute('href')]));
    expect(second).toEqual(
      REFERENCES.slice(PAGE).map((reference) => [reference, `${settings.prefix}/audit/cases/${reference}`]),
    );
    expect(await page.evaluate('document.activeElement && document.activeElement.id')).toBe(
      'dashboard-cases-title',
    );
    expect(
      await page
        .locator('#dashboard-cases-pages button')
        .evaluateAll((buttons) => buttons.map((b) => b.textContent)),
    ).toEqual([settings.previous]);
    expect(await violations(page)).toEqual([]);
    await page.close();
  });

  it('pages through a what-if list: 100 in the answer, the last three on the next page asked', async () => {
    const page = await browser.newPage();
    page.setDefaultTimeout(30_000);
    await page.setViewportSize(settings.viewport);
    await signInDemo(page, stack.base, settings.language, 'auditor');
    await page.goto(`${stack.base}${settings.prefix}/audit/dashboard?from=2026-12-01&to=2026-12-03`);
    await page.locator('#what-if-category option:nth-child(2)').waitFor({ state: 'attached' });
    await page.locator('#what-if-category').selectOption('media');
    await page.locator('#what-if-answerDays').fill('5');
    const [answer] = await Promise.all([
      page.waitForResponse((response) => response.url().endsWith('/api/audit/what-if')),
      page.locator('#what-if-form button[type="submit"]').click(),
    ]);
    expect(answer.status()).toBe(200);
    const list = page
      .locator('#what-if-result section')
      .filter({ has: page.getByRole('heading', { name: settings.noLongerLate }) });
    await list.locator(`li:nth-child(${PAGE})`).waitFor();
    expect(spaced(await list.locator('.list-count').textContent())).toBe(settings.count);
    expect(
      await texts(page, '#what-if-result section[data-list="whatIf.answerNoLongerBreached"] li a'),
    ).toEqual(REFERENCES.slice(0, PAGE));

    // The next page: the same body with the list's `next` as `cases`.
    const [next] = await Promise.all([
      page.waitForResponse((response) => response.url().endsWith('/api/audit/what-if')),
      list.getByRole('button', { name: settings.next }).click(),
    ]);
    const sent = next.request().postDataJSON() as Record<string, unknown>;
    expect(sent).toEqual({
      from: '2026-12-01',
      to: '2026-12-03',
      changes: { media: { answerDays: 5 } },
      cases: {
        list: 'answer.noLongerBreached',
        page: 2,
        asOf: ((await answer.json()) as { asOf: string }).asOf,
      },
    });
    await list.filter({ hasText: settings.pageTwo }).waitFor();
    const second = await list
      .locator('li a')
      .evaluateAll((anchors) => anchors.map((a) => [a.textContent, a.getAttribute('href')]));
    expect(second).toEqual(
      REFERENCES.slice(PAGE).map((reference) => [reference, `${settings.prefix}/audit/cases/${reference}`]),
    );
    expect(spaced(await list.locator('.list-count').textContent())).toBe(settings.count);
    expect(await page.evaluate('document.activeElement && document.activeElement.tagName')).toBe('H3');
    expect(await page.evaluate('document.activeElement && document.activeElement.textContent')).toBe(
      settings.noLongerLate,
    );
    expect(await violations(page)).toEqual([]);
    await page.close();
  });
});
