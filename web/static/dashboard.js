/**
 * The auditor dashboard (plain ES module): a period kept in the address (`?from=…&to=…`; with none, the
 * report's default, 1 January to today by the server's Québec date, not the browser's clock), the
 * service-statement report of `GET /api/audit/reports/service-statement` shown as the headline share
 * acknowledged on time, tables per category, per channel and per category × channel whose figures open the
 * list of their cases (the figure's `cases.href`, paged, each reference linking to its audit timeline), a
 * monthly bar chart drawn as SVG with DOM APIs (its data table follows it), the open cases past a deadline,
 * and the report as CSV (fetched with the session's token, saved through a Blob). Every sentence comes from
 * the page or the API; the pure functions are exported for the unit tests.
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
  quebecDateTime,
  realLocalDate,
  startPage,
} from './staff-common.js';
import { formErrors } from './staff.js';
import { clearErrors, showErrors } from './staff-forms.js';
import { startWhatIf } from './dashboard-what-if.js';

const LOCALES = { fr: 'fr-CA', en: 'en-CA' };
const REPORT_PATH = '/api/audit/reports/service-statement';
/** The longest period the report covers, in days (`MAX_PERIOD_DAYS` of the report domain). */
export const MAX_PERIOD_DAYS = 366;
const SVG = 'http://www.w3.org/2000/svg';

/**
 * The period in the address (`?from=…&to=…`), a part not given empty; `null` when neither is given: the
 * report then answers for its default period, by the server's Québec date (the browser's clock may be wrong).
 */
export function periodFromSearch(search) {
  const params = new URLSearchParams(search);
  const from = params.get('from');
  const to = params.get('to');
  if (from === null && to === null) return null;
  return { from: from ?? '', to: to ?? '' };
}

/** The address's query for a period. */
export function periodSearch(period) {
  return `?${new URLSearchParams({ from: period.from, to: period.to })}`;
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
    else if (!realLocalDate(value)) issues.push({ path: `query.${name}`, key: 'dashboard.period.invalid' });
  }
  if (issues.length > 0) return issues;
  if (period.from > period.to) return [{ path: 'query.to', key: 'dashboard.period.reversed' }];
  const days =
    (Date.parse(`${period.to}T00:00:00Z`) - Date.parse(`${period.from}T00:00:00Z`)) / 86_400_000 + 1;
  if (days > MAX_PERIOD_DAYS) return [{ path: 'query.to', key: 'dashboard.period.tooLong' }];
  return [];
}

/**
 * The report's API address for a period (`null`: the server's default period), as JSON or as CSV with its
 * headers in a language.
 */
export function reportUrl(period, format, language) {
  const params = new URLSearchParams(period ? { from: period.from, to: period.to } : {});
  if (format === 'csv') {
    params.set('format', 'csv');
    params.set('lang', language);
  }
  const query = params.toString();
  return query === '' ? REPORT_PATH : `${REPORT_PATH}?${query}`;
}

/** A number in the page's language (`1 234` / `1,234`), with at most `digits` decimals. */
/**
 * What to say of where the report's figures come from (`report.source`): the aggregates kept from the ledger,
 * checked against a full replay on a date (matched, or found different and repaired) or never yet; or the
 * ledger replayed on request (awaiting the aggregates' first check, in AWS). A text key and its values.
 */
export function sourceNote(source) {
  if (source === undefined || source === null) return null;
  if (source.kind === 'aggregates') {
    const checked = source.lastChecked;
    if (checked === null || checked === undefined) return { key: 'dashboard.source.unchecked', values: {} };
    return {
      key: checked.matched ? 'dashboard.source.checked' : 'dashboard.source.repaired',
      values: { at: checked.at },
    };
  }
  return {
    key: source.awaitingFirstReplay ? 'dashboard.source.awaiting' : 'dashboard.source.ledger',
    values: {},
  };
}

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

/** The cases behind a figure, for its drill-down: `{count, href}`, or `null` when none is behind it. */
function casesLink(figure) {
  const href = figure?.cases?.href;
  return href && figure.count > 0 ? { count: figure.count, href } : null;
}

/**
 * A row of a figures table (per category, per channel): its values, and the cases behind each (`links`:
 * a share's link lists its numerator, e.g. the cases acknowledged on time).
 */
function figureRow(id, name, figures) {
  return {
    id,
    name,
    received: figures.received.count,
    ackOnTime: figures['ack-on-time'].percent ?? null,
    answerOnTime: figures['answer-on-time'].percent ?? null,
    complaints: figures['complaints-received'].count,
    handoffs: figures.handoffs.mean ?? null,
    links: {
      received: casesLink(figures.received),
      ackOnTime: casesLink(figures['ack-on-time']),
      answerOnTime: casesLink(figures['answer-on-time']),
      complaints: casesLink(figures['complaints-received']),
      handoffs: casesLink(figures.handoffs),
    },
  };
}

