import { ChannelSchema, CloseReasonSchema } from '../../shared/domain/case/case';
import { RoleSchema } from '../../shared/domain/identity/identity';
import {
  ReachChannelSchema,
  ReassignmentReasonSchema,
  RecategorizationReasonSchema,
} from '../../shared/domain/ledger/events';
import type { Policy } from '../../shared/domain/policy/schema';
import { attributes, escapeHtml } from '../citizen/html';
import type { PageLanguage } from '../citizen/strings';
import { LOCAL_AUTH_CONFIG, type StaffAuthConfig } from './auth-config';
import { authPage } from './auth-pages';
import { dashboardMain } from './dashboard-pages';
import { DASHBOARD_STRINGS } from './dashboard-strings';
import { holdingMain, intakeMain } from './intake-pages';
import { INTAKE_STRINGS } from './intake-strings';
import { renderStaffLayout } from './layout';
import type { StaffPageKind } from './site';
import { STAFF_STRINGS } from './strings';
import type { StaffStrings } from './strings';
import { unitNames } from './unit-names';

export interface StaffPageOptions {
  readonly kind: StaffPageKind;
  readonly language: PageLanguage;
  readonly pathname: string;
  readonly policy: Policy;
  /** How the page signs in (rendered into it); the local demo login when absent. */
  readonly auth?: StaffAuthConfig;
}

/** The live regions every page has: status messages (polite) and errors (assertive). */
export function liveRegions(): string {
  return `<p id="page-status" class="page-status" role="status" aria-live="polite"></p>
<div id="page-alert" class="page-alert" role="alert"></div>`;
}

interface FieldOptions {
  readonly form: string;
  readonly name: string;
  readonly label: string;
  readonly hint?: string;
  readonly required: boolean;
  readonly control: string;
}

/**
 * A labelled field: `data-field` is the API's issue path (`answerBy`, `to.unit`), so the script puts each
 * field error next to its control; the hint is tied with `aria-describedby`.
 */
export function field(
  text: StaffStrings,
  options: FieldOptions,
  build: (describedBy?: string) => string,
): string {
  const id = `${options.form}-${options.name.replaceAll('.', '-')}`;
  const hintId = options.hint !== undefined ? `${id}-hint` : undefined;
  const note = options.required ? text.required : text.optional;
  return `<div class="field" data-field="${escapeHtml(options.name)}">
<label for="${id}">${escapeHtml(options.label)} <span class="field-note">(${escapeHtml(note)})</span></label>
${hintId !== undefined ? `<p class="hint" id="${hintId}">${escapeHtml(options.hint ?? '')}</p>\n` : ''}${build(hintId).replace('{id}', id)}
</div>`;
}

export function input(
  text: StaffStrings,
  options: Omit<FieldOptions, 'control'> & { readonly type: string; readonly maxLength?: number },
): string {
  return field(text, { ...options, control: 'input' }, (describedBy) => {
    const attrs = attributes({
      type: options.type,
      name: options.name,
      required: options.required,
      maxlength: options.maxLength !== undefined ? String(options.maxLength) : undefined,
      'aria-describedby': describedBy,
    });
    return `<input id="{id}"${attrs}>`;
  });
}

export function textarea(
  text: StaffStrings,
  options: Omit<FieldOptions, 'control'> & { readonly maxLength: number },
): string {
  return field(text, { ...options, control: 'textarea' }, (describedBy) => {
    const attrs = attributes({
      name: options.name,
      rows: '6',
      required: options.required,
      maxlength: String(options.maxLength),
      'aria-describedby': describedBy,
    });
    return `<textarea id="{id}"${attrs}></textarea>`;
  });
}

export function select(
  text: StaffStrings,
  options: Omit<FieldOptions, 'control'> & { readonly choices: readonly (readonly [string, string])[] },
): string {
  return field(text, { ...options, control: 'select' }, (describedBy) => {
    const attrs = attributes({
      name: options.name,
      required: options.required,
      'aria-describedby': describedBy,
    });
    const choices = [['', text.choose] as const, ...options.choices]
      .map(([value, label]) => `<option value="${escapeHtml(value)}">${escapeHtml(label)}</option>`)
      .join('');
    return `<select id="{id}"${attrs}>${choices}</select>`;
  });
}

