import type { TemplateSet } from './source';

/**
 * English versions of every message, sent to a citizen only when the requester's record holds an eligible
 * language basis (see `language.ts`). Same content as the French ones, paragraph for paragraph; Canadian
 * spelling. Citizen messages never quote the body of the request; automatic ones quote nothing the sender
 * wrote.
 */
export const EN_TEMPLATES = {
  'automatic-receipt': {
    subject: 'We received your request – {{reference}}',
    text: `Hello,

We received your request on {{receivedDate}}. It has been registered under reference {{reference}}.

Category: {{categoryName}}

This message automatically confirms that we received your request. It is not the official acknowledgement.

An acknowledgement will be sent to you no later than {{acknowledgementDueDate}}. It will state the date by which you will receive an answer.

If you have any questions, please contact us and quote reference {{reference}}:
{{contact}}

Thank you for contacting us.`,
    html: `<p>Hello,</p>
<p>We received your request on {{receivedDate}}. It has been registered under reference <strong>{{reference}}</strong>.</p>
<p>Category: {{categoryName}}</p>
<p>This message automatically confirms that we received your request. It is not the official acknowledgement.</p>
<p>An acknowledgement will be sent to you no later than <strong>{{acknowledgementDueDate}}</strong>. It will state the date by which you will receive an answer.</p>
<p>If you have any questions, please contact us and quote reference {{reference}}:</p>
<p>{{contact}}</p>
<p>Thank you for contacting us.</p>`,
  },

  acknowledgement: {
    subject: 'Acknowledgement of your request – {{reference}}',
    text: `Hello {{requesterName}},

We acknowledge receipt of your request of {{receivedDate}}.

Reference: {{reference}}
Subject: {{subject}}

Your request is being processed. We will send you an answer no later than {{answerByDate}}.

If you have any questions, please contact us and quote reference {{reference}}:
{{contact}}

Thank you for contacting us.`,
    html: `<p>Hello {{requesterName}},</p>
<p>We acknowledge receipt of your request of {{receivedDate}}.</p>
<p>Reference: <strong>{{reference}}</strong><br>
Subject: {{subject}}</p>
<p>Your request is being processed. We will send you an answer no later than <strong>{{answerByDate}}</strong>.</p>
<p>If you have any questions, please contact us and quote reference {{reference}}:</p>
<p>{{contact}}</p>
<p>Thank you for contacting us.</p>`,
  },

  'automatic-acknowledgement': {
    subject: 'Acknowledgement of your request – {{reference}}',
    text: `Hello,

We acknowledge receipt of your request of {{receivedDate}}. This acknowledgement is sent to you automatically.

Reference: {{reference}}

Your request is being processed. We will send you an answer no later than {{answerByDate}}.

If you have any questions, please contact us and quote reference {{reference}}:
{{contact}}

Thank you for contacting us.`,
    html: `<p>Hello,</p>
<p>We acknowledge receipt of your request of {{receivedDate}}. This acknowledgement is sent to you automatically.</p>
<p>Reference: <strong>{{reference}}</strong></p>
<p>Your request is being processed. We will send you an answer no later than <strong>{{answerByDate}}</strong>.</p>
<p>If you have any questions, please contact us and quote reference {{reference}}:</p>
<p>{{contact}}</p>
<p>Thank you for contacting us.</p>`,
  },

  'extension-notice': {
    subject: 'New answer date for your request – {{reference}}',
    text: `Hello {{requesterName}},

We told you that you would receive an answer to your request (reference {{reference}}) no later than {{previousAnswerByDate}}.

We need more time to process your request. We will send you our answer no later than {{answerByDate}}.

Reason for the new date: {{reason}}

We apologize for this delay. If you have any questions, please contact us and quote reference {{reference}}:
{{contact}}

Thank you for your understanding.`,
    html: `<p>Hello {{requesterName}},</p>
<p>We told you that you would receive an answer to your request (reference <strong>{{reference}}</strong>) no later than {{previousAnswerByDate}}.</p>
<p>We need more time to process your request. We will send you our answer no later than <strong>{{answerByDate}}</strong>.</p>
<p>Reason for the new date: {{reason}}</p>
<p>We apologize for this delay. If you have any questions, please contact us and quote reference {{reference}}:</p>
<p>{{contact}}</p>
<p>Thank you for your understanding.</p>`,
  },

  'delay-notice': {
    subject: 'Delay in processing your request – {{reference}}',
    text: `Hello,

We told you that you would receive an answer to your request (reference {{reference}}) no later than {{answerByDate}}. Unfortunately, we will not be able to meet this date.

Your request is still being processed and we will send you our answer as soon as possible. We apologize for this delay.

If you have any questions, please contact us and quote reference {{reference}}:
{{contact}}

Thank you for your understanding.`,
    html: `<p>Hello,</p>
<p>We told you that you would receive an answer to your request (reference <strong>{{reference}}</strong>) no later than {{answerByDate}}. Unfortunately, we will not be able to meet this date.</p>
<p>Your request is still being processed and we will send you our answer as soon as possible. We apologize for this delay.</p>
<p>If you have any questions, please contact us and quote reference {{reference}}:</p>
<p>{{contact}}</p>
<p>Thank you for your understanding.</p>`,
  },

  'answer-cover': {
    subject: 'Answer to your request – {{reference}}',
    text: `Hello {{requesterName}},

This message answers your request “{{subject}}” (reference {{reference}}).

{{answer}}

{{referral}}

If you have any questions about this answer, please contact us and quote reference {{reference}}:
{{contact}}

Thank you for contacting us.`,
    html: `<p>Hello {{requesterName}},</p>
<p>This message answers your request “{{subject}}” (reference <strong>{{reference}}</strong>).</p>
<p>{{answer}}</p>
<p>{{referral}}</p>
<p>If you have any questions about this answer, please contact us and quote reference {{reference}}:</p>
<p>{{contact}}</p>
<p>Thank you for contacting us.</p>`,
  },

  'protecteur-referral': {
    subject: 'Recourse to the Protecteur du citoyen (Québec Ombudsman) – {{reference}}',
    text: `{{referralText}}
{{office}}
Please quote the reference of your case: {{reference}}.`,
    html: `<p>{{referralText}}</p>
<p>{{office}}</p>
<p>Please quote the reference of your case: {{reference}}.</p>`,
  },

  'review-conclusion': {
    subject: 'Review of your case completed – {{reference}}',
    text: `Hello {{requesterName}},

You told us that you were not satisfied with the answer to your request (reference {{reference}}). The complaints officer has reviewed your case.

{{answer}}

The review of your case is now completed.

{{referral}}

If you have any questions, please contact us, quoting reference {{reference}}:
{{contact}}

Yours sincerely,`,
    html: `<p>Hello {{requesterName}},</p>
<p>You told us that you were not satisfied with the answer to your request (reference <strong>{{reference}}</strong>). The complaints officer has reviewed your case.</p>
<p>{{answer}}</p>
<p>The review of your case is now completed.</p>
<p>{{referral}}</p>
<p>If you have any questions, please contact us, quoting reference {{reference}}:</p>
<p>{{contact}}</p>
<p>Yours sincerely,</p>`,
  },

  'amp-referral': {
    subject: 'Complaints about public contracts – Autorité des marchés publics – {{reference}}',
    text: `Complaints about the tendering or awarding process of a public contract are handled by the Autorité des marchés publics (AMP), the body that deals with them in Québec. To file such a complaint, please consult the AMP website: amp.quebec. If needed, quote our reference {{reference}}.`,
    html: `<p>Complaints about the tendering or awarding process of a public contract are handled by the Autorité des marchés publics (AMP), the body that deals with them in Québec. To file such a complaint, please consult the AMP website: <a href="https://amp.quebec">amp.quebec</a>. If needed, quote our reference {{reference}}.</p>`,
  },

  'attachment-refused': {
    subject: 'Attachments not accepted – {{reference}}',
    text: `Hello,

We received your email of {{receivedDate}} (reference {{reference}}).

Your message has been kept and is being processed. However, for security reasons, the following attachments were not accepted:
{{refusedFiles}}

We do not accept programs, scripts, documents containing macros or files that are too large. If these documents are needed to process your request, you can send them in a common format (for example PDF), in several emails if needed, by replying to this message.

If you have any questions, please contact us and quote reference {{reference}}:
{{contact}}

This message was sent automatically.`,
    html: `<p>Hello,</p>
<p>We received your email of {{receivedDate}} (reference <strong>{{reference}}</strong>).</p>
<p>Your message has been kept and is being processed. However, for security reasons, the following attachments were not accepted:</p>
<p>{{refusedFiles}}</p>
<p>We do not accept programs, scripts, documents containing macros or files that are too large. If these documents are needed to process your request, you can send them in a common format (for example PDF), in several emails if needed, by replying to this message.</p>
<p>If you have any questions, please contact us and quote reference {{reference}}:</p>
<p>{{contact}}</p>
<p>This message was sent automatically.</p>`,
  },

  'task-notification': {
    subject: 'New case {{reference}} – {{categoryName}}',
    text: `Hello,

A new case has been assigned to you or to your team.

Case: {{reference}}
Category: {{categoryName}}
Acknowledgement due no later than {{acknowledgementDueDate}}
Answer due no later than {{answerDueDate}}

Open the case: {{caseUrl}}

Message sent automatically by Jalon.`,
    html: `<p>Hello,</p>
<p>A new case has been assigned to you or to your team.</p>
<p>Case: <strong>{{reference}}</strong><br>
Category: {{categoryName}}<br>
Acknowledgement due no later than <strong>{{acknowledgementDueDate}}</strong><br>
Answer due no later than <strong>{{answerDueDate}}</strong></p>
<p><a href="{{caseUrl}}">Open case {{reference}}</a></p>
<p>Message sent automatically by Jalon.</p>`,
  },

  reminder: {
    subject: 'Reminder – case {{reference}}: {{deadlineName}} due {{dueDate}}',
    text: `Hello,

A deadline of case {{reference}} is coming up.

Deadline: {{deadlineName}}
Due: {{dueDate}}
Business days left: {{businessDaysLeft}}

Open the case: {{caseUrl}}

Message sent automatically by Jalon.`,
    html: `<p>Hello,</p>
<p>A deadline of case <strong>{{reference}}</strong> is coming up.</p>
<p>Deadline: {{deadlineName}}<br>
Due: <strong>{{dueDate}}</strong><br>
Business days left: {{businessDaysLeft}}</p>
<p><a href="{{caseUrl}}">Open case {{reference}}</a></p>
<p>Message sent automatically by Jalon.</p>`,
  },

  escalation: {
    subject: 'Escalation – case {{reference}}: {{deadlineName}} ({{dueDate}})',
    text: `Hello,

Case {{reference}} needs your attention: a deadline has passed or may be missed.

Deadline: {{deadlineName}}
Due: {{dueDate}}
Assigned to: {{assignee}}
Escalation level: {{level}}

Please make sure the case is handled in time, or reassign it if needed: {{caseUrl}}

Message sent automatically by Jalon.`,
    html: `<p>Hello,</p>
<p>Case <strong>{{reference}}</strong> needs your attention: a deadline has passed or may be missed.</p>
<p>Deadline: {{deadlineName}}<br>
Due: <strong>{{dueDate}}</strong><br>
Assigned to: {{assignee}}<br>
Escalation level: {{level}}</p>
<p>Please make sure the case is handled in time, or reassign it if needed: <a href="{{caseUrl}}">open case {{reference}}</a>.</p>
<p>Message sent automatically by Jalon.</p>`,
  },

  'acknowledgement-deadline-reached': {
    subject: 'Acknowledgement deadline reached – case {{reference}} ({{dueDate}})',
    text: `Hello,

The acknowledgement deadline of case {{reference}} ({{dueDate}}) has come and no acknowledgement was sent.

{{outcome}}

Assigned to: {{assignee}}

Case: {{caseUrl}}

Message sent automatically by Jalon.`,
    html: `<p>Hello,</p>
<p>The acknowledgement deadline of case <strong>{{reference}}</strong> ({{dueDate}}) has come and no acknowledgement was sent.</p>
<p>{{outcome}}</p>
<p>Assigned to: {{assignee}}</p>
<p><a href="{{caseUrl}}">Open case {{reference}}</a></p>
<p>Message sent automatically by Jalon.</p>`,
  },

  'ops-alert': {
    subject: '[Jalon] Step {{step}} failed – case {{caseId}}',
    text: `An automated processing step failed after its retries.

Case (internal id): {{caseId}}
Step: {{step}}
Error: {{errorName}}
At: {{at}}

This case’s deadlines are no longer enforced (no reminder, escalation or automatic acknowledgement), and staff see it so. See the workflow execution history of this case and the logs for the cause; once it is fixed, an administrator restarts enforcement from the case page. This message contains no personal information.`,
    html: `<p>An automated processing step failed after its retries.</p>
<p>Case (internal id): {{caseId}}<br>
Step: {{step}}<br>
Error: {{errorName}}<br>
At: {{at}}</p>
<p>This case’s deadlines are no longer enforced (no reminder, escalation or automatic acknowledgement), and staff see it so. See the workflow execution history of this case and the logs for the cause; once it is fixed, an administrator restarts enforcement from the case page. This message contains no personal information.</p>`,
  },
} as const satisfies TemplateSet;
