import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { BrowserContext, Page } from 'playwright-core';

import { sendSmtp } from '../integration/local-stack/support';
import { violations } from '../support/axe';
import { launchChromium, signInDemo, type LaunchedChromium } from '../support/browser';
import { spawnLocalStack } from '../support/spawned-stack';
import type { SpawnedStack } from '../support/spawned-stack';

/**
 * Every page a citizen, a clerk, a complaints officer or an auditor opens, checked by axe-core in Debian's
 * chromium (playwright-core) against `npm start`: French and English, a desktop and a phone viewport, each page
 * filled with a real case by its own script before the check. The rules are WCAG 2.1 A and AA.
 */
const VIEWPORTS = [
  { name: 'desktop', width: 1280, height: 900 },
  { name: 'phone', width: 375, height: 740 },
] as const;
const LANGUAGES = ['fr', 'en'] as const;

jest.setTimeout(240_000);

let stack: SpawnedStack;
let browser: BrowserContext;
let launched: LaunchedChromium | undefined;
let caseId = '';
let reference = '';

async function api(method: string, route: string, body: unknown, headers: Record<string, string> = {}) {
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

let held: Promise<string> | undefined;

/** An email intake holds (a stranger quoting the case's reference), sent once over the local SMTP; its item id. */
function heldItem(): Promise<string> {
  held ??= (async () => {
    const port = Number(/SMTP intake\s+127\.0\.0\.1:(\d+)/.exec(stack.stdout())?.[1] ?? 0);
    await sendSmtp(
      port,
      'jean@autre.example',
      'statistiques@sct.example',
      `From: Jean Inconnu <jean@autre.example>\nTo: statistiques@sct.example\nSubject: Dossier ${reference}\n` +
        'Message-ID: <axe-held-0001@autre.example>\n\nVoici une précision sur le dossier.',
    );
    const login = await api('POST', '/api/local/login', { role: 'agent' });
    const auth = { authorization: `Bearer ${String(login.body['token'])}` };
    for (let tries = 0; tries < 100; tries += 1) {
      const listed = await api('GET', '/api/staff/holding?limit=100', undefined, auth);
      const items = (listed.body['items'] ?? []) as { itemId: string; subject?: string }[];
      const item = items.find((candidate) => candidate.subject === `Dossier ${reference}`);
      if (item !== undefined) return item.itemId;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error('the email was not held');
  })();
  return held;
}

/**
 * Clicks « verify the ledger » twice in a row and waits for the page's own look at the run its start answered,
 * once that run has ended (the start answers before the run's first step stores it: the look must be at this
 * run, not at the one stored before it), then for the result line. The starts the page sent, and that line.
 */
async function verifyLedger(page: Page): Promise<{ starts: string[]; resultText: string | null }> {
  const starts: string[] = [];
  page.on('request', (request) => {
    if (request.method() === 'POST' && request.url().endsWith('/api/audit/ledger/verifications'))
      starts.push(request.url());
  });
  const started = page.waitForResponse(
    (response) =>
      response.request().method() === 'POST' && response.url().endsWith('/api/audit/ledger/verifications'),
  );
  const ended = page.waitForResponse(async (response) => {
    if (!response.url().endsWith('/api/audit/ledger/verifications/latest')) return false;
    const { runId } = (await (await started).json()) as { runId: string };
    const { latest } = (await response.json()) as { latest: { runId: string; status: string } | null };
    return latest?.runId === runId && latest.status !== 'running';
  });
  // The second click comes while the first start is in flight: it starts nothing more.
  await page.locator('#verify-ledger').dblclick();
  await ended;
  // Not waitForFunction: the page's Content Security Policy refuses the string it would evaluate.
  const result = page.locator('#verify-result').filter({ hasText: /\S/, hasNotText: /…/ });
  await result.waitFor();
  return { starts, resultText: await result.textContent() };
}

/** The result line of a sound ledger: intact, the signed digest checked, and when the run ended. */
function soundLedger(language: 'fr' | 'en'): RegExp {
  return language === 'fr'
    ? /^Registre intact\u00a0: .* Empreinte signée du \d{4}-\d{2}-\d{2}\u00a0: signature valide, .* Vérification terminée\u00a0: /
    : /^Ledger intact: .* Signed digest of \d{4}-\d{2}-\d{2}: signature valid, .* Verification finished: /;
}

function prefix(language: 'fr' | 'en'): string {
  return language === 'fr' ? '' : '/en';
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
  launched = await launchChromium('jalon-axe-');
  browser = launched.context;
  // A case with a full history: a web request, acknowledged by a clerk.
  const submitted = await api(
    'POST',
    '/api/requests',
    {
      category: 'statistics',
      name: 'Marie Tremblay',
      email: 'marie.tremblay@example.com',
      subject: 'Effectifs 2025',
      message: 'Pourriez-vous m’envoyer les effectifs 2025 par ministère?',
    },
    { 'idempotency-key': 'axe-form-0001' },
  );
  caseId = String(submitted.body['caseId'] ?? '');
  reference = String(submitted.body['reference'] ?? '');
  const login = await api('POST', '/api/local/login', { role: 'agent' });
  const auth = { authorization: `Bearer ${String(login.body['token'])}` };
  const acknowledged = await api(
    'POST',
    `/api/staff/cases/${caseId}/acknowledge`,
    { answerBy: '2027-01-29' },
    { ...auth, 'idempotency-key': 'axe-ack-1' },
  );
  if (acknowledged.status !== 201) throw new Error(`acknowledge answered ${acknowledged.status}`);
}, 90_000);

afterAll(async () => {
  await launched?.close();
  await stack?.stop();
});

describe.each(VIEWPORTS)('axe-core finds no WCAG 2.1 AA violation ($name)', (viewport) => {
  let page: Page;

  beforeAll(async () => {
    page = await browser.newPage();
    page.setDefaultTimeout(15_000);
    await page.setViewportSize({ width: viewport.width, height: viewport.height });
  });

  afterAll(async () => {
    await page?.close();
  });

  it.each(LANGUAGES)('on the citizen pages (%s)', async (language) => {
    expect(caseId).not.toBe('');
    const found: Record<string, string[]> = {};
    await page.goto(`${stack.base}${prefix(language)}/`);
    found['form'] = await violations(page);
    await page.locator('#error-summary, button[type="submit"]').first().waitFor();
    await page.locator('form button[type="submit"]').click();
    await page.locator('#error-summary').waitFor();
    found['form with errors'] = await violations(page);
    await page.goto(
      `${stack.base}${language === 'fr' ? '/declaration-de-services' : '/en/service-statement'}`,
    );
    found['service statement'] = await violations(page);

    expect(found).toEqual({ form: [], 'form with errors': [], 'service statement': [] });
  });

  it.each(LANGUAGES)('on the staff pages (%s)', async (language) => {
    const found: Record<string, string[]> = {};
    await page.goto(`${stack.base}${prefix(language)}/staff/login`);
    found['login'] = await violations(page);
    await signInDemo(page, stack.base, language, 'agent');
    await page.getByRole('link', { name: reference }).waitFor();
    found['work list'] = await violations(page);
    await page.goto(`${stack.base}${prefix(language)}/staff/cases/${caseId}`);
    await page.getByRole('heading', { level: 1, name: new RegExp(reference) }).waitFor();
    found['case'] = await violations(page);

    expect(found).toEqual({ login: [], 'work list': [], case: [] });
  });

  it.each(LANGUAGES)(
    'on the intake and holding-pen pages, with errors and a held email (%s)',
    async (language) => {
      const found: Record<string, string[]> = {};
      await signInDemo(page, stack.base, language, 'agent');
      await page.goto(`${stack.base}${prefix(language)}/staff/intake`);
      await page.locator('#intake-form').waitFor();
      found['intake'] = await violations(page);
      await page.locator('#intake-form button[type="submit"]').click();
      await page.locator('#intake-errors a').first().waitFor();
      found['intake with errors'] = await violations(page);
      const itemId = await heldItem();
      await page.goto(`${stack.base}${prefix(language)}/staff/holding`);
      await page.locator(`#holding-table tr[data-item-id="${itemId}"] button`).click();
      await page.locator('#held-message .message-body').waitFor();
      found['holding'] = await violations(page);
      await page.locator('form[data-held-action="register"] button[type="submit"]').click();
      await page.locator('form[data-held-action="register"] .error-message').first().waitFor();
      found['holding with errors'] = await violations(page);

      expect(found).toEqual({ intake: [], 'intake with errors': [], holding: [], 'holding with errors': [] });
    },
  );

  it.each(LANGUAGES)(
    'on the auditor dashboard with a report, its chart data open, and with a period to correct (%s)',
    async (language) => {
      const found: Record<string, string[]> = {};
      await signInDemo(page, stack.base, language, 'auditor');
      // The stack's clock is virtual (18 December), the browser's real: the period is given in the address.
      await page.goto(`${stack.base}${prefix(language)}/audit/dashboard?from=2026-01-01&to=2026-12-31`);
      await page.locator('#dashboard-categories tbody tr').first().waitFor();
      await page.locator('#dashboard-chart svg rect').first().waitFor({ state: 'attached' });
      found['dashboard'] = await violations(page);
      await page.locator('#dashboard-chart-data summary').click();
      await page.locator('#dashboard-months tbody tr').first().waitFor();
      found['dashboard with chart data'] = await violations(page);
      await page.locator('#dashboard-categories tbody td button').first().click();
      await page.locator('#dashboard-cases-list li').first().waitFor();
      found['dashboard with a figure’s cases'] = await violations(page);
      const category = await page.locator('#what-if-category option').nth(1).getAttribute('value');
      await page.locator('#what-if-category').selectOption(category ?? '');
      await page.locator('#what-if-acknowledgementDays').fill('5');
      await page.locator('#what-if-form button[type="submit"]').click();
      await page.locator('#what-if-table tbody tr').first().waitFor();
      found['dashboard with what-if'] = await violations(page);
      // The automatic acknowledgement, a calendar version (the calendars' choices served by the API) and a
      // closed day added to it.
      await page.locator('#what-if-calendar option:nth-child(2)').waitFor({ state: 'attached' });
      await page.locator('#what-if-automaticAcknowledgement').selectOption('false');
      await page.locator('#what-if-calendar').selectOption({ index: 1 });
      await page.locator('#what-if-addClosures').fill('2026-12-21');
      const [answer] = await Promise.all([
        page.waitForResponse(
          (response) =>
            response.url().endsWith('/api/audit/what-if') && response.request().method() === 'POST',
        ),
        page.locator('#what-if-form button[type="submit"]').click(),
      ]);
      expect(answer.status()).toBe(200);
      expect(Object.values(answer.request().postDataJSON().changes as object)).toEqual([
        expect.objectContaining({
          automaticAcknowledgement: false,
          calendar: { id: expect.any(String), version: expect.any(String), addClosures: ['2026-12-21'] },
        }),
      ]);
      await page.locator('#what-if-table tbody tr').first().waitFor();
      found['dashboard with what-if on another calendar'] = await violations(page);
      await page.locator('#what-if-acknowledgementDays').fill('0');
      await page.locator('#what-if-addClosures').fill('2026-12-21\n2026-02-30');
      await page.locator('#what-if-form button[type="submit"]').click();
      await page.locator('[data-field="addClosures"] .error-message').waitFor();
      found['dashboard with what-if errors'] = await violations(page);
      await page.locator('#dashboard-query-from').fill('2026-12-31');
      await page.locator('#dashboard-query-to').fill('2026-01-01');
      await page.locator('#dashboard-period button[type="submit"]').click();
      await page.locator('#dashboard-period .error-message').first().waitFor();
      found['dashboard with errors'] = await violations(page);

      expect(found).toEqual({
        dashboard: [],
        'dashboard with chart data': [],
        'dashboard with a figure’s cases': [],
        'dashboard with what-if': [],
        'dashboard with what-if on another calendar': [],
        'dashboard with what-if errors': [],
        'dashboard with errors': [],
      });
    },
  );

  it.each(LANGUAGES)('on the audit page with a timeline and a ledger check (%s)', async (language) => {
    const found: Record<string, string[]> = {};
    await signInDemo(page, stack.base, language, 'auditor');
    await page.goto(`${stack.base}${prefix(language)}/audit/cases/${caseId}`);
    await page.locator('#timeline-events tbody tr').first().waitFor();
    const { starts, resultText } = await verifyLedger(page);
    found['audit'] = await violations(page);
    const sources = await page
      .locator('#timeline-events tbody tr')
      .evaluateAll((rows) => rows.map((row) => row.className));

    expect(found).toEqual({ audit: [] });
    expect(starts).toHaveLength(1);
    expect(resultText).toMatch(soundLedger(language));
    expect(await page.locator('#verify-bad-cases').isHidden()).toBe(true);
    // One chronology: ledger events and workflow steps in the same table.
    expect(sources).toEqual(expect.arrayContaining(['entry-ledger', 'entry-workflow']));
  });
});

it('shows a run stored as running whose execution is gone as stopped, and a click starts and follows a new run', async () => {
  // A run whose stack was killed mid-run: stored as running, with no execution behind it (the API answers it
  // failed: docs/ledger-verification.md, "A run that dies").
  const endpoint = /DynamoDB\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(stack.stdout())?.[1] ?? '';
  const dynamo = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      endpoint,
      region: 'ca-central-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    }),
  );
  const run = {
    phase: 'cases',
    cases: 7,
    events: 50,
    mirrorObjects: 50,
    badCaseCount: 0,
    badCases: [],
    digest: { status: 'none' },
    truncated: false,
  };
  const earlier = '2026-12-18T13:00:00.000Z';
  const killed = '2026-12-18T14:00:00.000Z';
  await dynamo.send(
    new PutCommand({
      TableName: 'jalon-local-reports',
      Item: {
        ...run,
        caseId: '#ledger-verification-finished',
        runId: 'earlier-run',
        startedAt: earlier,
        updatedAt: earlier,
        finishedAt: earlier,
        status: 'succeeded',
        phase: 'done',
        ok: true,
      },
    }),
  );
  await dynamo.send(
    new PutCommand({
      TableName: 'jalon-local-reports',
      Item: {
        ...run,
        caseId: '#ledger-verification-latest',
        runId: 'killed-run',
        startedAt: killed,
        updatedAt: killed,
        status: 'running',
      },
    }),
  );
  dynamo.destroy();
  const page = await browser.newPage();
  await signInDemo(page, stack.base, 'fr', 'auditor');
  await page.goto(`${stack.base}/audit`);

  const stopped =
    'La vérification s’est arrêtée sans enregistrer sa fin (son exécution est terminée ou introuvable). ' +
    'Relancez-la.';
  await page.locator('#verify-result').filter({ hasText: stopped }).waitFor();
  const before = {
    result: await page.locator('#verify-result').textContent(),
    progress: await page.locator('#verify-progress').isHidden(),
    last: await page.locator('#verify-last').isHidden(),
    held: await page.locator('#verify-ledger').getAttribute('aria-disabled'),
  };
  const { starts, resultText } = await verifyLedger(page);
  await page.close();

  // Ended: no progress, no « last finished » beside it, the button free.
  expect(before).toEqual({ result: stopped, progress: true, last: true, held: null });
  expect(starts).toHaveLength(1);
  expect(resultText).toMatch(soundLedger('fr'));
});