function checkbox(form: string, name: string, label: string): string {
  const id = `${form}-${name}`;
  return `<div class="field choice" data-field="${name}">
<input type="checkbox" id="${id}" name="${name}" value="true">
<label for="${id}">${escapeHtml(label)}</label>
</div>`;
}

/**
 * « Start from a template »: the answer templates of the case's category, in the requester's language, filled by
 * the API from the case. Not a field of the answer (no name): choosing one fills the answer's text. Hidden
 * until the script has templates to offer.
 */
function answerTemplateField(text: StaffStrings): string {
  return `<div class="field" data-answer-templates hidden>
<label for="answer-template">${escapeHtml(text.answerTemplate)}</label>
<p class="hint" id="answer-template-hint">${escapeHtml(text.answerTemplateHint)}</p>
<select id="answer-template" aria-describedby="answer-template-hint"><option value="">${escapeHtml(text.choose)}</option></select>
<p class="hint" id="answer-template-unfilled" hidden></p>
</div>`;
}

/** One action form, hidden until the script knows the case's status allows it. */
function actionForm(text: StaffStrings, action: keyof StaffStrings['actions'], fields: string): string {
  return `<section class="action" aria-labelledby="action-${action}-title" data-action-section="${action}" hidden>
<h3 id="action-${action}-title">${escapeHtml(text.actions[action])}</h3>
<p class="hint">${escapeHtml(text.actionHints[action])}</p>
<form class="action-form" data-action="${action}" novalidate>
<div class="form-error" data-form-error></div>
${fields}
<button type="submit">${escapeHtml(text.actions[action])}</button>
</form>
</section>`;
}

function loginMain(text: StaffStrings): string {
  const roles = RoleSchema.options
    .map(
      (role) => `<div class="choice">
<input type="radio" id="role-${role}" name="role" value="${role}" aria-describedby="role-${role}-hint"${role === 'agent' ? ' checked' : ''}>
<label for="role-${role}">${escapeHtml(text.roles[role])}</label>
<p class="hint" id="role-${role}-hint">${escapeHtml(text.roleHints[role])}</p>
</div>`,
    )
    .join('\n');
  return `<h1>${escapeHtml(text.loginTitle)}</h1>
<p>${escapeHtml(text.loginIntro)}</p>
<p class="notice">${escapeHtml(text.loginCognito)}</p>
${liveRegions()}
<form id="login-form" data-login-failed="${escapeHtml(text.loginFailed)}">
<fieldset>
<legend>${escapeHtml(text.loginRoleLegend)}</legend>
${roles}
</fieldset>
<button type="submit">${escapeHtml(text.loginSubmit)}</button>
</form>`;
}

