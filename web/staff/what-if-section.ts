import { escapeHtml } from '../citizen/html';
import type { PageLanguage } from '../citizen/strings';
import { input, select, textarea } from './pages';
import type { StaffStrings } from './strings';
import { WHAT_IF_STRINGS } from './what-if-strings';

/**
 * The dashboard's what-if form (`POST /api/audit/what-if`, `docs/what-if.md`): one category (filled by the
 * script from the report's categories) and its new acknowledgement and answer delays, whether the workflow
 * acknowledges by itself at the deadline, and the calendar version its delays are counted on (filled by the
 * script from `GET /api/audit/what-if/calendars`), and extra closed days added to that calendar (a textarea, one
 * date per line: typed or pasted alike on a phone or with a keyboard, one field to read and to correct); each
 * left empty keeps the policy's. The script shows the report's figures for the recorded reality and for the
 * changed policy side by side, and the cases that would have been late, or no longer late.
 */
export function whatIfSection(text: StaffStrings, language: PageLanguage): string {
  const words = WHAT_IF_STRINGS[language];
  return `<section id="what-if" aria-labelledby="what-if-title">
<h2 id="what-if-title">${escapeHtml(words.title)}</h2>
<p>${escapeHtml(words.intro)}</p>
<form id="what-if-form" class="filters" aria-labelledby="what-if-title" novalidate>
<div class="form-error" id="what-if-errors" tabindex="-1" data-form-error></div>
${select(text, { form: 'what-if', name: 'category', label: words.category, required: true, choices: [] })}
${input(text, { form: 'what-if', name: 'acknowledgementDays', label: words.acknowledgementDays, type: 'number', required: false, hint: words.daysHint })}
${input(text, { form: 'what-if', name: 'answerDays', label: words.answerDays, type: 'number', required: false, hint: words.daysHint })}
${select(text, {
  form: 'what-if',
  name: 'automaticAcknowledgement',
  label: words.automaticAcknowledgement,
  required: false,
  hint: words.automaticAcknowledgementHint,
  choices: [
    ['true', words.automaticYes],
    ['false', words.automaticNo],
  ],
})}
${select(text, { form: 'what-if', name: 'calendar', label: words.calendar, required: false, hint: words.calendarHint, choices: [] })}
${textarea(text, { form: 'what-if', name: 'addClosures', label: words.addClosures, required: false, hint: words.addClosuresHint, maxLength: 1000 })}
<button type="submit">${escapeHtml(words.run)}</button>
</form>
<div id="what-if-result" hidden></div>
</section>`;
}
