import { startLocalStack } from '../../../infra/local/local-stack';
import type { LocalStack } from '../../../infra/local/local-stack';
import { client } from './support';

/**
 * The staff and auditor pages on the local stack: each shell in French and in English under the citizen
 * distribution's Content Security Policy, their scripts and stylesheet, and the work list's data (a letter
 * registered on the day it arrived has its 10 business days left).
 */
let stack: LocalStack;
let api: ReturnType<typeof client>;

beforeAll(async () => {
  stack = await startLocalStack({
    memory: true,
    virtualClock: '2026-12-18T15:00:00Z',
    port: 0,
    smtpPort: 0,
    quiet: true,
  });
  api = client(stack.urls.web);
}, 30_000);

afterAll(async () => {
  await stack?.stop();
});

const PAGES: readonly [string, string, string][] = [
  ['/staff/login', 'fr', 'login'],
  ['/staff/', 'fr', 'work-list'],
  ['/staff/cases/01JCASEIDEXAMPLE', 'fr', 'case'],
  ['/audit/', 'fr', 'audit'],
  ['/audit/cases/01JCASEIDEXAMPLE', 'fr', 'audit'],
  ['/en/staff/login', 'en', 'login'],
  ['/en/staff/', 'en', 'work-list'],
  ['/en/staff/cases/01JCASEIDEXAMPLE', 'en', 'case'],
  ['/en/audit/', 'en', 'audit'],
  ['/en/audit/cases/01JCASEIDEXAMPLE', 'en', 'audit'],
  ['/staff/intake', 'fr', 'intake'],
  ['/staff/holding', 'fr', 'holding'],
  ['/en/staff/intake', 'en', 'intake'],
  ['/en/staff/holding', 'en', 'holding'],
];

describe('staff pages, locally', () => {
  it.each(PAGES)('GET %s: 200, %s, the %s shell, under the strict CSP', async (path, language, kind) => {
    const page = await api.request('GET', path);

    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.text).toMatch(new RegExp(`<html lang="${language}">`));
    expect(page.text).toContain(`data-page="${kind}"`);
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
  });

  it.each([
    ['/staff.js', 'text/javascript; charset=utf-8', 'runWorkList'],
    ['/staff-common.js', 'text/javascript; charset=utf-8', 'createApi'],
    ['/audit.js', 'text/javascript; charset=utf-8', 'verifyMessage'],
    ['/form.js', 'text/javascript; charset=utf-8', 'formatLongDate'],
    ['/intake.js', 'text/javascript; charset=utf-8', 'quebecInstant'],
    ['/holding.js', 'text/javascript; charset=utf-8', 'holdingQuery'],
    ['/dashboard.js', 'text/javascript; charset=utf-8', 'chartGeometry'],
    ['/staff-forms.js', 'text/javascript; charset=utf-8', 'showErrors'],
    ['/staff.css', 'text/css; charset=utf-8', '.facts'],
  ])('GET %s: 200 %s', async (path, contentType, sample) => {
    const file = await api.request('GET', path);

    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe(contentType);
    expect(file.text).toContain(sample);
  });

  it.each([
    ['/staff/intake', '/intake.js', 'Saisir un courrier, un appel ou une visite'],
    ['/en/staff/holding', '/holding.js', 'Held email'],
    ['/audit/dashboard', '/dashboard.js', 'Tableau de bord de la déclaration de services'],
    ['/en/audit/dashboard', '/dashboard.js', 'Service statement dashboard'],
  ])('GET %s loads its own script %s and says what it is', async (path, script, title) => {
    const page = await api.request('GET', path);
    const id = path.endsWith('intake') ? 'intake' : path.endsWith('holding') ? 'holding' : 'dashboard';

    expect(page.text).toContain(`<script type="module" src="${script}"></script>`);
    expect(page.text).toContain(`<h1 id="${id}-title" tabindex="-1">${title}</h1>`);
  });

  it('leaves other paths to the citizen pages and the 404', async () => {
    expect((await api.request('GET', '/')).text).toContain('data-jalon-form');
    expect((await api.request('GET', '/staff/cases/')).status).toBe(404);
    expect((await api.request('GET', '/audit/unknown/path')).status).toBe(404);
  });

  it('lists a letter registered the day it arrived with its 10 business days left', async () => {
    const token = await api.login('agent');
    const { caseId, reference } = await api.registerLetter(token, 'staff-pages-0001', '2026-12-18T14:00:00Z');
    // The workflow plans the deadlines: wait until it is idle, without moving the clock.
    await api.clock({ advance: 'PT0S' });

    const list = await api.request('GET', '/api/staff/cases', undefined, {
      authorization: `Bearer ${token}`,
    });
    const detail = await api.request('GET', `/api/staff/cases/${caseId}`, undefined, {
      authorization: `Bearer ${token}`,
    });

    const row = (
      list.json['cases'] as { caseId: string; reference: string; deadlines: Record<string, unknown> }[]
    ).find((item) => item.caseId === caseId);
    expect(row?.reference).toBe(reference);
    expect(row?.deadlines['acknowledgement']).toMatchObject({ businessDaysLeft: 10, overdue: false });
    expect(
      (detail.json['case'] as { deadlines: Record<string, unknown> }).deadlines['acknowledgement'],
    ).toMatchObject({ businessDaysLeft: 10 });
  });
});