function workListMain(text: StaffStrings): string {
  const statuses = (['received', 'acknowledged', 'answered', 'dissatisfied'] as const)
    .map((status) => `<option value="${status}">${escapeHtml(text.script[`status.${status}`])}</option>`)
    .join('');
  const column = (key: keyof StaffStrings['columns']) =>
    `<th scope="col">${escapeHtml(text.columns[key])}</th>`;
  // A sortable column: its header is a button; the script sets `aria-sort` on the sorted one.
  const sortable = (key: keyof StaffStrings['columns'], sort: 'deadline' | 'received' | 'reference') =>
    `<th scope="col" data-sort-column="${sort}"><button type="button" class="sort-button" data-sort="${sort}">${escapeHtml(text.columns[key])}<span class="sort-indicator" aria-hidden="true"></span></button></th>`;
  const sorts = (['deadline', 'received', 'reference'] as const)
    .map((sort) => `<option value="${sort}">${escapeHtml(text.sorts[sort])}</option>`)
    .join('');
  const orders = (['asc', 'desc'] as const)
    .map((order) => `<option value="${order}">${escapeHtml(text.orders[order])}</option>`)
    .join('');
  return `<h1>${escapeHtml(text.listTitle)}</h1>
<form id="list-filters" class="filters" aria-labelledby="filters-title">
<h2 id="filters-title" class="visually-hidden">${escapeHtml(text.filtersTitle)}</h2>
<div class="field">
<label for="filter-q">${escapeHtml(text.queryLabel)}</label>
<p id="filter-q-hint" class="hint">${escapeHtml(text.queryHint)}</p>
<input type="search" id="filter-q" name="q" maxlength="200" autocomplete="off" spellcheck="false" aria-describedby="filter-q-hint">
</div>
<fieldset class="inline">
<legend>${escapeHtml(text.viewLegend)}</legend>
<div class="choice"><input type="radio" id="view-mine" name="view" value="mine"><label for="view-mine">${escapeHtml(text.viewMine)}</label></div>
<div class="choice"><input type="radio" id="view-unit" name="view" value="unit" checked><label for="view-unit">${escapeHtml(text.viewUnit)}</label></div>
</fieldset>
<div class="field" data-view-unit>
<label for="filter-unit">${escapeHtml(text.unitLabel)}</label>
<select id="filter-unit" name="unit"><option value="">${escapeHtml(text.allMyUnits)}</option></select>
</div>
<div class="field">
<label for="filter-status">${escapeHtml(text.statusLabel)}</label>
<select id="filter-status" name="status"><option value="">${escapeHtml(text.allStatuses)}</option>${statuses}<option value="closed">${escapeHtml(text.statusClosed)}</option><option value="all">${escapeHtml(text.statusAll)}</option></select>
</div>
<div class="field">
<label for="filter-sort">${escapeHtml(text.sortLabel)}</label>
<select id="filter-sort" name="sort">${sorts}</select>
</div>
<div class="field">
<label for="filter-order">${escapeHtml(text.orderLabel)}</label>
<select id="filter-order" name="order">${orders}</select>
</div>
<div class="field choice">
<input type="checkbox" id="filter-overdue" name="overdue" value="true">
<label for="filter-overdue">${escapeHtml(text.overdueOnly)}</label>
</div>
<div class="field choice">
<input type="checkbox" id="filter-to-mail" name="toMail" value="true">
<label for="filter-to-mail">${escapeHtml(text.toMailOnly)}</label>
</div>
<button type="submit">${escapeHtml(text.showCases)}</button>
</form>
${liveRegions()}
<div class="table-scroll" role="region" tabindex="0" aria-labelledby="case-table-caption">
<table id="case-table" class="stacked">
<caption id="case-table-caption">${escapeHtml(text.tableCaption)}</caption>
<thead><tr>${sortable('reference', 'reference')}${column('status')}${sortable('deadlines', 'deadline')}${sortable('received', 'received')}${column('requester')}${column('subject')}${column('category')}${column('assignment')}${column('actions')}</tr></thead>
<tbody></tbody>
</table>
</div>
<p id="no-cases" hidden>${escapeHtml(text.noCases)}</p>
<button type="button" id="more-cases" class="secondary" hidden>${escapeHtml(text.moreCases)}</button>`;
}

/** The action forms of the case page, in the order `caseMain` builds them. */
const FORM_ORDER = [
  'acknowledge',
  'answer',
  'extend',
  'reassign',
  'recategorize',
  'close',
  'dissatisfied',
  'restart-enforcement',
] as const;

