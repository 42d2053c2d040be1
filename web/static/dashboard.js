/**
 * The auditor dashboard (plain ES module): a period kept in the address (`?from=…&to=…`, by default the
 * current calendar year up to today, Québec time), the service-statement report of
 * `GET /api/audit/reports/service-statement` shown as the headline share acknowledged on time, a table per
 * category, a monthly bar chart drawn as SVG with DOM APIs (its data table follows it), the open cases past a
 * deadline, and the report as CSV (fetched with the session's token, saved through a Blob). Every sentence
 * comes from the page or the API; the pure functions are exported for the unit tests.
 */

import {
  alertError,
  announce,
  casePath,
  clearSession,
  el,
  errorMessage,
  loadSession,
  pluralForm,
  quebecDate,
  quebecDateTime,
  startPage,
} from './staff-common.js';
import { formErrors } from './staff.js';
import { clearErrors, showErrors } from './staff-forms.js';
import { startWhatIf } from './dashboard-what-if.js';

const LOCALES = { fr: 'fr-CA', en: 'en-CA' };
const REPORT_PATH = '/api/audit/reports/service-statement';
const DATE = /^\d{4}-\d{2}-\d{2}$/;
/** The longest period the report covers, in days (`MAX_PERIOD_DAYS` of the report domain). */
export const MAX_PERIOD_DAYS = 366;
const SVG = 'http://www.w3.org/2000/svg';

/** The default period: 1 January of the current year to today, both as Québec dates. */
export function defaultPeriod(now = Date.now()) {
  const today = quebecDate(now);
  return { from: `${today.slice(0, 4)}-01-01`, to: today };
}

/** The period in the address (`?from=…&to=…`); a part not given is the default's. */
export function periodFromSearch(search, now = Date.now()) {
  const params = new URLSearchParams(search);
  const fallback = defaultPeriod(now);
  const from = params.get('from');
  const to = params.get('to');
  return { from: from ?? fallback.from, to: to ?? fallback.to };
}

/** The address's query for a period. */
export function periodSearch(period) {
  return `?${new URLSearchParams({ from: period.from, to: period.to })}`;
}

function realDate(date) {
  if (!DATE.test(date)) return false;
  const time = Date.parse(`${date}T00:00:00Z`);
  return !Number.isNaN(time) && new Date(time).toISOString().startsWith(date);
}

/**
 * What is wrong with a period before asking the API (the same rules: real dates, `from` not after `to`, at most
 * 366 days both included), as `{path, key}` with the API's paths (`query.from`, `query.to`) and text keys.
 */
export function periodIssues(period) {
  const issues = [];
  for (const name of ['from', 'to']) {
    const value = String(period[name] ?? '');
    if (value === '') issues.push({ path: `query.${name}`, key: 'dashboard.period.required' });
    else if (!realDate(value)) issues.push({ path: `query.${name}`, key: 'dashboard.period.invalid' });
  }
  if (issues.length > 0) return issues;
  if (period.from > period.to) return [{ path: 'query.to', key: 'dashboard.period.reversed' }];
  const days =
    (Date.parse(`${period.to}T00:00:00Z`) - Date.parse(`${period.from}T00:00:00Z`)) / 86_400_000 + 1;
  if (days > MAX_PERIOD_DAYS) return [{ path: 'query.to', key: 'dashboard.period.tooLong' }];
  return [];
}

/** The report's API address for a period, as JSON or as CSV with its headers in a language. */
export function reportUrl(period, format, language) {
  const params = new URLSearchParams({ from: period.from, to: period.to });
  if (format === 'csv') {
    params.set('format', 'csv');
    params.set('lang', language);
  }
  return `${REPORT_PATH}?${params}`;
}

/** A number in the page's language (`1 234` / `1,234`), with at most `digits` decimals. */
export function formatNumber(value, language, digits = 0) {
  return new Intl.NumberFormat(LOCALES[language] ?? LOCALES.fr, { maximumFractionDigits: digits }).format(
    value,
  );
}

