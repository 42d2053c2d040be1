/**
 * The dashboard's what-if (plain ES module, `docs/what-if.md`): one category's new acknowledgement and answer
 * delays, automatic acknowledgement, calendar version (the versions from `GET /api/audit/what-if/calendars`)
 * and extra closed days, sent to `POST /api/audit/what-if` for the period shown; the report's figures for the
 * recorded reality and for the changed policy side by side (a table), and the cases that would have been late
 * or no longer late: each list's count and first page (the answer's), its next pages asked with the same body
 * and the list's `next` as `cases`. Every sentence comes from the page; the pure functions are exported for the
 * unit tests.
 */

import { alertError, announce, casePath, el, pluralForm, realLocalDate } from './staff-common.js';
import { formErrors } from './staff.js';
import { clearErrors, showErrors } from './staff-forms.js';

const LOCALES = { fr: 'fr-CA', en: 'en-CA' };

/** The rows of the comparison: indicator, text key, and whether it is a share (%) or a count. */
export const WHAT_IF_ROWS = [
  ['received', 'whatIf.row.received', 'count'],
  ['ack-on-time', 'whatIf.row.ackOnTime', 'share'],
  ['ack-automatic', 'whatIf.row.ackAutomatic', 'count'],
  ['ack-late', 'whatIf.row.ackLate', 'count'],
  ['ack-missing', 'whatIf.row.ackMissing', 'count'],
  ['answer-on-time', 'whatIf.row.answerOnTime', 'share'],
  ['answer-late', 'whatIf.row.answerLate', 'count'],
  ['answer-missing', 'whatIf.row.answerMissing', 'count'],
];

/** The most closed days a what-if adds (the API's limit). */
const MAX_CLOSURES = 60;

/**
 * The closed days typed in the form: one date `YYYY-MM-DD` a line (commas and semicolons separate them too, for
 * a pasted list), in order, each once; or what is wrong: the text key, and the entries, as typed, that are not
 * existing dates.
 */
export function closureDates(raw) {
  const entries = String(raw ?? '')
    .split(/[\n,;]/)
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  const invalid = entries.filter((entry) => !realLocalDate(entry));
  if (invalid.length > 0) {
    return { issue: { key: 'whatIf.closuresInvalid', values: { dates: invalid.join(', ') } } };
  }
  const dates = [...new Set(entries)].sort();
  if (dates.length > MAX_CLOSURES) return { issue: { key: 'whatIf.closuresTooMany' } };
  return { dates };
}

/** A calendar version as the calendar select's value: `<calendar id>@<version>` (ids have no `@`). */
export function calendarChoice(id, version) {
  return `${id}@${version}`;
}

/**
 * The request body from the form's values, or the issues (paths of the form's fields, text keys, and the
 * values a text names): a category, and at least one change: a delay (a whole number from 1 to 100, the API's
 * rules), the automatic acknowledgement (`true` or `false`; empty keeps the policy's), a calendar version
 * (`<id>@<version>`) or closed days added to the calendar (`closureDates`).
 */
export function whatIfBody(period, values) {
  const issues = [];
  if (!values.category) issues.push({ path: 'category', key: 'whatIf.categoryRequired' });
  const change = {};
  for (const name of ['acknowledgementDays', 'answerDays']) {
    const raw = String(values[name] ?? '').trim();
    if (raw === '') continue;
    const days = Number(raw);
    if (!Number.isInteger(days) || days < 1 || days > 100)
      issues.push({ path: name, key: 'whatIf.daysInvalid' });
    else change[name] = days;
  }
  if (values.automaticAcknowledgement === 'true' || values.automaticAcknowledgement === 'false') {
    change.automaticAcknowledgement = values.automaticAcknowledgement === 'true';
  }
  const calendar = String(values.calendar ?? '');
  const at = calendar.indexOf('@');
  if (at > 0) change.calendar = { id: calendar.slice(0, at), version: calendar.slice(at + 1) };
  const closures = closureDates(values.addClosures);
  if (closures.issue !== undefined) issues.push({ path: 'addClosures', ...closures.issue });
  else if (closures.dates.length > 0) {
    change.calendar = { ...change.calendar, addClosures: closures.dates };
  }
  if (issues.length === 0 && Object.keys(change).length === 0) {
    issues.push({ path: 'acknowledgementDays', key: 'whatIf.nothingChanged' });
  }
  if (issues.length > 0) return { issues };
  return { body: { from: period.from, to: period.to, changes: { [values.category]: change } } };
}

/** The form's fields an API issue may name, by the last part of its path below the category. */
const CHANGE_FIELDS = ['acknowledgementDays', 'answerDays', 'automaticAcknowledgement', 'calendar'];

