import { escapeHtml } from '../citizen/html';
import type { PageLanguage } from '../citizen/strings';
import { DASHBOARD_STRINGS } from './dashboard-strings';
import type { DashboardStrings } from './dashboard-strings';
import { input, liveRegions } from './pages';
import type { StaffStrings } from './strings';
import { whatIfSection } from './what-if-section';

/**
 * The auditor dashboard (`/audit/dashboard`): a period (from, to; kept in the address), then, from
 * `GET /api/audit/reports/service-statement`, the share acknowledged within the legal delay, the figures per
 * category, per channel and per category × channel (each figure a button listing its cases in the panel that
 * follows, `#dashboard-cases`), a monthly bar chart (SVG built by the script, `role="img"`) followed by its data table, the open
 * cases past a deadline (links to their timelines) and the report as CSV.
 */
export function dashboardMain(text: StaffStrings, language: PageLanguage): string {
  const words = DASHBOARD_STRINGS[language];
  const column = (label: string) => `<th scope="col">${escapeHtml(label)}</th>`;
  const columns = words.columns;
  const months = words.monthColumns;
  const figureColumns = [
    columns.received,
    columns.ackOnTime,
    columns.answerOnTime,
    columns.complaints,
    columns.handoffs,
  ]
    .map(column)
    .join('');
  return `<h1 id="dashboard-title" tabindex="-1">${escapeHtml(words.title)}</h1>
<p>${escapeHtml(words.intro)}</p>
<form id="dashboard-period" class="filters" aria-labelledby="dashboard-period-title" novalidate>
<h2 id="dashboard-period-title" class="visually-hidden">${escapeHtml(words.periodTitle)}</h2>
<div class="form-error" id="dashboard-errors" tabindex="-1" data-form-error></div>
${input(text, { form: 'dashboard', name: 'query.from', label: words.from, required: true, type: 'date' })}
${input(text, { form: 'dashboard', name: 'query.to', label: words.to, required: true, type: 'date' })}
<p class="hint">${escapeHtml(words.periodHint)}</p>
<button type="submit">${escapeHtml(words.show)}</button>
</form>
${liveRegions()}
<div id="dashboard-report" hidden>
<p id="dashboard-as-of"></p>
<p id="dashboard-scope" hidden></p>
<p id="dashboard-source" hidden></p>
<section class="headline" aria-labelledby="dashboard-headline-title">
<h2 id="dashboard-headline-title">${escapeHtml(words.headlineTitle)}</h2>
<p class="headline-figure"><strong id="dashboard-rate" data-testid="dashboard-rate"></strong> <span id="dashboard-rate-count"></span></p>
<p class="hint">${escapeHtml(words.headlineHint)}</p>
<p><a id="dashboard-csv" href="/api/audit/reports/service-statement" download>${escapeHtml(words.csv)}</a></p>
</section>
<section aria-labelledby="dashboard-categories-title">
<h2 id="dashboard-categories-title">${escapeHtml(words.categoriesTitle)}</h2>
<div class="table-scroll" role="region" tabindex="0" aria-labelledby="dashboard-categories-caption">
<table id="dashboard-categories">
<caption id="dashboard-categories-caption">${escapeHtml(words.categoriesCaption)}</caption>
<thead><tr>${column(columns.category)}${figureColumns}</tr></thead>
<tbody></tbody>
</table>
</div>
<p class="hint">${escapeHtml(words.drillHint)}</p>
</section>
${drilldownSections(words, figureColumns)}
<section aria-labelledby="dashboard-months-title">
<h2 id="dashboard-months-title">${escapeHtml(words.monthsTitle)}</h2>
<ul class="chart-legend">
<li><span class="swatch swatch-received" aria-hidden="true"></span>${escapeHtml(words.legendReceived)}</li>
<li><span class="swatch swatch-on-time" aria-hidden="true"></span>${escapeHtml(words.legendOnTime)}</li>
</ul>
<div id="dashboard-chart" class="chart"></div>
<details id="dashboard-chart-data">
<summary>${escapeHtml(words.chartData)}</summary>
<div class="table-scroll" role="region" tabindex="0" aria-labelledby="dashboard-months-caption">
<table id="dashboard-months">
<caption id="dashboard-months-caption">${escapeHtml(words.monthsCaption)}</caption>
<thead><tr>${column(months.month)}${column(months.received)}${column(months.ackOnTime)}${column(months.ackAssessed)}</tr></thead>
<tbody></tbody>
</table>
</div>
</details>
</section>
<section aria-labelledby="dashboard-past-title">
<h2 id="dashboard-past-title"></h2>
<p class="hint">${escapeHtml(words.pastHint)}</p>
<ul id="dashboard-past" class="reference-list"></ul>
<p id="dashboard-past-more" hidden><button type="button" class="link-button"></button></p>
<p id="dashboard-no-past" hidden></p>
<p id="dashboard-past-withheld" hidden></p>
</section>
${whatIfSection(text, language)}
</div>`;
}

/**
 * The tables per channel and per category × channel (the cross table's channel columns are the report's, so
 * the script writes its header row), and the panel listing the cases behind a figure.
 */
function drilldownSections(words: DashboardStrings, figureColumns: string): string {
  return `<section aria-labelledby="dashboard-channels-title">
<h2 id="dashboard-channels-title">${escapeHtml(words.channelsTitle)}</h2>
<div class="table-scroll" role="region" tabindex="0" aria-labelledby="dashboard-channels-caption">
<table id="dashboard-channels">
<caption id="dashboard-channels-caption">${escapeHtml(words.channelsCaption)}</caption>
<thead><tr><th scope="col">${escapeHtml(words.columns.channel)}</th>${figureColumns}</tr></thead>
<tbody></tbody>
</table>
</div>
</section>
<section aria-labelledby="dashboard-cross-title">
<h2 id="dashboard-cross-title">${escapeHtml(words.crossTitle)}</h2>
<div class="table-scroll" role="region" tabindex="0" aria-labelledby="dashboard-cross-caption">
<table id="dashboard-cross">
<caption id="dashboard-cross-caption">${escapeHtml(words.crossCaption)}</caption>
<thead><tr><th scope="col">${escapeHtml(words.columns.category)}</th></tr></thead>
<tbody></tbody>
</table>
</div>
</section>
<section id="dashboard-cases" aria-labelledby="dashboard-cases-title" hidden>
<h2 id="dashboard-cases-title" tabindex="-1"></h2>
<p id="dashboard-cases-count"></p>
<ul id="dashboard-cases-list" class="reference-list"></ul>
<p id="dashboard-cases-withheld" hidden></p>
<div id="dashboard-cases-pages" class="pager" hidden></div>
</section>`;
}

/** The dashboard's link in the staff header: for those who may read the report (auditors, supervisors). */
export function dashboardNavLink(language: PageLanguage, prefix: string): string {
  return `<li data-roles="auditor supervisor"><a href="${prefix}/audit/dashboard">${escapeHtml(DASHBOARD_STRINGS[language].link)}</a></li>`;
}