/** A share already in % (`62.5`) in the page's language, one decimal: `62,5 %` / `62.5%`; `null` (0/0) gives `''`. */
export function formatPercent(value, language) {
  if (value === null || value === undefined) return '';
  return new Intl.NumberFormat(LOCALES[language] ?? LOCALES.fr, {
    style: 'percent',
    minimumFractionDigits: 1,
    maximumFractionDigits: 1,
  }).format(value / 100);
}

/** A month (`2026-03`) in words: « mars 2026 » / "Mar 2026" (`short`) or the full month name. */
export function monthLabel(month, language, width = 'long') {
  const [year, number] = month.split('-').map(Number);
  return new Intl.DateTimeFormat(LOCALES[language] ?? LOCALES.fr, {
    month: width,
    year: 'numeric',
    timeZone: 'UTC',
  }).format(new Date(Date.UTC(year, number - 1, 1)));
}

/** A round top for the value axis and its step: 1, 2 or 5 times a power of ten, at most 5 steps. */
export function niceScale(max) {
  if (!(max > 0)) return { max: 1, step: 1 };
  // Counts: whole steps only, the smallest of 1, 2, 5, 10, 20, 50… that covers the top in 5 steps or fewer.
  for (let power = 1; ; power *= 10) {
    for (const base of [1, 2, 5]) {
      const step = base * power;
      const steps = Math.ceil(max / step);
      if (steps <= 5) return { max: steps * step, step };
    }
  }
}

/**
 * The chart's geometry from the report's months: a group per month with two bars (requests received,
 * acknowledged on time) on a common scale, heights proportional to the values, and the value axis ticks.
 */
export function chartGeometry(months, size = {}) {
  const width = size.width ?? 640;
  const height = size.height ?? 260;
  const margin = { top: 12, right: 8, bottom: 36, left: 44, ...size.margin };
  const plotWidth = width - margin.left - margin.right;
  const plotHeight = height - margin.top - margin.bottom;
  const scale = niceScale(Math.max(0, ...months.map((month) => month.received)));
  const baseline = margin.top + plotHeight;
  const y = (value) => baseline - (value / scale.max) * plotHeight;
  const slot = months.length > 0 ? plotWidth / months.length : plotWidth;
  const barWidth = slot * 0.35;
  const groups = months.map((month, index) => {
    const x = margin.left + index * slot + slot * 0.15;
    const bar = (kind, value, left) => ({
      kind,
      value,
      x: left,
      y: y(value),
      width: barWidth,
      height: baseline - y(value),
    });
    return {
      month: month.month,
      center: margin.left + (index + 0.5) * slot,
      bars: [bar('received', month.received, x), bar('on-time', month.ackOnTime, x + barWidth)],
    };
  });
  const ticks = [];
  for (let value = 0; value <= scale.max; value += scale.step) ticks.push({ value, y: y(value) });
  return {
    width,
    height,
    baseline,
    left: margin.left,
    right: width - margin.right,
    max: scale.max,
    ticks,
    groups,
  };
}

function svg(tag, attributes = {}, ...children) {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, String(value));
  for (const child of children) element.append(child);
  return element;
}

const round = (value) => Math.round(value * 10) / 10;