function figureRows(scopes, nameOf, total, totalName) {
  const rows = Object.entries(scopes ?? {})
    .map(([id, figures]) => figureRow(id, nameOf(id), figures))
    .sort((left, right) => left.name.localeCompare(right.name));
  return [...rows, figureRow('total', totalName, total)];
}

/** The table's rows: every category of the report (by its name), then the total. */
export function categoryRows(report, categoryName, totalName) {
  return figureRows(report.byCategory, categoryName, report.total, totalName);
}

/** The channel table's rows: every channel cases came by (by its name), then the total. */
export function channelRows(report, channelName, totalName) {
  return figureRows(report.byChannel, channelName, report.total, totalName);
}

/**
 * The category × channel table: the channels cases came by (columns, by name), and per category (rows, by
 * name) the requests received by each channel with their cases' address, `null` for a pair without cases.
 */
export function crossTable(report, categoryName, channelName) {
  const byName = (left, right) => left.name.localeCompare(right.name);
  const channels = Object.keys(report.byChannel ?? {})
    .map((id) => ({ id, name: channelName(id) }))
    .sort(byName);
  const rows = Object.entries(report.byCategoryChannel ?? {})
    .map(([id, cells]) => ({
      id,
      name: categoryName(id),
      cells: channels.map((channel) => casesLink(cells[channel.id]?.received)),
    }))
    .sort(byName);
  return { channels, rows };
}

