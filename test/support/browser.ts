import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { chromium } from 'playwright-core';
import type { BrowserContext, Page } from 'playwright-core';

/** Debian's chromium (`apt-get install -y chromium`), or the one named by CHROMIUM_PATH. */
export const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

/** The flags every browser test starts chromium with, unless it gives its own `args`. */
const DEFAULT_ARGS: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--no-first-run',
];

export interface LaunchOptions {
  /** The context's viewport; playwright's default when absent. */
  readonly viewport?: { readonly width: number; readonly height: number };
  /** Passed to playwright only when given (playwright's default otherwise). */
  readonly acceptDownloads?: boolean;
  /** Flags added after the default ones. */
  readonly extraArgs?: readonly string[];
  /** Flags used instead of the default ones (then `extraArgs` follow them). */
  readonly args?: readonly string[];
}

export interface LaunchedChromium {
  readonly context: BrowserContext;
  /** Closes the context and removes its profile; safe to call twice. */
  close(): Promise<void>;
}

/**
 * Starts chromium (playwright-core) headless with a persistent context in a fresh temporary profile named
 * `<os tmpdir>/<profilePrefix>XXXXXX` (playwright passes it as --user-data-dir). When chromium does not start,
 * the profile is removed and the error says how to install it or where to point CHROMIUM_PATH.
 */
export async function launchChromium(
  profilePrefix: string,
  options: LaunchOptions = {},
): Promise<LaunchedChromium> {
  const profile = mkdtempSync(path.join(os.tmpdir(), profilePrefix));
  const removeProfile = (): void => rmSync(profile, { recursive: true, force: true });
  let context: BrowserContext | undefined;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      args: [...(options.args ?? DEFAULT_ARGS), ...(options.extraArgs ?? [])],
      ...(options.viewport === undefined ? {} : { viewport: options.viewport }),
      ...(options.acceptDownloads === undefined ? {} : { acceptDownloads: options.acceptDownloads }),
    });
  } catch (error) {
    removeProfile();
    throw new Error(
      `Chromium did not start from ${CHROMIUM}: install Debian's chromium (apt-get install -y chromium) ` +
        `or set CHROMIUM_PATH. ${(error as Error).message}`,
    );
  }
  const opened = context;
  return {
    context: opened,
    async close(): Promise<void> {
      try {
        await opened.close();
      } finally {
        removeProfile();
      }
    },
  };
}

/**
 * Signs in through the local stack's demo login page (`/staff/login`, or `/en/staff/login` in English) as
 * `role`, from an empty sessionStorage, and waits for the page the login leads to.
 */
export async function signInDemo(
  page: Page,
  base: string,
  language: 'fr' | 'en',
  role: string,
): Promise<void> {
  await page.goto(`${base}${language === 'en' ? '/en' : ''}/staff/login`);
  await page.evaluate('sessionStorage.clear()');
  await page.locator(`#role-${role}`).check();
  await page.locator('#login-form button[type="submit"]').click();
  await page.waitForURL((url) => !url.pathname.endsWith('/login'));
}