/** The chart as an SVG element (`role="img"`, its name given): the same numbers as the table after it. */
export function chartElement(geometry, name, language) {
  const chart = svg('svg', {
    role: 'img',
    'aria-label': name,
    viewBox: `0 0 ${geometry.width} ${geometry.height}`,
    class: 'bar-chart',
    'data-testid': 'dashboard-chart',
  });
  for (const tick of geometry.ticks) {
    chart.append(
      svg('line', {
        x1: geometry.left,
        x2: geometry.right,
        y1: round(tick.y),
        y2: round(tick.y),
        class: 'grid',
      }),
      svg(
        'text',
        { x: geometry.left - 6, y: round(tick.y) + 4, 'text-anchor': 'end', class: 'tick' },
        formatNumber(tick.value, language),
      ),
    );
  }
  for (const group of geometry.groups) {
    for (const bar of group.bars) {
      chart.append(
        svg('rect', {
          x: round(bar.x),
          y: round(bar.y),
          width: round(bar.width),
          height: round(bar.height),
          class: `bar bar-${bar.kind}`,
          'data-month': group.month,
          'data-value': bar.value,
        }),
      );
    }
    chart.append(
      svg(
        'text',
        { x: round(group.center), y: geometry.baseline + 18, 'text-anchor': 'middle', class: 'tick' },
        monthLabel(group.month, language, 'short'),
      ),
    );
  }
  chart.append(
    svg('line', {
      x1: geometry.left,
      x2: geometry.right,
      y1: geometry.baseline,
      y2: geometry.baseline,
      class: 'axis',
    }),
  );
  return chart;
}

/** The table's rows: every category of the report (by its name), then the total. */
export function categoryRows(report, categoryName, totalName) {
  const row = (id, name, figures) => ({
    id,
    name,
    received: figures.received.count,
    ackOnTime: figures['ack-on-time'].percent ?? null,
    answerOnTime: figures['answer-on-time'].percent ?? null,
    complaints: figures['complaints-received'].count,
    handoffs: figures.handoffs.mean ?? null,
  });
  const rows = Object.entries(report.byCategory ?? {})
    .map(([id, figures]) => row(id, categoryName(id), figures))
    .sort((left, right) => left.name.localeCompare(right.name));
  return [...rows, row('total', totalName, report.total)];
}