function runDashboard({ language, t, storage, api }) {
  const form = document.getElementById('dashboard-period');
  const fromInput = document.getElementById('dashboard-query-from');
  const toInput = document.getElementById('dashboard-query-to');
  const result = document.getElementById('dashboard-report');
  const csv = document.getElementById('dashboard-csv');
  let period = periodFromSearch(window.location.search);
  let loading = 0;
  let pastLoading = 0;
  const drilldown = runDrilldown({ language, t, api });
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
    const note = sourceNote(report.source);
    const source = document.getElementById('dashboard-source');
    source.hidden = note === null;
    source.textContent =
      note === null
        ? ''
        : t(note.key, note.values.at ? { at: quebecDateTime(note.values.at, language) } : {});
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

    showFigureTables(report, { language, t, share, openCases: drilldown.open });

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
    void listPast(past);
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

  /**
   * The cases past a deadline: the first page of the figure's drill-down (`cases.href`; the report lists no
   * reference), and when there are more, a button listing them all, a page at a time, in the cases panel.
   */
  async function listPast(past) {
    const mine = ++pastLoading;
    const list = document.getElementById('dashboard-past');
    const more = document.getElementById('dashboard-past-more');
    list.replaceChildren();
    more.hidden = true;
    if (past.count === past.cases.withheld) return;
    const response = await api('GET', past.cases.href);
    if (mine !== pastLoading || response.status === 401) return;
    if (response.status !== 200) {
      alertError(formErrors(response.status, response.body, t).summary);
      return;
    }
    const page = response.body;
    list.replaceChildren(...page.references.map((reference) => referenceItem(reference, language)));
    const listed = page.count - page.withheld;
    const button = more.querySelector('button');
    button.textContent = t(`dashboard.pastAll.${pluralForm(listed, language)}`, {
      n: formatNumber(listed, language),
    });
    button.onclick = () =>
      void drilldown.open(past.cases.href, {
        figure: document.getElementById('dashboard-past-title').textContent,
        scope: t('dashboard.total'),
      });
    more.hidden = page.pages <= 1;
  }

  async function load() {
    const mine = ++loading;
    fromInput.value = period?.from ?? '';
    toInput.value = period?.to ?? '';
    clearErrors(form);
    drilldown.close();
    const issues = period === null ? [] : periodIssues(period);
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
    // Without a period in the address, the report's own (the server's default) fills the form.
    period = response.body.period;
    fromInput.value = period.from;
    toInput.value = period.to;
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

/** A value cell of a figures table: a button opening the cases behind it, or plain text when none is. */
function figureCell(text, link, open, title) {
  if (link === null) return el('td', {}, text);
  const button = el('button', { type: 'button', class: 'link-button', 'data-cases': link.href }, text);
  button.addEventListener('click', () => open(link.href, title));
  return el('td', {}, button);
}

/**
 * The tables per category, per channel and per category × channel: every figure with cases behind it is a
 * button listing them (`runDrilldown`), titled by its column and row.
 */
function showFigureTables(report, { language, t, share, openCases }) {
  const header = (table, index) => document.querySelectorAll(`#${table} thead th`)[index]?.textContent ?? '';
  const figureTable = (table, rows) => {
    document.querySelector(`#${table} tbody`).replaceChildren(
      ...rows.map((row) => {
        const value = (index, text, link) =>
          figureCell(text, link, openCases, { figure: header(table, index), scope: row.name });
        return el(
          'tr',
          row.id === 'total' ? { class: 'total-row' } : {},
          el('th', { scope: 'row' }, row.name),
          value(1, formatNumber(row.received, language), row.links.received),
          value(2, share(row.ackOnTime), row.links.ackOnTime),
          value(3, share(row.answerOnTime), row.links.answerOnTime),
          value(4, formatNumber(row.complaints, language), row.links.complaints),
          value(5, row.handoffs === null ? '' : formatNumber(row.handoffs, language, 2), row.links.handoffs),
        );
      }),
    );
  };
  figureTable(
    'dashboard-categories',
    categoryRows(report, (id) => t(`category.${id}`), t('dashboard.total')),
  );
  figureTable(
    'dashboard-channels',
    channelRows(report, (id) => t(`channel.${id}`), t('dashboard.total')),
  );

  const cross = crossTable(
    report,
    (id) => t(`category.${id}`),
    (id) => t(`channel.${id}`),
  );
  const received = t('dashboard.crossFigure');
  document
    .querySelector('#dashboard-cross thead tr')
    .replaceChildren(
      el('th', { scope: 'col' }, t('dashboard.crossCorner')),
      ...cross.channels.map((channel) => el('th', { scope: 'col' }, channel.name)),
    );
  document.querySelector('#dashboard-cross tbody').replaceChildren(
    ...cross.rows.map((row) =>
      el(
        'tr',
        {},
        el('th', { scope: 'row' }, row.name),
        ...row.cells.map((link, index) =>
          figureCell(formatNumber(link?.count ?? 0, language), link, openCases, {
            figure: received,
            scope: `${row.name} — ${cross.channels[index].name}`,
          }),
        ),
      ),
    ),
  );
}

/** A reference in a list of cases, linking to the case's audit timeline. */
function referenceItem(reference, language) {
  return el('li', {}, el('a', { href: casePath('audit', reference, language) }, reference));
}

/**
 * The list of the cases behind a figure (`GET …/service-statement/cases`, the figure's `cases.href`), a page at
 * a time: a heading naming the figure, the count, each reference linking to its audit timeline, the
 * confidential cases withheld, previous and next pages. `open(href, {figure, scope})`; `close()` hides it.
 */
function runDrilldown({ language, t, api }) {
  const panel = document.getElementById('dashboard-cases');
  const title = document.getElementById('dashboard-cases-title');
  const count = document.getElementById('dashboard-cases-count');
  const list = document.getElementById('dashboard-cases-list');
  const withheld = document.getElementById('dashboard-cases-withheld');
  const pager = document.getElementById('dashboard-cases-pages');
  let current = 0;

  async function open(href, label) {
    const mine = ++current;
    announce(t('dashboard.cases.loading'));
    const response = await api('GET', href);
    if (mine !== current || response.status === 401) return;
    if (response.status !== 200) {
      alertError(formErrors(response.status, response.body, t).summary);
      return;
    }
    const page = response.body;
    title.textContent = t('dashboard.cases.title', label);
    count.textContent = t(`dashboard.cases.count.${pluralForm(page.count, language)}`, {
      n: formatNumber(page.count, language),
    });
    list.replaceChildren(...page.references.map((reference) => referenceItem(reference, language)));
    withheld.hidden = page.withheld === 0;
    withheld.textContent = t(`dashboard.withheld.${pluralForm(page.withheld, language)}`, {
      n: formatNumber(page.withheld, language),
    });
    const move = (key, target) => {
      const button = el('button', { type: 'button' }, t(key));
      button.addEventListener('click', () => void open(target, label));
      return button;
    };
    pager.hidden = page.pages <= 1;
    pager.replaceChildren(
      ...(page.previous ? [move('dashboard.cases.previous', page.previous)] : []),
      el(
        'span',
        {},
        t('dashboard.cases.page', {
          page: formatNumber(page.page, language),
          pages: formatNumber(page.pages, language),
        }),
      ),
      ...(page.next ? [move('dashboard.cases.next', page.next)] : []),
    );
    panel.hidden = false;
    title.focus();
    announce(`${title.textContent} ${count.textContent}`);
  }

  function close() {
    current += 1;
    panel.hidden = true;
  }

  return { open, close };
}

if (typeof document !== 'undefined' && document.body?.dataset.page === 'dashboard') {
  const context = startPage();
  if (context) runDashboard(context);
}