/**
 * An API issue path as the form's field: `body.changes.statistics.answerDays` → `answerDays`,
 * `body.changes.statistics.calendar.version` → `calendar`, `body.changes.statistics.calendar.addClosures.2` →
 * `addClosures`, `body.changes.inconnue` → `category`.
 */
export function fieldOfIssue(path) {
  const parts = String(path).split('.');
  if (parts[0] !== 'body' || parts[1] !== 'changes') return String(path);
  const field = parts[3];
  if (field === 'calendar' && parts[4] === 'addClosures') return 'addClosures';
  return field !== undefined && CHANGE_FIELDS.includes(field) ? field : 'category';
}

/** The calendar select's choices from `GET /api/audit/what-if/calendars`: `[value, label]`, by name then version. */
export function calendarChoices(answer, t, language) {
  return (answer?.calendars ?? []).flatMap((calendar) =>
    calendar.versions.map((version) => [
      calendarChoice(calendar.id, version.version),
      t('whatIf.calendarVersion', {
        name: calendar.name?.[language] ?? calendar.id,
        version: version.version,
        from: version.effectiveFrom,
      }),
    ]),
  );
}

function formatCount(value, language) {
  return new Intl.NumberFormat(LOCALES[language] ?? LOCALES.fr).format(value);
}

function figureText(figure, kind, language) {
  if (figure === undefined) return '0';
  if (kind === 'share') {
    if (figure.percent === null || figure.percent === undefined) return '—';
    const share = new Intl.NumberFormat(LOCALES[language] ?? LOCALES.fr, {
      style: 'percent',
      minimumFractionDigits: 1,
      maximumFractionDigits: 1,
    }).format(figure.percent / 100);
    return `${share} (${figure.count}/${figure.denominator ?? 0})`;
  }
  return new Intl.NumberFormat(LOCALES[language] ?? LOCALES.fr).format(figure.count);
}

/** The comparison's rows for a category of the answer: `[label, reality, changed]` texts. */
export function comparisonRows(result, category, t, language) {
  const reality = result.reality.byCategory?.[category] ?? result.reality.total;
  const changed = result.changed.byCategory?.[category] ?? result.changed.total;
  return WHAT_IF_ROWS.map(([id, key, kind]) => [
    t(key),
    figureText(reality[id], kind, language),
    figureText(changed[id], kind, language),
  ]);
}

/**
 * Starts the what-if form of the dashboard (once), and returns what the dashboard calls with each report it
 * shows: the period and the categories it offers.
 */
