import { loadSctPolicy } from '../../../shared/domain/policy';
import {
  cognitoAuthConfig,
  LOCAL_AUTH_CONFIG,
  renderStaffPage,
  renderStaffSite,
  STAFF_AUTH_STRINGS,
  STAFF_SITE_OBJECTS,
  staffAuthUrls,
  staffPageAt,
  staffSite,
} from '../../../web/staff';
import type { StaffAuthConfig, StaffPageKind } from '../../../web/staff';
import { tagsOf } from '../form/html-query';

const policy = loadSctPolicy();
const SITE = 'https://console.example/';
const cognito = (language: 'fr' | 'en') =>
  cognitoAuthConfig(
    {
      domain: 'https://jalon-dev-staff.auth.ca-central-1.amazoncognito.com',
      clientId: 'client123',
      siteUrl: SITE,
    },
    language,
  );

function authOf(html: string): unknown {
  const meta = tagsOf(html, 'meta').find((tag) => tag.attributes['name'] === 'jalon-auth');
  return JSON.parse(meta?.attributes['content'] ?? 'null');
}

describe('sign-in configuration in the pages', () => {
  it('the local server renders the demo login, with the endpoint the script calls', () => {
    const html = staffSite(policy)('/staff/login') ?? '';

    expect(authOf(html)).toEqual(LOCAL_AUTH_CONFIG);
    expect(html).toContain('id="login-form"');
  });

  it('a Cognito page names the hosted UI, the client, its callback and sign-out pages in its language', () => {
    const fr = renderStaffPage({
      kind: 'work-list',
      language: 'fr',
      pathname: '/staff/',
      policy,
      auth: cognito('fr'),
    });
    const en = renderStaffPage({
      kind: 'audit',
      language: 'en',
      pathname: '/en/audit/',
      policy,
      auth: cognito('en'),
    });

    expect(authOf(fr)).toEqual({
      auth: 'cognito',
      domain: 'https://jalon-dev-staff.auth.ca-central-1.amazoncognito.com',
      clientId: 'client123',
      redirectUri: `${SITE}staff/auth/callback`,
      logoutUri: `${SITE}staff/login`,
    });
    expect(authOf(en)).toMatchObject({
      redirectUri: `${SITE}en/staff/auth/callback`,
      logoutUri: `${SITE}en/staff/login`,
    });
    // Every address a page may be sent back to is one the user pool client allows.
    const allowed = staffAuthUrls(SITE);
    for (const config of [cognito('fr'), cognito('en')] as Extract<StaffAuthConfig, { auth: 'cognito' }>[]) {
      expect(allowed.callbackUrls).toContain(config.redirectUri);
      expect(allowed.logoutUrls).toContain(config.logoutUri);
    }
  });

  it('the Cognito sign-in page has a sign-in button and no demo roles, nothing of the local login', () => {
    const html = renderStaffPage({
      kind: 'login',
      language: 'fr',
      pathname: '/staff/login',
      policy,
      auth: cognito('fr'),
    });

    expect(tagsOf(html, 'button').map((tag) => tag.attributes['id'])).toEqual(['sign-in']);
    expect(html).not.toContain('login-form');
    expect(html).not.toContain('/api/local');
  });
});

describe.each(['fr', 'en'] as const)('callback and session-expired pages in %s', (language) => {
  const prefix = language === 'en' ? '/en' : '';
  const kinds: [StaffPageKind, string][] = [
    ['callback', `${prefix}/staff/auth/callback`],
    ['session-expired', `${prefix}/staff/session-expired`],
  ];

  it.each(kinds)('%s is a page of its own at %s', (kind, path) => {
    expect(staffPageAt(path)).toEqual({ kind, language });
  });

  it.each(kinds)(
    '%s: one h1, live regions, no session navigation, a way back to the sign-in page',
    (kind, path) => {
      const html = renderStaffPage({ kind, language, pathname: path, policy, auth: cognito(language) });

      expect(html).toMatch(new RegExp(`<html lang="${language}">`));
      expect(tagsOf(html, 'h1')).toHaveLength(1);
      expect(html).toMatch(/id="page-status"[^>]*role="status"/);
      expect(html).not.toContain('data-session-nav');
      expect(tagsOf(html, 'a').map((tag) => tag.attributes['href'])).toContain(`${prefix}/staff/login`);
    },
  );

  it('the session-expired page says so and that unsaved work was not kept', () => {
    const html = renderStaffPage({
      kind: 'session-expired',
      language,
      pathname: `${prefix}/staff/session-expired`,
      policy,
      auth: cognito(language),
    });
    const text = STAFF_AUTH_STRINGS[language];

    expect(html).toContain(`<h1>${text.expiredTitle}</h1>`);
    expect(html).toContain(text.expiredUnsaved);
  });
});

describe('the deployed staff site', () => {
  const site = renderStaffSite(policy, cognito);

  it('renders every shell in both languages at the object keys the viewer-request function serves', () => {
    expect(site.map((page) => page.objectKey).sort()).toEqual(
      [
        'audit/index.html',
        'audit/dashboard/index.html',
        'staff/auth/callback/index.html',
        'staff/case.html',
        'staff/index.html',
        'staff/intake/index.html',
        'staff/holding/index.html',
        'staff/login/index.html',
        'staff/session-expired/index.html',
      ]
        .flatMap((key) => [key, `en/${key}`])
        .sort(),
    );
    expect(STAFF_SITE_OBJECTS).toHaveLength(site.length);
  });

  it('never names the local login endpoint, and each page carries the configuration of its language', () => {
    for (const page of site) {
      expect(page.html).not.toContain('/api/local');
      expect(authOf(page.html)).toEqual(cognito(page.language));
    }
  });
});
