import { readFileSync } from 'node:fs';

import type { BrowserContext } from 'playwright-core';

import { sendSmtp } from '../integration/local-stack/support';
import { launchChromium, signInDemo, type LaunchedChromium } from '../support/browser';
import { spawnLocalStack } from '../support/spawned-stack';
import type { SpawnedStack } from '../support/spawned-stack';

/**
 * An emailed attachment downloaded from the case page in Debian's chromium against `npm start`: the button
 * asks the staff API for a short-lived link and the browser follows it to s3rver, which sends the very
 * bytes under the sender's file name; French and English pages.
 */
const PDF = Buffer.from('%PDF-1.4\n% pièce jointe de test\n%%EOF\n');

jest.setTimeout(120_000);

let stack: SpawnedStack;
let browser: BrowserContext;
let launched: LaunchedChromium | undefined;

async function mailWithPdf(subject: string): Promise<void> {
  const smtpPort = Number(/SMTP intake\s+127\.0\.0\.1:(\d+)/.exec(stack.stdout())?.[1]);
  const message = [
    'From: Marie Tremblay <marie@example.org>',
    'To: statistiques@sct.example',
    `Subject: ${subject}`,
    `Message-ID: <${subject.replace(/\W/g, '')}@example.org>`,
    'MIME-Version: 1.0',
    'Content-Type: multipart/mixed; boundary="b1"',
    '',
    '--b1',
    'Content-Type: text/plain; charset=utf-8',
    '',
    'Bonjour, voici mon document.',
    '--b1',
    'Content-Type: application/pdf',
    'Content-Transfer-Encoding: base64',
    "Content-Disposition: attachment; filename*=UTF-8''R%C3%A9sum%C3%A9%20%281%29.pdf",
    '',
    PDF.toString('base64'),
    '--b1--',
  ].join('\n');
  const replies = await sendSmtp(smtpPort, 'marie@example.org', 'statistiques@sct.example', message);
  expect(replies.find((reply) => reply.startsWith('250 Message accepted'))).toBeDefined();
}

/** The id of the case with this subject, as an agent lists them through the staff API. */
async function caseWithSubject(subject: string): Promise<string> {
  const login = await fetch(new URL('/api/local/login', stack.base), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ role: 'agent' }),
  });
  const { token } = (await login.json()) as { token: string };
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const listed = await fetch(new URL('/api/staff/cases', stack.base), {
      headers: { authorization: `Bearer ${token}` },
    });
    const { cases } = (await listed.json()) as { cases: { caseId: string; subject?: string }[] };
    const found = cases.find((row) => row.subject === subject);
    if (found !== undefined) return found.caseId;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`no case with subject ${subject}`);
}

beforeAll(async () => {
  stack = await spawnLocalStack([
    '--memory',
    '--virtual-clock=2026-12-16T15:00:00Z',
    '--port',
    '0',
    '--smtp-port',
    '0',
  ]);
  launched = await launchChromium('jalon-download-', { acceptDownloads: true });
  browser = launched.context;
}, 90_000);

afterAll(async () => {
  await launched?.close();
  await stack?.stop();
});

describe.each(['fr', 'en'] as const)('attachment download in chromium (%s)', (language) => {
  it('the Download button saves the file under its name, with its bytes', async () => {
    const subject = `Effectifs ${language}`;
    await mailWithPdf(subject);
    const page = await browser.newPage();
    page.setDefaultTimeout(15_000);
    await signInDemo(page, stack.base, language, 'agent');
    const caseId = await caseWithSubject(subject);
    await page.goto(`${stack.base}${language === 'en' ? '/en' : ''}/staff/cases/${caseId}`);
    const item = page.locator('ul.attachments li');
    await item.waitFor();
    expect(await item.innerText()).toMatch(/^Résumé \(1\)\.pdf \(\d+\s(octets|bytes)\)/);

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      item
        .getByRole('button', {
          name: language === 'fr' ? 'Télécharger Résumé (1).pdf' : 'Download Résumé (1).pdf',
        })
        .click(),
    ]);

    expect(download.suggestedFilename()).toBe('Résumé (1).pdf');
    const saved = await download.path();
    expect(readFileSync(saved)).toEqual(PDF);
    await page.close();
  });
});
