import type { BrowserContext, Page } from 'playwright-core';

import { launchChromium, signInDemo, type LaunchedChromium } from '../support/browser';
import { spawnLocalStack } from '../support/spawned-stack';
import type { SpawnedStack } from '../support/spawned-stack';

/**
 * The work list and the case page a clerk spends the day on, in Debian's chromium against `npm start`: sorting
 * by a column (kept in the address), « assign to me » on a row and on the case page, unit and category names
 * instead of ids, and at a phone's width (375 × 740) every row's deadlines in view without sideways scrolling.
 */
jest.setTimeout(120_000);

let stack: SpawnedStack;
let browser: BrowserContext;
let launched: LaunchedChromium | undefined;
const cases: { caseId: string; reference: string }[] = [];

async function api(method: string, route: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(new URL(route, stack.base), {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    ...(method === 'GET' ? {} : { body: JSON.stringify(body) }),
  });
  return (await response.json().catch(() => ({}))) as Record<string, unknown>;
}

/** The references of the work list's rows, top to bottom. */
async function shownReferences(page: Page): Promise<string[]> {
  return page
    .locator('#case-table tbody th[scope="row"] a')
    .evaluateAll((links) => links.map((link) => link.textContent ?? ''));
}

async function assigneeOf(caseId: string): Promise<unknown> {
  const login = await api('POST', '/api/local/login', { role: 'agent' });
  const detail = await api('GET', `/api/staff/cases/${caseId}`, undefined, {
    authorization: `Bearer ${String(login['token'])}`,
  });
  return (detail['case'] as { assignee?: string } | undefined)?.assignee;
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
  for (const [index, name] of ['Marie Tremblay', 'Jean Gagné', 'Luc Roy'].entries()) {
    const submitted = await api(
      'POST',
      '/api/requests',
      {
        category: 'statistics',
        name,
        email: `demandeur${index}@example.com`,
        subject: `Effectifs 202${index}`,
        message: 'Pourriez-vous m’envoyer les effectifs par ministère?',
      },
      { 'idempotency-key': `work-list-${index}` },
    );
    cases.push({
      caseId: String(submitted['caseId'] ?? ''),
      reference: String(submitted['reference'] ?? ''),
    });
  }
  launched = await launchChromium('jalon-work-list-');
  browser = launched.context;
}, 90_000);

afterAll(async () => {
  await launched?.close();
  await stack?.stop();
});

