import type { BrowserContext } from 'playwright-core';

import { launchChromium, signInDemo, type LaunchedChromium } from '../support/browser';
import { spawnLocalStack } from '../support/spawned-stack';
import type { SpawnedStack } from '../support/spawned-stack';

/**
 * The case page's internal notes and answer templates in Debian's chromium against `npm start`: a clerk writes
 * a note (shown as typed, line breaks kept, markup inert), then starts an answer from a template (asked before
 * typed text is replaced) and sends it; French and English pages.
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

/** A new web request of the statistics category; its case id. */
async function newCase(key: string): Promise<string> {
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
    { 'idempotency-key': key },
  );
  return String(submitted['caseId'] ?? '');
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
  launched = await launchChromium('jalon-notes-');
  browser = launched.context;
}, 90_000);

afterAll(async () => {
  await launched?.close();
  await stack?.stop();
});

describe.each(['fr', 'en'] as const)('the case page in chromium (%s)', (language) => {
  it('adds an internal note, shown as typed with its line breaks, author and Québec time', async () => {
    const caseId = await newCase(`notes-${language}`);
    const page = await browser.newPage();
    page.setDefaultTimeout(15_000);
    await signInDemo(page, stack.base, language, 'agent');
    await page.goto(`${stack.base}${language === 'en' ? '/en' : ''}/staff/cases/${caseId}`);
    await page.locator('#notes-section').waitFor();

    await page.locator('#note-text').fill('Appel de la demanderesse.\n<b>Rappeler</b> jeudi.');
    await page.locator('form[data-action="note"] button[type="submit"]').click();

    const note = page.locator('#case-notes li');
    await note.waitFor();
    expect(await note.locator('.message-body').innerText()).toBe(
      'Appel de la demanderesse.\n<b>Rappeler</b> jeudi.',
    );
    expect(await note.locator('b').count()).toBe(0);
    expect(await note.locator('.note-byline').innerText()).toMatch(
      language === 'fr'
        ? /^Par Agent Démo \(Agent\), le 2026-12-18/
        : /^By Agent Démo \(Agent\), on 2026-12-18/,
    );
    expect(await page.locator('#note-text').inputValue()).toBe('');
    await page.close();
  });

  it('starts an answer from a template, asks before replacing typed text, and sends it', async () => {
    const caseId = await newCase(`templates-${language}`);
    const page = await browser.newPage();
    page.setDefaultTimeout(15_000);
    await signInDemo(page, stack.base, language, 'agent');
    await page.goto(`${stack.base}${language === 'en' ? '/en' : ''}/staff/cases/${caseId}`);
    const choice = page.locator('#answer-template');
    await choice.waitFor();
    const message = page.locator('#answer-message');

    await message.fill('Mon brouillon');
    let asked = '';
    page.once('dialog', (dialog) => {
      asked = dialog.message();
      void dialog.dismiss();
    });
    await choice.selectOption({ index: 1 });
    expect(asked).toMatch(
      language === 'fr' ? /^Remplacer le texte déjà saisi/ : /^Replace the text already typed/,
    );
    expect(await message.inputValue()).toBe('Mon brouillon');
    expect(await choice.inputValue()).toBe('');

    page.once('dialog', (dialog) => void dialog.accept());
    await choice.selectOption({ index: 1 });
    // The requester wrote in French: the answer goes out in French, whatever the page's language.
    expect(await message.inputValue()).toContain('18 décembre 2026');
    expect(await message.inputValue()).not.toMatch(/\{[a-zA-Z]+\}/);
    expect(await page.evaluate('document.activeElement?.id')).toBe('answer-message');

    await page.locator('form[data-action="answer"] button[type="submit"]').click();
    await page.locator('#case-key-facts', { hasText: language === 'fr' ? 'Répondu' : 'Answered' }).waitFor();
    await page.close();
  });
});