function runDashboard({ language, t, storage, api }) {
  const form = document.getElementById('dashboard-period');
  const fromInput = document.getElementById('dashboard-query-from');
  const toInput = document.getElementById('dashboard-query-to');
  const result = document.getElementById('dashboard-report');
  const csv = document.getElementById('dashboard-csv');
  let period = periodFromSearch(window.location.search);
  let loading = 0;
  // The what-if form below the report (its own module): told of each report shown.
  const whatIfReady = startWhatIf({ language, t, api });

  const cell = (value, header = false) => el(header ? 'th' : 'td', header ? { scope: 'row' } : {}, value);
  const share = (value) => (value === null ? t('dashboard.noShare') : formatPercent(value, language));

  function show(report) {
    const total = report.total;
    const onTime = total['ack-on-time'];
    document.getElementById('dashboard-as-of').textContent = t('dashboard.asOf', {
      asOf: quebecDateTime(report.asOf, language),
    });
    const scope = document.getElementById('dashboard-scope');
    scope.hidden = report.scope?.kind !== 'units';
    scope.textContent = scope.hidden ? '' : t('dashboard.scope', { note: report.scope.note[language] });
    document.getElementById('dashboard-rate').textContent = share(onTime.percent ?? null);
    const assessed = onTime.denominator ?? 0;
    document.getElementById('dashboard-rate-count').textContent = t(
      `dashboard.rateCount.${pluralForm(assessed, language)}`,
      {
        onTime: formatNumber(onTime.count, language),
        assessed: formatNumber(assessed, language),
      },
    );
    csv.href = reportUrl(report.period, 'csv', language);
    csv.setAttribute('download', t('dashboard.csvName', report.period));

    const rows = categoryRows(report, (id) => t(`category.${id}`), t('dashboard.total'));
    document
      .querySelector('#dashboard-categories tbody')
      .replaceChildren(
        ...rows.map((row) =>
          el(
            'tr',
            row.id === 'total' ? { class: 'total-row' } : {},
            cell(row.name, true),
            cell(formatNumber(row.received, language)),
            cell(share(row.ackOnTime)),
            cell(share(row.answerOnTime)),
            cell(formatNumber(row.complaints, language)),
            cell(row.handoffs === null ? '' : formatNumber(row.handoffs, language, 2)),
          ),
        ),
      );

    const months = report.byMonth ?? [];
    const chart = document.getElementById('dashboard-chart');
    if (total.received.count === 0) chart.replaceChildren(el('p', {}, t('dashboard.chartEmpty')));
    else {
      const name = t('dashboard.chartName', { from: report.period.from, to: report.period.to });
      chart.replaceChildren(chartElement(chartGeometry(months), name, language));
    }
    document
      .querySelector('#dashboard-months tbody')
      .replaceChildren(
        ...months.map((month) =>
          el(
            'tr',
            {},
            cell(monthLabel(month.month, language), true),
            cell(formatNumber(month.received, language)),
            cell(formatNumber(month.ackOnTime, language)),
            cell(formatNumber(month.ackAssessed, language)),
          ),
        ),
      );

    const past = total['open-past-deadline'];
    document.getElementById('dashboard-past-title').textContent = t('dashboard.pastTitle', {
      asOf: quebecDateTime(report.asOf, language),
    });
    document
      .getElementById('dashboard-past')
      .replaceChildren(
        ...past.cases.references.map((reference) =>
          el('li', {}, el('a', { href: casePath('audit', reference, language) }, reference)),
        ),
      );
    const none = document.getElementById('dashboard-no-past');
    none.hidden = past.count > 0;
    none.textContent = t('dashboard.noPast');
    const withheld = document.getElementById('dashboard-past-withheld');
    withheld.hidden = past.cases.withheld === 0;
    withheld.textContent = t(`dashboard.withheld.${pluralForm(past.cases.withheld, language)}`, {
      n: formatNumber(past.cases.withheld, language),
    });
    result.hidden = false;
  }

  async function load() {
    const mine = ++loading;
    fromInput.value = period.from;
    toInput.value = period.to;
    clearErrors(form);
    const issues = periodIssues(period);
    if (issues.length > 0) {
      result.hidden = true;
      announce('');
      showErrors(
        form,
        t('dashboard.period.summary'),
        issues.map((issue) => ({ path: issue.path, message: t(issue.key) })),
        t('error.prefix'),
      );
      return;
    }
    announce(t('dashboard.loading'));
    const response = await api('GET', reportUrl(period));
    if (mine !== loading || response.status === 401) return;
    if (response.status !== 200) {
      result.hidden = true;
      const { summary, issues: refused } = formErrors(response.status, response.body, t);
      if (refused.length > 0) {
        announce('');
        showErrors(form, summary, refused, t('error.prefix'));
      } else alertError(summary);
      return;
    }
    show(response.body);
    whatIfReady(response.body);
    announce(t('dashboard.loaded', period));
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    period = { from: fromInput.value, to: toInput.value };
    window.history.pushState(null, '', window.location.pathname + periodSearch(period));
    void load();
  });
  window.addEventListener('popstate', () => {
    period = periodFromSearch(window.location.search);
    void load();
  });

  csv.addEventListener('click', async (event) => {
    event.preventDefault();
    const session = loadSession(storage);
    let response;
    try {
      response = await fetch(csv.getAttribute('href'), {
        headers: { authorization: `Bearer ${session?.token ?? ''}`, 'accept-language': language },
        credentials: 'same-origin',
      });
    } catch {
      alertError(errorMessage(0, null, t));
      return;
    }
    if (response.status === 401) {
      clearSession(storage);
      window.location.reload();
      return;
    }
    if (response.status !== 200) {
      const body = await response.json().catch(() => null);
      alertError(errorMessage(response.status, body, t));
      return;
    }
    const url = URL.createObjectURL(await response.blob());
    const link = el('a', { href: url, download: csv.getAttribute('download') ?? 'report.csv', hidden: true });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
    announce(t('dashboard.csvDone'));
  });

  void load();
}

if (typeof document !== 'undefined' && document.body?.dataset.page === 'dashboard') {
  const context = startPage();
  if (context) runDashboard(context);
}
