import { loadSctPolicy } from '../../../shared/domain/policy';
import { renderStaffPage, STAFF_SITE_OBJECTS, STAFF_STATIC_ASSETS, staffPageAt } from '../../../web/staff';
import { DASHBOARD_SCRIPT_TEXT_KEYS, DASHBOARD_STRINGS } from '../../../web/staff/dashboard-strings';
import { tagsOf } from '../form/html-query';

const policy = loadSctPolicy();
const LANGUAGES = ['fr', 'en'] as const;

function render(language: 'fr' | 'en'): string {
  return renderStaffPage({
    kind: 'dashboard',
    language,
    pathname: `${language === 'en' ? '/en' : ''}/audit/dashboard`,
    policy,
  });
}

describe('the dashboard address', () => {
  it.each([
    ['/audit/dashboard', 'fr'],
    ['/audit/dashboard/', 'fr'],
    ['/en/audit/dashboard', 'en'],
  ])('%s is the dashboard shell in %s', (path, language) => {
    expect(staffPageAt(path)).toEqual({ kind: 'dashboard', language });
  });

  it('does not take a case timeline for the dashboard, nor the dashboard for a case', () => {
    expect(staffPageAt('/audit/cases/dashboard')).toEqual({
      kind: 'audit',
      language: 'fr',
      caseId: 'dashboard',
    });
    expect(staffPageAt('/audit/')).toEqual({ kind: 'audit', language: 'fr' });
  });

  it('is deployed as a folder page per language with its script', () => {
    expect(
      STAFF_SITE_OBJECTS.filter((object) => object.kind === 'dashboard').map((object) => [
        object.path,
        object.objectKey,
      ]),
    ).toEqual([
      ['/audit/dashboard', 'audit/dashboard/index.html'],
      ['/en/audit/dashboard', 'en/audit/dashboard/index.html'],
    ]);
    expect(STAFF_STATIC_ASSETS.dashboardScript).toBe('/dashboard.js');
  });
});

describe.each(LANGUAGES)('the dashboard shell (%s)', (language) => {
  const words = DASHBOARD_STRINGS[language];
  const html = render(language);
  const ids = tagsOf(html).flatMap((tag) => (tag.attributes['id'] ? [tag.attributes['id']] : []));

  it('has its language, its own script, its title, and every label and description tied', () => {
    expect(html).toContain(`<html lang="${language}">`);
    expect(html).toContain('data-page="dashboard"');
    expect(tagsOf(html, 'script').map((tag) => tag.attributes['src'])).toEqual(['/dashboard.js']);
    expect(html).toContain(`<title>${words.title} – Jalon</title>`);
    expect(new Set(ids).size).toBe(ids.length);
    for (const label of tagsOf(html, 'label')) expect(ids).toContain(label.attributes['for']);
    for (const tag of tagsOf(html)) {
      for (const attribute of ['aria-describedby', 'aria-labelledby']) {
        for (const id of (tag.attributes[attribute] ?? '').split(' ').filter(Boolean))
          expect(ids).toContain(id);
      }
    }
  });

  it('asks for the period with two date fields named by the API’s paths', () => {
    const inputs = tagsOf(html, 'input').filter((tag) => tag.attributes['type'] === 'date');
    expect(inputs.map((tag) => [tag.attributes['id'], tag.attributes['name']])).toEqual([
      ['dashboard-query-from', 'query.from'],
      ['dashboard-query-to', 'query.to'],
    ]);
    const fields = tagsOf(html).flatMap((tag) =>
      tag.attributes['data-field'] ? [tag.attributes['data-field']] : [],
    );
    // Then the what-if form's fields (`what-if-section.ts`), named by its own issue paths.
    expect(fields).toEqual([
      'query.from',
      'query.to',
      'category',
      'acknowledgementDays',
      'answerDays',
      'automaticAcknowledgement',
      'calendar',
      'addClosures',
    ]);
  });

  it('has the category table, the chart followed by its data table, the past-deadline list and the CSV link', () => {
    const headers = [...html.matchAll(/<th scope="col">([^<]*)<\/th>/g)].map((match) => match[1]);
    const figureColumns = [
      words.columns.received,
      words.columns.ackOnTime,
      words.columns.answerOnTime,
      words.columns.complaints,
      words.columns.handoffs,
    ];
    expect(headers).toEqual([
      words.columns.category,
      ...figureColumns,
      // The channel table, then the category × channel table (its channel columns come with the report).
      words.columns.channel,
      ...figureColumns,
      words.columns.category,
      words.monthColumns.month,
      words.monthColumns.received,
      words.monthColumns.ackOnTime,
      words.monthColumns.ackAssessed,
    ]);
    const position = (id: string) => tagsOf(html).find((tag) => tag.attributes['id'] === id)?.index ?? -1;
    expect(position('dashboard-chart')).toBeGreaterThan(0);
    expect(position('dashboard-chart-data')).toBeGreaterThan(position('dashboard-chart'));
    expect(position('dashboard-months')).toBeGreaterThan(position('dashboard-chart-data'));
    expect(html).toContain(`<summary>${words.chartData}</summary>`);
    expect(position('dashboard-past')).toBeGreaterThan(position('dashboard-months'));
    // The cases behind a figure: a hidden panel after the tables, its heading focusable, a list and pages.
    expect(position('dashboard-channels')).toBeGreaterThan(position('dashboard-categories'));
    expect(position('dashboard-cross')).toBeGreaterThan(position('dashboard-channels'));
    expect(position('dashboard-cases')).toBeGreaterThan(position('dashboard-cross'));
    expect(html).toContain('<section id="dashboard-cases" aria-labelledby="dashboard-cases-title" hidden>');
    expect(html).toContain('<h2 id="dashboard-cases-title" tabindex="-1"></h2>');
    for (const id of ['dashboard-cases-list', 'dashboard-cases-count', 'dashboard-cases-pages']) {
      expect(position(id)).toBeGreaterThan(position('dashboard-cases'));
    }
    expect(html).toContain(words.drillHint);
    const csv = tagsOf(html, 'a').find((tag) => tag.attributes['id'] === 'dashboard-csv');
    expect(csv?.attributes).toEqual(expect.objectContaining({ download: '' }));
    expect(html).toContain('id="page-status" class="page-status" role="status" aria-live="polite"');
  });

  it('gives the script its words in the page’s language', () => {
    for (const key of DASHBOARD_SCRIPT_TEXT_KEYS) {
      expect(html).toContain(`<data value="${key}">${words.script[key]}</data>`);
    }
  });

  it('is linked from the header of every signed-in page, for auditors and supervisors', () => {
    const prefix = language === 'en' ? '/en' : '';
    for (const kind of ['work-list', 'case', 'audit', 'intake', 'holding', 'dashboard'] as const) {
      const page = renderStaffPage({ kind, language, pathname: `${prefix}/audit/`, policy });
      const item = /<li data-roles="([^"]*)"><a href="([^"]*)">([^<]*)<\/a><\/li>/g;
      const links = [...page.matchAll(item)].map((match) => [match[1], match[2], match[3]]);
      expect([kind, links]).toEqual([
        kind,
        expect.arrayContaining([['auditor supervisor', `${prefix}/audit/dashboard`, words.link]]),
      ]);
    }
  });
});