export function startWhatIf({ language, t, api }) {
  const form = document.getElementById('what-if-form');
  const output = document.getElementById('what-if-result');
  if (!form || !output) return () => {};
  const category = document.getElementById('what-if-category');
  const calendars = document.getElementById('what-if-calendar');
  let period = null;

  let calendarsAsked = false;

  // The calendar versions the API accepts, asked once a first report is shown (the session then works);
  // without them (a refusal, a network error) the select keeps only its empty choice, the category's calendar.
  const loadCalendars = async () => {
    calendarsAsked = true;
    const response = await api('GET', '/api/audit/what-if/calendars');
    if (response.status !== 200 || !calendars) return;
    calendars.append(
      ...calendarChoices(response.body, t, language).map(([value, label]) => el('option', { value }, label)),
    );
  };

  // The body of the what-if shown: its lists' pages are asked with it (`cases`), at the answer's cut-off.
  let shownBody = null;
  let listCount = 0;

  /**
   * A list of the answer (`{count, withheld, page, pages, references, next?, previous?}`): its heading, count,
   * this page's references (each linking to its audit timeline), the confidential cases withheld, and the
   * previous and next pages, asked with the same body (`cases`: the list's `previous` or `next`).
   */
  const listSection = (titleKey, list) => {
    const id = `what-if-list-${++listCount}`;
    const heading = el('h3', { id, tabindex: '-1' }, t(titleKey));
    const section = el('section', { 'aria-labelledby': id, 'data-list': titleKey });
    const body = shownBody;
    const render = (page) => {
      const listed =
        page.count === 0
          ? [el('p', {}, t('whatIf.none'))]
          : [
              el(
                'p',
                { class: 'list-count' },
                t(`dashboard.cases.count.${pluralForm(page.count, language)}`, {
                  n: formatCount(page.count, language),
                }),
              ),
              ...(page.references.length > 0
                ? [
                    el(
                      'ul',
                      { class: 'reference-list' },
                      ...page.references.map((reference) =>
                        el('li', {}, el('a', { href: casePath('audit', reference, language) }, reference)),
                      ),
                    ),
                  ]
                : []),
            ];
      const withheld = page.withheld
        ? [
            el(
              'p',
              {},
              t(`dashboard.withheld.${pluralForm(page.withheld, language)}`, {
                n: formatCount(page.withheld, language),
              }),
            ),
          ]
        : [];
      const move = (key, cases) => {
        const button = el('button', { type: 'button' }, t(key));
        button.addEventListener('click', () => void turn(cases));
        return button;
      };
      const pager =
        page.pages > 1
          ? [
              el(
                'div',
                { class: 'pager', role: 'group', 'aria-labelledby': id },
                ...(page.previous ? [move('dashboard.cases.previous', page.previous)] : []),
                el(
                  'span',
                  {},
                  t('dashboard.cases.page', {
                    page: formatCount(page.page, language),
                    pages: formatCount(page.pages, language),
                  }),
                ),
                ...(page.next ? [move('dashboard.cases.next', page.next)] : []),
              ),
            ]
          : [];
      section.replaceChildren(heading, ...listed, ...withheld, ...pager);
    };
    const turn = async (cases) => {
      announce(t('dashboard.cases.loading'));
      const response = await api('POST', '/api/audit/what-if', { body: { ...body, cases } });
      if (response.status === 401 || body !== shownBody) return;
      if (response.status !== 200) {
        alertError(formErrors(response.status, response.body, t).summary);
        return;
      }
      render(response.body);
      heading.focus();
      announce(
        `${heading.textContent} ${t('dashboard.cases.page', {
          page: formatCount(response.body.page, language),
          pages: formatCount(response.body.pages, language),
        })}`,
      );
    };
    render(list);
    return section;
  };

  function show(result, chosen) {
    const name = t(`category.${chosen}`);
    const header = (text) => el('th', { scope: 'col' }, text);
    const table = el(
      'table',
      { id: 'what-if-table' },
      el('caption', {}, t('whatIf.caption', { category: name })),
      el(
        'thead',
        {},
        el('tr', {}, header(t('whatIf.indicator')), header(t('whatIf.reality')), header(t('whatIf.changed'))),
      ),
      el(
        'tbody',
        {},
        ...comparisonRows(result, chosen, t, language).map(([label, real, changed]) =>
          el('tr', {}, el('th', { scope: 'row' }, label), el('td', {}, real), el('td', {}, changed)),
        ),
      ),
    );
    output.replaceChildren(
      el(
        'div',
        {
          class: 'table-scroll',
          role: 'region',
          tabindex: '0',
          'aria-label': t('whatIf.caption', { category: name }),
        },
        table,
      ),
      listSection('whatIf.ackBreached', result.differences.acknowledgement.breached),
      listSection('whatIf.answerBreached', result.differences.answer.breached),
      listSection('whatIf.ackNoLongerBreached', result.differences.acknowledgement.noLongerBreached),
      listSection('whatIf.answerNoLongerBreached', result.differences.answer.noLongerBreached),
      listSection('whatIf.automaticInstead', result.differences.automaticInstead),
    );
    output.hidden = false;
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (period === null) return;
    clearErrors(form);
    const values = Object.fromEntries(new FormData(form).entries());
    const { body, issues } = whatIfBody(period, values);
    if (issues) {
      showErrors(
        form,
        t('whatIf.summary'),
        issues.map((i) => ({ path: i.path, message: t(i.key, i.values) })),
        t('error.prefix'),
      );
      return;
    }
    announce(t('whatIf.loading'));
    const response = await api('POST', '/api/audit/what-if', { body });
    if (response.status === 401) return;
    if (response.status !== 200) {
      const { summary, issues: refused } = formErrors(response.status, response.body, t);
      announce('');
      showErrors(
        form,
        summary,
        refused.map((i) => ({ ...i, path: fieldOfIssue(i.path) })),
        t('error.prefix'),
      );
      return;
    }
    shownBody = body;
    show(response.body, values.category);
    announce(t('whatIf.loaded'));
  });

  return (report) => {
    if (!calendarsAsked) void loadCalendars();
    period = report.period;
    output.hidden = true;
    const chosen = category.value;
    const ids = Object.keys(report.byCategory ?? {});
    const names = ids.map((id) => [id, t(`category.${id}`)]).sort((a, b) => a[1].localeCompare(b[1]));
    category.replaceChildren(
      category.options[0] ?? el('option', { value: '' }, ''),
      ...names.map(([id, label]) => el('option', { value: id }, label)),
    );
    if (ids.includes(chosen)) category.value = chosen;
  };
}