function caseMain(text: StaffStrings, policy: Policy, language: PageLanguage): string {
  const history = (key: keyof StaffStrings['historyColumns']) =>
    `<th scope="col">${escapeHtml(text.historyColumns[key])}</th>`;
  const listHome = language === 'en' ? '/en/staff/' : '/staff/';
  const forms = [
    actionForm(
      text,
      'acknowledge',
      [
        input(text, {
          form: 'acknowledge',
          name: 'answerBy',
          label: text.answerBy,
          hint: text.answerByHint,
          required: true,
          type: 'date',
        }),
        checkbox('acknowledge', 'sentByMail', text.sentByMail),
      ].join('\n'),
    ),
    actionForm(
      text,
      'answer',
      [
        answerTemplateField(text),
        textarea(text, {
          form: 'answer',
          name: 'message',
          label: text.answerMessage,
          required: true,
          maxLength: 50_000,
        }),
        checkbox('answer', 'sentByMail', text.sentByMail),
      ].join('\n'),
    ),
    actionForm(
      text,
      'extend',
      [
        input(text, {
          form: 'extend',
          name: 'answerBy',
          label: text.answerBy,
          hint: text.answerByHint,
          required: true,
          type: 'date',
        }),
        input(text, {
          form: 'extend',
          name: 'reason',
          label: text.extendReason,
          hint: text.extendReasonHint,
          required: true,
          type: 'text',
          maxLength: 500,
        }),
        checkbox('extend', 'sentByMail', text.sentByMail),
      ].join('\n'),
    ),
    actionForm(
      text,
      'reassign',
      [
        select(text, {
          form: 'reassign',
          name: 'to.unit',
          label: text.reassignUnit,
          required: true,
          choices: unitNames(policy, language),
        }),
        input(text, {
          form: 'reassign',
          name: 'to.assignee',
          label: text.reassignAssignee,
          hint: text.reassignAssigneeHint,
          required: false,
          type: 'text',
          maxLength: 128,
        }),
        select(text, {
          form: 'reassign',
          name: 'reason',
          label: text.reassignReason,
          required: true,
          // « Assign to me » has its own button: this form hands the case to someone else.
          choices: ReassignmentReasonSchema.options
            .filter((reason) => reason !== 'self-assigned')
            .map((reason) => [reason, text.reassignReasons[reason]] as const),
        }),
      ].join('\n'),
    ),
    actionForm(
      text,
      'recategorize',
      [
        select(text, {
          form: 'recategorize',
          name: 'category',
          label: text.recategorizeCategory,
          hint: text.recategorizeCategoryHint,
          required: true,
          choices: policy.categories.map((category) => [category.id, category.name[language]] as const),
        }),
        select(text, {
          form: 'recategorize',
          name: 'reason',
          label: text.recategorizeReason,
          required: true,
          choices: RecategorizationReasonSchema.options.map(
            (reason) => [reason, text.recategorizeReasons[reason]] as const,
          ),
        }),
      ].join('\n'),
    ),
    actionForm(
      text,
      'close',
      select(text, {
        form: 'close',
        name: 'outcome',
        label: text.closeOutcome,
        required: true,
        choices: CloseReasonSchema.options.map(
          (reason) => [reason, text.script[`closeReason.${reason}`]] as const,
        ),
      }),
    ),
    actionForm(
      text,
      'dissatisfied',
      [
        select(text, {
          form: 'dissatisfied',
          name: 'channel',
          label: text.dissatisfiedChannel,
          required: true,
          choices: ChannelSchema.options.map(
            (channel) => [channel, text.script[`channel.${channel}`]] as const,
          ),
        }),
        textarea(text, {
          form: 'dissatisfied',
          name: 'note',
          label: text.dissatisfiedNote,
          required: false,
          maxLength: 5_000,
        }),
      ].join('\n'),
    ),
    actionForm(
      text,
      'restart-enforcement',
      input(text, {
        form: 'restart-enforcement',
        name: 'reason',
        label: text.restartReason,
        hint: text.restartReasonHint,
        required: true,
        type: 'text',
        maxLength: 500,
      }),
    ),
  ];
  // The answer's steps (and an administrator's one action) stay in view; the rest folds away.
  const primaryActions = new Set(['acknowledge', 'answer', 'restart-enforcement']);
  const primary = forms.filter((_form, index) => primaryActions.has(FORM_ORDER[index] ?? ''));
  const more = forms.filter((_form, index) => !primaryActions.has(FORM_ORDER[index] ?? ''));
  const noteForm = actionForm(
    text,
    'note',
    textarea(text, {
      form: 'note',
      name: 'text',
      label: text.noteText,
      hint: text.noteTextHint,
      required: true,
      maxLength: 5_000,
    }),
  );
  // Next to the undelivered-email task: staff record that they reached the requester another way.
  const reachedForm = actionForm(
    text,
    'requester-reached',
    [
      select(text, {
        form: 'requester-reached',
        name: 'channel',
        label: text.reachChannel,
        required: true,
        choices: ReachChannelSchema.options.map(
          (channel) => [channel, text.script[`reach.${channel}`]] as const,
        ),
      }),
      input(text, {
        form: 'requester-reached',
        name: 'reachedAt',
        label: text.reachedAt,
        hint: text.reachedAtHint,
        required: true,
        type: 'datetime-local',
      }),
      textarea(text, {
        form: 'requester-reached',
        name: 'note',
        label: text.reachNote,
        hint: text.reachNoteHint,
        required: false,
        maxLength: 5_000,
      }),
    ].join('\n'),
  );
  return `<p><a href="${listHome}">${escapeHtml(text.backToList)}</a></p>
<h1 id="case-title" tabindex="-1">${escapeHtml(text.caseTitle)}</h1>
${liveRegions()}
<div id="case-view" hidden>
<section aria-labelledby="metadata-title">
<h2 id="metadata-title">${escapeHtml(text.metadataTitle)}</h2>
<dl id="case-key-facts" class="facts key-facts"></dl>
<button type="button" id="assign-to-me" hidden>${escapeHtml(text.script.assignToMe)}</button>
<details class="disclosure">
<summary>${escapeHtml(text.moreDetails)}</summary>
<dl id="case-metadata" class="facts"></dl>
</details>
</section>
<section id="undelivered-section" aria-labelledby="undelivered-title" hidden>
<h2 id="undelivered-title" class="undelivered">${escapeHtml(text.script.undelivered)}</h2>
<p id="undelivered-text"></p>
${reachedForm}
</section>
<section id="content-section" aria-labelledby="content-title" hidden>
<h2 id="content-title">${escapeHtml(text.contentTitle)}</h2>
<div id="case-content"></div>
<section id="messages-section" aria-labelledby="messages-title" hidden>
<h3 id="messages-title">${escapeHtml(text.messagesTitle)}</h3>
<ol id="case-messages" class="notes"></ol>
</section>
</section>
<section aria-labelledby="deadlines-title">
<h2 id="deadlines-title">${escapeHtml(text.deadlinesTitle)}</h2>
<div id="case-deadlines"></div>
</section>
<section id="letters-section" aria-labelledby="letters-title" hidden>
<h2 id="letters-title">${escapeHtml(text.lettersTitle)}</h2>
<ul id="case-letters"></ul>
</section>
<section id="actions-section" aria-labelledby="actions-title">
<h2 id="actions-title">${escapeHtml(text.actionsTitle)}</h2>
<p id="no-actions" hidden>${escapeHtml(text.script.noActions)}</p>
${primary.join('\n')}
<details id="more-actions" class="disclosure" hidden>
<summary>${escapeHtml(text.moreActions)}</summary>
${more.join('\n')}
</details>
</section>
<section id="notes-section" aria-labelledby="notes-title" hidden>
<h2 id="notes-title">${escapeHtml(text.notesTitle)}</h2>
<p class="hint">${escapeHtml(text.notesIntro)}</p>
<ol id="case-notes" class="notes"></ol>
<p id="no-notes" hidden>${escapeHtml(text.script['notes.none'])}</p>
${noteForm}
</section>
<section aria-labelledby="history-title">
<h2 id="history-title">${escapeHtml(text.historyTitle)}</h2>
<div class="table-scroll" role="region" tabindex="0" aria-labelledby="history-table-caption">
<table id="history-table">
<caption id="history-table-caption">${escapeHtml(text.historyCaption)}</caption>
<thead><tr>${history('seq')}${history('at')}${history('type')}${history('actor')}</tr></thead>
<tbody></tbody>
</table>
</div>
</section>
</div>`;
}

