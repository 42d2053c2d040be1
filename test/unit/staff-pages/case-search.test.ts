import { renderStaffPage } from '../../../web/staff';
import { loadSctPolicy } from '../../../shared/domain/policy';

interface Common {
  headerSearchTarget(text: unknown, language: string, kind: string): string | null;
}
interface Filters {
  q?: string;
  status?: string;
  sort?: string;
  order?: string;
  view?: string;
  unit?: string;
  cursor?: string;
}
interface Staff {
  listQuery(filters: Filters, user: { sub: string; units: string[] }): string;
  listStateFromAddress(search: string): Filters;
  workListAddress(state: Filters, language: string): string;
}

const common = jest.requireActual<Common>('../../../web/static/staff-common.js');
const staff = jest.requireActual<Staff>('../../../web/static/staff.js');
const AGENT = { sub: 'demo-agent', units: ['statistics'] };

describe('the header search box', () => {
  it('opens the case of a reference typed in any letter case, on the page of the shell it is on', () => {
    expect(common.headerSearchTarget(' sct-2026-000123 ', 'fr', 'work-list')).toBe(
      '/staff/cases/SCT-2026-000123',
    );
    expect(common.headerSearchTarget('SCT-2026-000123', 'en', 'case')).toBe(
      '/en/staff/cases/SCT-2026-000123',
    );
    expect(common.headerSearchTarget('SCT-2026-000123', 'fr', 'audit')).toBe('/audit/cases/SCT-2026-000123');
    // The dashboard is an auditor's page: a reference opens the case's timeline.
    expect(common.headerSearchTarget('SCT-2026-000123', 'en', 'dashboard')).toBe(
      '/en/audit/cases/SCT-2026-000123',
    );
  });

  it('sends any other text to the work list, searching open and closed cases; blank goes nowhere', () => {
    expect(common.headerSearchTarget('Gagné', 'fr', 'case')).toBe('/staff/?q=Gagn%C3%A9&status=all');
    expect(common.headerSearchTarget('marie.t@example.org', 'en', 'work-list')).toBe(
      '/en/staff/?q=marie.t%40example.org&status=all',
    );
    expect(common.headerSearchTarget('SCT-2026-12', 'fr', 'case')).toBe('/staff/?q=SCT-2026-12&status=all');
    expect(common.headerSearchTarget('   ', 'fr', 'case')).toBeNull();
  });

  it('is in the header of every staff and audit page but the login page, labelled in the page language', () => {
    const policy = loadSctPolicy();
    for (const [kind, language, pathname, label, action] of [
      ['work-list', 'fr', '/staff/', 'Trouver un dossier', '/staff/'],
      ['case', 'en', '/en/staff/cases/SCT-2026-000001', 'Find a case', '/en/staff/'],
      ['audit', 'fr', '/audit/', 'Trouver un dossier', '/staff/'],
    ] as const) {
      const html = renderStaffPage({ kind, language, pathname, policy });
      const header = html.slice(html.indexOf('<header'), html.indexOf('</header>'));
      expect(header).toContain(
        `<form class="header-search" role="search" aria-label="${label}" action="${action}"`,
      );
      expect(header).toContain(`<label for="header-search-q">${label}</label>`);
    }
    expect(
      renderStaffPage({ kind: 'login', language: 'fr', pathname: '/staff/login', policy }),
    ).not.toContain('header-search');
  });
});

describe('the work list address and query', () => {
  it('keeps the search, status, sort and order in the address, defaults left out', () => {
    expect(
      staff.workListAddress({ q: ' Gagné ', status: 'all', sort: 'received', order: 'desc' }, 'fr'),
    ).toBe('/staff/?q=Gagn%C3%A9&status=all&sort=received');
    expect(staff.workListAddress({ q: '', status: 'closed', sort: 'reference', order: 'desc' }, 'en')).toBe(
      '/en/staff/?status=closed&sort=reference&order=desc',
    );
    expect(staff.workListAddress({ q: '', status: '', sort: 'deadline', order: 'asc' }, 'fr')).toBe(
      '/staff/',
    );
  });

  it('reads the address back, dropping unknown values', () => {
    expect(staff.listStateFromAddress('?q=Gagn%C3%A9&status=all&sort=received')).toEqual({
      q: 'Gagné',
      status: 'all',
      sort: 'received',
      order: 'desc',
      view: 'unit',
      unit: '',
      overdue: false,
      toMail: false,
    });
    expect(staff.listStateFromAddress('?status=archived&sort=urgency&order=up')).toEqual({
      q: '',
      status: '',
      sort: 'deadline',
      order: 'asc',
      view: 'unit',
      unit: '',
      overdue: false,
      toMail: false,
    });
  });

  it('asks the API for the search, the status, the sort and the next page', () => {
    expect(
      staff.listQuery({ view: 'unit', q: 'gagne', status: 'all', sort: 'reference', order: 'desc' }, AGENT),
    ).toBe('/api/staff/cases?q=gagne&status=all&sort=reference&order=desc');
    expect(staff.listQuery({ view: 'unit', status: 'closed', cursor: 'abc' }, AGENT)).toBe(
      '/api/staff/cases?status=closed&cursor=abc',
    );
    // Open and closed together is a search; without one, the list is of open cases.
    expect(staff.listQuery({ view: 'unit', status: 'all' }, AGENT)).toBe('/api/staff/cases');
  });
});