describe('the work list on a desktop (French)', () => {
  let page: Page;

  beforeAll(async () => {
    page = await browser.newPage();
    page.setDefaultTimeout(15_000);
    await page.setViewportSize({ width: 1280, height: 800 });
    await signInDemo(page, stack.base, 'fr', 'agent');
  });

  afterAll(async () => {
    await page?.close();
  });

  it('shows the requester, the receipt date, the unit and category by name, and the assignee', async () => {
    const row = page.getByRole('row', { name: new RegExp(cases[1]!.reference) });
    await row.waitFor();
    const text = await row.innerText();

    expect(cases.every((item) => /^SCT-2026-\d{6}$/.test(item.reference))).toBe(true);
    expect(text).toContain('Jean Gagné');
    expect(text).toContain('2026-12-18');
    expect(text).toContain('Statistiques sur l’effectif et les acquisitions');
    expect(text).toContain('Non assigné');
    expect(text).not.toMatch(/\bstatistics\b/);
  });

  it('sorts by a column header, says so with aria-sort, and keeps the sort in the address', async () => {
    const header = page.locator('#case-table th[data-sort-column="reference"]');
    await header.getByRole('button').click();
    await page.waitForURL(/\/staff\/\?sort=reference$/);
    await page.locator('#case-table tbody tr').first().waitFor();
    const caption = page.locator('#case-table-caption');
    // The list redrawn in the new sort says so: the caption follows the sort.
    await caption.filter({ hasText: '3 dossiers ouverts, triés par référence (ordre croissant)' }).waitFor();
    const ascending = await shownReferences(page);
    expect(await header.getAttribute('aria-sort')).toBe('ascending');

    await header.getByRole('button').click();
    await page.waitForURL(/\/staff\/\?sort=reference&order=desc$/);
    // The pages' Content Security Policy forbids evaluated strings: wait on the first row instead.
    await page.locator('#case-table tbody tr:first-child th a', { hasText: cases[2]!.reference }).waitFor();
    const descending = await shownReferences(page);
    await page.reload();
    await page.getByRole('row', { name: new RegExp(cases[0]!.reference) }).waitFor();

    const sorted = cases.map((item) => item.reference).sort();
    expect(ascending).toEqual(sorted);
    expect(descending).toEqual([...sorted].reverse());
    expect(await header.getAttribute('aria-sort')).toBe('descending');
    expect(await page.locator('#filter-order').inputValue()).toBe('desc');
    expect(await caption.innerText()).toBe('3 dossiers ouverts, triés par référence (ordre décroissant)');
    expect(
      await page.locator('#case-table th[data-sort-column="received"]').getAttribute('aria-sort'),
    ).toBeNull();
  });

  it('keeps the other filters in the address too: Back returns to the previous list', async () => {
    await page.locator('#filter-overdue').check();
    await page.getByRole('button', { name: 'Afficher' }).click();
    await page.waitForURL(/overdue=true/);
    await page.locator('#no-cases').waitFor();
    await page.goBack();
    await page.waitForURL((url) => !url.search.includes('overdue'));
    await page.getByRole('row', { name: new RegExp(cases[0]!.reference) }).waitFor();

    expect(await page.locator('#filter-overdue').isChecked()).toBe(false);
  });

  it('assigns a case to me from its row, says so, and redraws the row', async () => {
    const row = page.getByRole('row', { name: new RegExp(cases[0]!.reference) });
    await row.getByRole('button', { name: `M’assigner le dossier ${cases[0]!.reference}` }).click();
    await page.locator('#page-status').filter({ hasText: 'vous est assigné' }).waitFor();
    const redrawn = page.getByRole('row', { name: new RegExp(cases[0]!.reference) });

    expect(await redrawn.innerText()).toContain('Agent Démo (vous)');
    expect(await redrawn.getByRole('button', { name: /M’assigner/ }).count()).toBe(0);
    expect(await assigneeOf(cases[0]!.caseId)).toBe('demo-agent');
  });

  it('shows the request first on the case page, unit and category by name, and assigns from there', async () => {
    await page.goto(`${stack.base}/staff/cases/${cases[1]!.reference}`);
    await page.getByRole('heading', { level: 1, name: new RegExp(cases[1]!.reference) }).waitFor();
    const facts = await page.locator('#case-key-facts').innerText();
    const order = await page.evaluate(`[
      document.getElementById('content-section').getBoundingClientRect().top,
      document.getElementById('case-deadlines').getBoundingClientRect().top,
      document.getElementById('actions-section').getBoundingClientRect().top,
    ]`);

    expect(facts).toContain('Statistiques sur l’effectif et les acquisitions');
    expect(facts).toContain('Non assigné');
    expect(facts).not.toMatch(/\bstatistics\b/);
    expect(order).toEqual([...(order as number[])].sort((a, b) => a - b));
    expect(await page.locator('#more-actions').evaluate((details) => details.hasAttribute('open'))).toBe(
      false,
    );

    await page.getByRole('button', { name: 'M’assigner' }).click();
    await page.locator('#page-status').filter({ hasText: 'vous est assigné' }).waitFor();

    expect(await page.locator('#case-key-facts').innerText()).toContain('Agent Démo (vous)');
    expect(await page.getByRole('button', { name: 'M’assigner' }).isVisible()).toBe(false);
    expect(await assigneeOf(cases[1]!.caseId)).toBe('demo-agent');
  });

  it('shows a colleague by name, not id: in the work list, the case facts and the history', async () => {
    const supervisor = await browser.newPage();
    await signInDemo(supervisor, stack.base, 'fr', 'supervisor');
    const row = supervisor.getByRole('row', { name: new RegExp(cases[0]!.reference) });
    await row.waitFor();

    expect(await row.innerText()).toContain('Agent Démo');
    expect(await row.innerText()).not.toContain('demo-agent');
    await supervisor.goto(`${stack.base}/staff/cases/${cases[1]!.reference}`);
    await supervisor.locator('#case-key-facts', { hasText: 'Agent Démo' }).waitFor();
    const history = await supervisor.locator('#history-table').innerText();
    expect(history).toContain('Agent Démo');
    expect(history).not.toContain('demo-agent');
    // The reassignment form proposes the people of the unit by name (the id is what it sends).
    const choice = supervisor.locator('#reassign-assignee-choices option[value="demo-agent"]');
    expect(await choice.getAttribute('label')).toBe('Agent Démo (demo-agent)');
    expect(await supervisor.locator('#reassign-to-assignee').getAttribute('list')).toBe(
      'reassign-assignee-choices',
    );
    await supervisor.close();
  });
});

describe('the work list on a phone (English, 375 × 740)', () => {
  let page: Page;

  beforeAll(async () => {
    page = await browser.newPage();
    page.setDefaultTimeout(15_000);
    await page.setViewportSize({ width: 375, height: 740 });
    await signInDemo(page, stack.base, 'en', 'agent');
  });

  afterAll(async () => {
    await page?.close();
  });

  it('shows every row’s reference, status and deadlines without sideways scrolling', async () => {
    await page.getByRole('row', { name: new RegExp(cases[2]!.reference) }).waitFor();
    const fits = await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth');
    const cells = await page.locator('#case-table tbody tr').evaluateAll((rows) =>
      rows.map((row) =>
        ['th', 'td[data-label="Status"]', 'td[data-label="Deadlines"]'].map((selector) => {
          const box = row.querySelector(selector)?.getBoundingClientRect();
          return (
            box !== undefined &&
            box.width > 0 &&
            box.left >= 0 &&
            box.right <= row.ownerDocument.documentElement.clientWidth
          );
        }),
      ),
    );
    const deadlines = await page.locator('#case-table tbody td[data-label="Deadlines"]').allInnerTexts();

    expect(fits).toBe(true);
    expect(cells).toHaveLength(3);
    expect(cells.flat().every(Boolean)).toBe(true);
    expect(deadlines.every((text) => /Acknowledgement/.test(text))).toBe(true);
  });

  it('still sorts from the headers, and assigns to me from a row', async () => {
    await page.locator('#case-table th[data-sort-column="received"] button').click();
    await page.waitForURL(/\/en\/staff\/\?sort=received$/);
    await page
      .locator('#case-table-caption', { hasText: '3 open cases, sorted by date received (newest first)' })
      .waitFor();
    const row = page.getByRole('row', { name: new RegExp(cases[2]!.reference) });
    await row.getByRole('button', { name: `Assign to me: case ${cases[2]!.reference}` }).click();
    await page.locator('#page-status').filter({ hasText: 'is now assigned to you' }).waitFor();

    expect(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth')).toBe(true);
    expect(await assigneeOf(cases[2]!.caseId)).toBe('demo-agent');
  });
});