function auditMain(text: StaffStrings): string {
  const deadline = (key: keyof StaffStrings['auditDeadlineColumns']) =>
    `<th scope="col">${escapeHtml(text.auditDeadlineColumns[key])}</th>`;
  const event = (key: keyof StaffStrings['eventColumns']) =>
    `<th scope="col">${escapeHtml(text.eventColumns[key])}</th>`;
  const run = (key: keyof StaffStrings['executionColumns']) =>
    `<th scope="col">${escapeHtml(text.executionColumns[key])}</th>`;
  return `<h1>${escapeHtml(text.auditTitle)}</h1>
<p>${escapeHtml(text.auditIntro)}</p>
${liveRegions()}
<section aria-labelledby="verify-title">
<h2 id="verify-title">${escapeHtml(text.verifyTitle)}</h2>
<p>${escapeHtml(text.verifyIntro)}</p>
<button type="button" id="verify-ledger">${escapeHtml(text.verifyButton)}</button>
<p id="verify-result" class="result" role="status" data-testid="verify-result"></p>
<p id="verify-progress" data-testid="verify-progress" hidden></p>
<p id="verify-last" data-testid="verify-last" hidden></p>
<ul id="verify-bad-cases" data-testid="verify-bad-cases" hidden></ul>
</section>
<section aria-labelledby="lookup-title">
<h2 id="lookup-title">${escapeHtml(text.lookupTitle)}</h2>
<form id="case-lookup">
<div class="field">
<label for="lookup-case-id">${escapeHtml(text.lookupLabel)}</label>
<p class="hint" id="lookup-case-id-hint">${escapeHtml(text.lookupHint)}</p>
<input type="text" id="lookup-case-id" name="caseId" required aria-describedby="lookup-case-id-hint" autocomplete="off" spellcheck="false">
</div>
<button type="submit">${escapeHtml(text.lookupButton)}</button>
</form>
</section>
<section id="timeline" aria-labelledby="timeline-title" hidden>
<h2 id="timeline-title" tabindex="-1"></h2>
<p id="chain-status" class="result" data-testid="chain-status"></p>
<dl id="timeline-metadata" class="facts"></dl>
<h3>${escapeHtml(text.deadlinesTitle)}</h3>
<div class="table-scroll" role="region" tabindex="0" aria-labelledby="timeline-deadlines-caption">
<table id="timeline-deadlines">
<caption id="timeline-deadlines-caption">${escapeHtml(text.auditDeadlinesCaption)}</caption>
<thead><tr>${deadline('kind')}${deadline('dueDate')}${deadline('revision')}${deadline('originalDueAt')}${deadline('metAt')}${deadline('overdue')}${deadline('outcome')}${deadline('explanation')}</tr></thead>
<tbody></tbody>
</table>
</div>
<h3>${escapeHtml(text.eventsTitle)}</h3>
<div class="table-scroll" role="region" tabindex="0" aria-labelledby="timeline-events-caption">
<table id="timeline-events">
<caption id="timeline-events-caption">${escapeHtml(text.eventsCaption)}</caption>
<thead><tr>${event('at')}${event('source')}${event('what')}${event('by')}${event('seq')}${event('hash')}${event('prevHash')}</tr></thead>
<tbody></tbody>
</table>
</div>
<h3>${escapeHtml(text.executionsTitle)}</h3>
<div class="table-scroll" role="region" tabindex="0" aria-labelledby="timeline-executions-caption">
<table id="timeline-executions">
<caption id="timeline-executions-caption">${escapeHtml(text.executionsCaption)}</caption>
<thead><tr>${run('name')}${run('status')}${run('started')}${run('stopped')}</tr></thead>
<tbody></tbody>
</table>
</div>
</section>`;
}

