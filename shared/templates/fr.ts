import type { TemplateSet } from './source';

/**
 * French versions of every message (the default language: Charte de la langue française). Québec usage: a
 * non-breaking space before the colon and inside « », typographic apostrophes, dates as given in the values.
 * Citizen messages never quote the body of the request; automatic ones quote nothing the sender wrote.
 */
export const FR_TEMPLATES = {
  'automatic-receipt': {
    subject: 'Réception de votre demande – {{reference}}',
    text: `Bonjour,

Nous avons bien reçu votre demande le {{receivedDate}}. Elle a été enregistrée sous la référence {{reference}}.

Catégorie\u00a0: {{categoryName}}

Le présent message confirme automatiquement la réception de votre demande. Il ne constitue pas l’accusé de réception officiel.

Un accusé de réception vous sera transmis au plus tard le {{acknowledgementDueDate}}. Il précisera la date à laquelle vous recevrez une réponse.

Pour toute question, veuillez communiquer avec nous en mentionnant la référence {{reference}}\u00a0:
{{contact}}

Nous vous remercions de votre confiance.`,
    html: `<p>Bonjour,</p>
<p>Nous avons bien reçu votre demande le {{receivedDate}}. Elle a été enregistrée sous la référence <strong>{{reference}}</strong>.</p>
<p>Catégorie\u00a0: {{categoryName}}</p>
<p>Le présent message confirme automatiquement la réception de votre demande. Il ne constitue pas l’accusé de réception officiel.</p>
<p>Un accusé de réception vous sera transmis au plus tard le <strong>{{acknowledgementDueDate}}</strong>. Il précisera la date à laquelle vous recevrez une réponse.</p>
<p>Pour toute question, veuillez communiquer avec nous en mentionnant la référence {{reference}}\u00a0:</p>
<p>{{contact}}</p>
<p>Nous vous remercions de votre confiance.</p>`,
  },

  acknowledgement: {
    subject: 'Accusé de réception de votre demande – {{reference}}',
    text: `Bonjour {{requesterName}},

Nous accusons réception de votre demande, reçue le {{receivedDate}}.

Référence\u00a0: {{reference}}
Objet\u00a0: {{subject}}

Votre demande est en cours de traitement. Nous vous transmettrons une réponse au plus tard le {{answerByDate}}.

Pour toute question, veuillez communiquer avec nous en mentionnant la référence {{reference}}\u00a0:
{{contact}}

Veuillez agréer nos salutations distinguées.`,
    html: `<p>Bonjour {{requesterName}},</p>
<p>Nous accusons réception de votre demande, reçue le {{receivedDate}}.</p>
<p>Référence\u00a0: <strong>{{reference}}</strong><br>
Objet\u00a0: {{subject}}</p>
<p>Votre demande est en cours de traitement. Nous vous transmettrons une réponse au plus tard le <strong>{{answerByDate}}</strong>.</p>
<p>Pour toute question, veuillez communiquer avec nous en mentionnant la référence {{reference}}\u00a0:</p>
<p>{{contact}}</p>
<p>Veuillez agréer nos salutations distinguées.</p>`,
  },

  'automatic-acknowledgement': {
    subject: 'Accusé de réception de votre demande – {{reference}}',
    text: `Bonjour,

Nous accusons réception de votre demande, reçue le {{receivedDate}}. Le présent accusé de réception vous est transmis automatiquement.

Référence\u00a0: {{reference}}

Votre demande est en cours de traitement. Nous vous transmettrons une réponse au plus tard le {{answerByDate}}.

Pour toute question, veuillez communiquer avec nous en mentionnant la référence {{reference}}\u00a0:
{{contact}}

Veuillez agréer nos salutations distinguées.`,
    html: `<p>Bonjour,</p>
<p>Nous accusons réception de votre demande, reçue le {{receivedDate}}. Le présent accusé de réception vous est transmis automatiquement.</p>
<p>Référence\u00a0: <strong>{{reference}}</strong></p>
<p>Votre demande est en cours de traitement. Nous vous transmettrons une réponse au plus tard le <strong>{{answerByDate}}</strong>.</p>
<p>Pour toute question, veuillez communiquer avec nous en mentionnant la référence {{reference}}\u00a0:</p>
<p>{{contact}}</p>
<p>Veuillez agréer nos salutations distinguées.</p>`,
  },

  'extension-notice': {
    subject: 'Report de la date de réponse à votre demande – {{reference}}',
    text: `Bonjour {{requesterName}},

Nous vous avions indiqué que vous recevriez une réponse à votre demande (référence {{reference}}) au plus tard le {{previousAnswerByDate}}.

Le traitement de votre demande nécessite un délai supplémentaire. Nous vous transmettrons notre réponse au plus tard le {{answerByDate}}.

Motif du report\u00a0: {{reason}}

Nous vous prions de nous excuser de ce délai. Pour toute question, veuillez communiquer avec nous en mentionnant la référence {{reference}}\u00a0:
{{contact}}

Veuillez agréer nos salutations distinguées.`,
    html: `<p>Bonjour {{requesterName}},</p>
<p>Nous vous avions indiqué que vous recevriez une réponse à votre demande (référence <strong>{{reference}}</strong>) au plus tard le {{previousAnswerByDate}}.</p>
<p>Le traitement de votre demande nécessite un délai supplémentaire. Nous vous transmettrons notre réponse au plus tard le <strong>{{answerByDate}}</strong>.</p>
<p>Motif du report\u00a0: {{reason}}</p>
<p>Nous vous prions de nous excuser de ce délai. Pour toute question, veuillez communiquer avec nous en mentionnant la référence {{reference}}\u00a0:</p>
<p>{{contact}}</p>
<p>Veuillez agréer nos salutations distinguées.</p>`,
  },

  'delay-notice': {
    subject: 'Retard dans le traitement de votre demande – {{reference}}',
    text: `Bonjour,

Nous vous avions indiqué que vous recevriez une réponse à votre demande (référence {{reference}}) au plus tard le {{answerByDate}}. Nous ne serons malheureusement pas en mesure de respecter ce délai.

Votre demande demeure en traitement et nous vous transmettrons notre réponse dans les meilleurs délais. Nous vous prions de nous excuser de ce retard.

Pour toute question, veuillez communiquer avec nous en mentionnant la référence {{reference}}\u00a0:
{{contact}}

Veuillez agréer nos salutations distinguées.`,
    html: `<p>Bonjour,</p>
<p>Nous vous avions indiqué que vous recevriez une réponse à votre demande (référence <strong>{{reference}}</strong>) au plus tard le {{answerByDate}}. Nous ne serons malheureusement pas en mesure de respecter ce délai.</p>
<p>Votre demande demeure en traitement et nous vous transmettrons notre réponse dans les meilleurs délais. Nous vous prions de nous excuser de ce retard.</p>
<p>Pour toute question, veuillez communiquer avec nous en mentionnant la référence {{reference}}\u00a0:</p>
<p>{{contact}}</p>
<p>Veuillez agréer nos salutations distinguées.</p>`,
  },

  'answer-cover': {
    subject: 'Réponse à votre demande – {{reference}}',
    text: `Bonjour {{requesterName}},

La présente fait suite à votre demande «\u00a0{{subject}}\u00a0» (référence {{reference}}).

{{answer}}

{{referral}}

Pour toute question concernant cette réponse, veuillez communiquer avec nous en mentionnant la référence {{reference}}\u00a0:
{{contact}}

Veuillez agréer nos salutations distinguées.`,
    html: `<p>Bonjour {{requesterName}},</p>
<p>La présente fait suite à votre demande «\u00a0{{subject}}\u00a0» (référence <strong>{{reference}}</strong>).</p>
<p>{{answer}}</p>
<p>{{referral}}</p>
<p>Pour toute question concernant cette réponse, veuillez communiquer avec nous en mentionnant la référence {{reference}}\u00a0:</p>
<p>{{contact}}</p>
<p>Veuillez agréer nos salutations distinguées.</p>`,
  },

  'protecteur-referral': {
    subject: 'Recours auprès du Protecteur du citoyen – {{reference}}',
    text: `{{referralText}}
{{office}}
Mentionnez alors la référence de votre dossier\u00a0: {{reference}}.`,
    html: `<p>{{referralText}}</p>
<p>{{office}}</p>
<p>Mentionnez alors la référence de votre dossier\u00a0: {{reference}}.</p>`,
  },

  'review-conclusion': {
    subject: 'Fin du réexamen de votre dossier – {{reference}}',
    text: `Bonjour {{requesterName}},

Vous nous avez fait part de votre insatisfaction à l’égard de la réponse donnée à votre demande (référence {{reference}}). La personne responsable des plaintes a réexaminé votre dossier.

{{answer}}

Le réexamen de votre dossier est maintenant terminé.

{{referral}}

Pour toute question, veuillez communiquer avec nous en mentionnant la référence {{reference}}\u00a0:
{{contact}}

Veuillez agréer nos salutations distinguées.`,
    html: `<p>Bonjour {{requesterName}},</p>
<p>Vous nous avez fait part de votre insatisfaction à l’égard de la réponse donnée à votre demande (référence <strong>{{reference}}</strong>). La personne responsable des plaintes a réexaminé votre dossier.</p>
<p>{{answer}}</p>
<p>Le réexamen de votre dossier est maintenant terminé.</p>
<p>{{referral}}</p>
<p>Pour toute question, veuillez communiquer avec nous en mentionnant la référence {{reference}}\u00a0:</p>
<p>{{contact}}</p>
<p>Veuillez agréer nos salutations distinguées.</p>`,
  },

  'amp-referral': {
    subject: 'Plaintes relatives aux contrats publics – Autorité des marchés publics – {{reference}}',
    text: `Les plaintes portant sur le processus d’appel d’offres ou d’attribution d’un contrat public relèvent de l’Autorité des marchés publics (AMP), l’organisme qui les traite au Québec. Pour déposer une telle plainte, veuillez consulter le site Web de l’AMP\u00a0: amp.quebec. Au besoin, mentionnez notre référence {{reference}}.`,
    html: `<p>Les plaintes portant sur le processus d’appel d’offres ou d’attribution d’un contrat public relèvent de l’Autorité des marchés publics (AMP), l’organisme qui les traite au Québec. Pour déposer une telle plainte, veuillez consulter le site Web de l’AMP\u00a0: <a href="https://amp.quebec">amp.quebec</a>. Au besoin, mentionnez notre référence {{reference}}.</p>`,
  },

  'attachment-refused': {
    subject: 'Pièces jointes non acceptées – {{reference}}',
    text: `Bonjour,

Nous avons bien reçu votre courriel du {{receivedDate}} (référence {{reference}}).

Votre message a été conservé et son traitement suit son cours. Toutefois, pour des raisons de sécurité, les pièces jointes suivantes n’ont pas été acceptées\u00a0:
{{refusedFiles}}

Nous n’acceptons pas les programmes, les scripts ni les documents contenant des macros, ni les fichiers trop volumineux. Si ces documents sont nécessaires au traitement de votre demande, vous pouvez nous les transmettre dans un format courant (par exemple PDF), au besoin en plusieurs envois, en répondant au présent message.

Pour toute question, veuillez communiquer avec nous en mentionnant la référence {{reference}}\u00a0:
{{contact}}

Le présent message vous est transmis automatiquement.`,
    html: `<p>Bonjour,</p>
<p>Nous avons bien reçu votre courriel du {{receivedDate}} (référence <strong>{{reference}}</strong>).</p>
<p>Votre message a été conservé et son traitement suit son cours. Toutefois, pour des raisons de sécurité, les pièces jointes suivantes n’ont pas été acceptées\u00a0:</p>
<p>{{refusedFiles}}</p>
<p>Nous n’acceptons pas les programmes, les scripts ni les documents contenant des macros, ni les fichiers trop volumineux. Si ces documents sont nécessaires au traitement de votre demande, vous pouvez nous les transmettre dans un format courant (par exemple PDF), au besoin en plusieurs envois, en répondant au présent message.</p>
<p>Pour toute question, veuillez communiquer avec nous en mentionnant la référence {{reference}}\u00a0:</p>
<p>{{contact}}</p>
<p>Le présent message vous est transmis automatiquement.</p>`,
  },

  'task-notification': {
    subject: 'Nouveau dossier {{reference}} – {{categoryName}}',
    text: `Bonjour,

Un nouveau dossier vous a été attribué, à vous ou à votre équipe.

Dossier\u00a0: {{reference}}
Catégorie\u00a0: {{categoryName}}
Accusé de réception à transmettre au plus tard le {{acknowledgementDueDate}}
Réponse à transmettre au plus tard le {{answerDueDate}}

Ouvrir le dossier\u00a0: {{caseUrl}}

Message envoyé automatiquement par Jalon.`,
    html: `<p>Bonjour,</p>
<p>Un nouveau dossier vous a été attribué, à vous ou à votre équipe.</p>
<p>Dossier\u00a0: <strong>{{reference}}</strong><br>
Catégorie\u00a0: {{categoryName}}<br>
Accusé de réception à transmettre au plus tard le <strong>{{acknowledgementDueDate}}</strong><br>
Réponse à transmettre au plus tard le <strong>{{answerDueDate}}</strong></p>
<p><a href="{{caseUrl}}">Ouvrir le dossier {{reference}}</a></p>
<p>Message envoyé automatiquement par Jalon.</p>`,
  },

  reminder: {
    subject: 'Rappel – dossier {{reference}}\u00a0: {{deadlineName}} au plus tard le {{dueDate}}',
    text: `Bonjour,

Une échéance du dossier {{reference}} approche.

Échéance\u00a0: {{deadlineName}}
Date limite\u00a0: {{dueDate}}
Jours ouvrables restants\u00a0: {{businessDaysLeft}}

Ouvrir le dossier\u00a0: {{caseUrl}}

Message envoyé automatiquement par Jalon.`,
    html: `<p>Bonjour,</p>
<p>Une échéance du dossier <strong>{{reference}}</strong> approche.</p>
<p>Échéance\u00a0: {{deadlineName}}<br>
Date limite\u00a0: <strong>{{dueDate}}</strong><br>
Jours ouvrables restants\u00a0: {{businessDaysLeft}}</p>
<p><a href="{{caseUrl}}">Ouvrir le dossier {{reference}}</a></p>
<p>Message envoyé automatiquement par Jalon.</p>`,
  },

  escalation: {
    subject: 'Escalade – dossier {{reference}}\u00a0: {{deadlineName}} ({{dueDate}})',
    text: `Bonjour,

Le dossier {{reference}} requiert votre attention\u00a0: une échéance est dépassée ou risque de ne pas être respectée.

Échéance\u00a0: {{deadlineName}}
Date limite\u00a0: {{dueDate}}
Personne assignée\u00a0: {{assignee}}
Niveau d’escalade\u00a0: {{level}}

Veuillez vous assurer que le dossier sera traité à temps ou le réattribuer au besoin\u00a0: {{caseUrl}}

Message envoyé automatiquement par Jalon.`,
    html: `<p>Bonjour,</p>
<p>Le dossier <strong>{{reference}}</strong> requiert votre attention\u00a0: une échéance est dépassée ou risque de ne pas être respectée.</p>
<p>Échéance\u00a0: {{deadlineName}}<br>
Date limite\u00a0: <strong>{{dueDate}}</strong><br>
Personne assignée\u00a0: {{assignee}}<br>
Niveau d’escalade\u00a0: {{level}}</p>
<p>Veuillez vous assurer que le dossier sera traité à temps ou le réattribuer au besoin\u00a0: <a href="{{caseUrl}}">ouvrir le dossier {{reference}}</a>.</p>
<p>Message envoyé automatiquement par Jalon.</p>`,
  },

  'acknowledgement-deadline-reached': {
    subject: 'Échéance d’accusé de réception atteinte – dossier {{reference}} ({{dueDate}})',
    text: `Bonjour,

L’échéance d’accusé de réception du dossier {{reference}} ({{dueDate}}) est arrivée sans qu’un accusé de réception ait été envoyé.

{{outcome}}

Personne assignée\u00a0: {{assignee}}

Dossier\u00a0: {{caseUrl}}

Message envoyé automatiquement par Jalon.`,
    html: `<p>Bonjour,</p>
<p>L’échéance d’accusé de réception du dossier <strong>{{reference}}</strong> ({{dueDate}}) est arrivée sans qu’un accusé de réception ait été envoyé.</p>
<p>{{outcome}}</p>
<p>Personne assignée\u00a0: {{assignee}}</p>
<p><a href="{{caseUrl}}">Ouvrir le dossier {{reference}}</a></p>
<p>Message envoyé automatiquement par Jalon.</p>`,
  },

  'ops-alert': {
    subject: '[Jalon] Échec de l’étape {{step}} – dossier {{caseId}}',
    text: `Une étape du traitement automatique a échoué après ses nouvelles tentatives.

Dossier (identifiant interne)\u00a0: {{caseId}}
Étape\u00a0: {{step}}
Erreur\u00a0: {{errorName}}
Moment\u00a0: {{at}}

Les délais de ce dossier ne sont plus suivis (ni rappel, ni escalade, ni accusé automatique) et il apparaît comme tel aux employés. Consultez l’historique d’exécution du flux de travail de ce dossier et les journaux pour en connaître la cause\u00a0; une fois la cause corrigée, un administrateur relance le suivi depuis la fiche du dossier. Ce message ne contient aucun renseignement personnel.`,
    html: `<p>Une étape du traitement automatique a échoué après ses nouvelles tentatives.</p>
<p>Dossier (identifiant interne)\u00a0: {{caseId}}<br>
Étape\u00a0: {{step}}<br>
Erreur\u00a0: {{errorName}}<br>
Moment\u00a0: {{at}}</p>
<p>Les délais de ce dossier ne sont plus suivis (ni rappel, ni escalade, ni accusé automatique) et il apparaît comme tel aux employés. Consultez l’historique d’exécution du flux de travail de ce dossier et les journaux pour en connaître la cause\u00a0; une fois la cause corrigée, un administrateur relance le suivi depuis la fiche du dossier. Ce message ne contient aucun renseignement personnel.</p>`,
  },
} as const satisfies TemplateSet;
