import type { BrowserContext } from 'playwright-core';

import { MAILBOX_SIMULATOR } from '../../infra/local/mail-events';
import { launchChromium, signInDemo, type LaunchedChromium } from '../support/browser';
import { spawnLocalStack } from '../support/spawned-stack';
import type { SpawnedStack } from '../support/spawned-stack';

/**
 * The undelivered-email task on the case page in Debian's chromium against `npm start`: a receipt to the
 * mailbox simulator's bounce address bounces for good, the case page shows « Courriel non remis : joindre le
 * demandeur » with its form; a time in the future is refused next to its field, then the contact recorded by
 * phone clears the task, and the history and the notes say how the requester was reached.
 */
jest.setTimeout(120_000);

let stack: SpawnedStack;
let browser: BrowserContext;
let launched: LaunchedChromium | undefined;

async function api(method: string, route: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(new URL(route, stack.base), {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return (await response.json().catch(() => ({}))) as Record<string, unknown>;
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
  launched = await launchChromium('jalon-reached-');
  browser = launched.context;
}, 90_000);

afterAll(async () => {
  await launched?.close();
  await stack?.stop();
});

describe.each(['fr', 'en'] as const)('the undelivered-email task in chromium (%s)', (language) => {
  it('records that the requester was reached by phone, and the task is gone', async () => {
    const submitted = await api(
      'POST',
      '/api/requests',
      {
        category: 'statistics',
        name: 'Marie Tremblay',
        email: MAILBOX_SIMULATOR.bounce,
        subject: 'Effectifs 2025',
        message: 'Pourriez-vous m’envoyer les effectifs 2025 par ministère?',
      },
      { 'idempotency-key': `reached-${language}` },
    );
    const caseId = String(submitted['caseId'] ?? '');
    // An hour later (the stack idle again, the bounce recorded): the clerk phoned the requester.
    const now = Date.parse(String((await api('POST', '/api/local/clock', { advance: 'PT1H' }))['now']));
    // Québec wall-clock times as a `datetime-local` takes them (UTC-5 in December).
    const quebec = (instant: number) => new Date(instant - 5 * 3_600_000).toISOString().slice(0, 16);
    const halfAnHourAgo = quebec(now - 1_800_000);
    const page = await browser.newPage();
    page.setDefaultTimeout(15_000);
    await signInDemo(page, stack.base, language, 'agent');
    await page.goto(`${stack.base}${language === 'en' ? '/en' : ''}/staff/cases/${caseId}`);
    const task = page.locator('#undelivered-section');
    await task.waitFor();
    expect(await task.locator('h2').innerText()).toBe(
      language === 'fr'
        ? 'Courriel non remis\u00a0: joindre le demandeur'
        : 'Email not delivered: reach the requester',
    );

    await page.locator('#requester-reached-channel').selectOption('phone');
    await page.locator('#requester-reached-reachedAt').fill(quebec(now + 86_400_000));
    await page.locator('#requester-reached-note').fill('Son adresse courriel a changé.');
    await page.locator('form[data-action="requester-reached"] button[type="submit"]').click();
    const refused = page.locator('[data-field="reachedAt"] .error-message');
    await refused.waitFor();
    expect(await refused.innerText()).toMatch(language === 'fr' ? /futur/ : /future/);
    expect(await page.locator('#requester-reached-reachedAt').getAttribute('aria-invalid')).toBe('true');

    await page.locator('#requester-reached-reachedAt').fill(halfAnHourAgo);
    await page.locator('form[data-action="requester-reached"] button[type="submit"]').click();

    await task.waitFor({ state: 'hidden' });
    expect(await page.locator('#case-key-facts').innerText()).not.toMatch(
      language === 'fr' ? /Courriel non remis/ : /Email not delivered/,
    );
    expect(await page.locator('#history-table tbody tr').last().innerText()).toMatch(
      language === 'fr'
        ? /Demandeur joint par un autre moyen \(par téléphone\)/
        : /Requester reached another way \(by phone\)/,
    );
    expect(await page.locator('#case-notes li .note-byline').last().innerText()).toMatch(
      language === 'fr'
        ? /^Demandeur joint par téléphone le 2026-12-18/
        : /^Requester reached by phone on 2026-12-18/,
    );
    await page.close();
  });
});