/** A staff shell: the page's static HTML; its script fills it from the APIs with the session's token. */
export function renderStaffPage(options: StaffPageOptions): string {
  const text = STAFF_STRINGS[options.language];
  const auth = options.auth ?? LOCAL_AUTH_CONFIG;
  if (options.kind === 'login' || options.kind === 'callback' || options.kind === 'session-expired') {
    const signIn = authPage(options.kind, options.language, auth);
    if (signIn !== undefined) return renderStaffLayout({ ...options, auth, ...signIn });
  }
  const { main, title } =
    options.kind === 'login'
      ? { main: loginMain(text), title: text.loginTitle }
      : options.kind === 'work-list'
        ? { main: workListMain(text), title: text.listTitle }
        : options.kind === 'case'
          ? { main: caseMain(text, options.policy, options.language), title: text.caseTitle }
          : options.kind === 'intake'
            ? {
                main: intakeMain(text, options.policy, options.language),
                title: INTAKE_STRINGS[options.language].intakeTitle,
              }
            : options.kind === 'holding'
              ? {
                  main: holdingMain(text, options.policy, options.language),
                  title: INTAKE_STRINGS[options.language].holdingTitle,
                }
              : options.kind === 'dashboard'
                ? {
                    main: dashboardMain(text, options.language),
                    title: DASHBOARD_STRINGS[options.language].title,
                  }
                : { main: auditMain(text), title: text.auditTitle };
  return renderStaffLayout({ ...options, auth, title, main });
}
