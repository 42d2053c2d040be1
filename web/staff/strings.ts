import type { PageLanguage } from '../citizen/strings';

/**
 * The words the browser scripts put on the staff and auditor pages (statuses, event types, messages with
 * `{placeholders}`), by key. They reach the scripts through a `<template>` of the page, so `staff.js` and
 * `audit.js` hold no sentence of their own.
 */
export const SCRIPT_TEXT_KEYS = [
  'status.received',
  'status.acknowledged',
  'status.answered',
  'status.dissatisfied',
  'status.closed',
  'channel.web',
  'channel.email',
  'channel.mail',
  'channel.phone',
  'channel.in-person',
  'deadline.acknowledgement',
  'deadline.answer',
  'deadline.review',
  'closeReason.answered',
  'closeReason.withdrawn',
  'closeReason.duplicate',
  'closeReason.out-of-scope',
  'closeReason.referred',
  'closeReason.no-response',
  'closeReason.other',
  'actor.citizen',
  'actor.staff',
  'actor.system',
  'event.case.received',
  'event.case.registered',
  'event.deadline.planned',
  'event.deadline.recalculated',
  'event.case.assigned',
  'event.case.reassigned',
  'event.case.recategorized',
  'event.case.acknowledged',
  'event.case.answered',
  'event.deadline.extended',
  'event.case.closed',
  'event.case.dissatisfied',
  'event.case.noted',
  'event.case.read',
  'event.access.refused',
  'event.message.sent',
  'event.message.received',
  'event.step.done',
  'event.failure.recorded',
  'event.workflow.started',
  'event.enforcement.restarted',
  'event.receipt.withheld',
  'event.letter.prepared',
  'event.letter.mailed',
  'withheld.sender-unauthenticated',
  'withheld.daily-limit',
  'scope.content',
  'scope.metadata',
  'field.reference',
  'field.caseId',
  'field.category',
  'field.channel',
  'field.status',
  'field.confidential',
  'field.unit',
  'field.assignee',
  'field.receivedAt',
  'field.registeredAt',
  'field.acknowledgedAt',
  'field.promisedAnswerDate',
  'field.answeredAt',
  'field.dissatisfiedAt',
  'field.closedAt',
  'field.closeReason',
  'field.handoffCount',
  'field.attachmentCount',
  'field.scope',
  'field.requester',
  'field.email',
  'field.phone',
  'field.postalAddress',
  'field.requesterLanguage',
  'field.subject',
  'field.body',
  'field.attachments',
  'field.revision',
  'field.originalDueAt',
  'field.metAt',
  'field.dueDate',
  'field.explanation',
  'field.skipped',
  'field.calendar',
  'language.fr',
  'language.en',
  'yes',
  'no',
  'none',
  'notVisible',
  'daysLeft.zero',
  'daysLeft.one',
  'daysLeft.many',
  'overdueBy.one',
  'overdueBy.many',
  'overdue',
  'toMail',
  'letter.item',
  'letter.open',
  'attachment.download',
  'attachment.downloadNamed',
  'attachment.fromMessage',
  'attachment.notFound',
  'letter.mailedOn',
  'letter.markMailed',
  'letter.mailedDate',
  'enforcementStopped',
  'metOn',
  'due',
  'breached',
  'breachedText',
  'metLate',
  'late.zero',
  'late.one',
  'late.many',
  'field.breachedAt',
  'field.outcome',
  'outcome.pending',
  'outcome.met',
  'outcome.met-late',
  'outcome.breached',
  'skipped.saturday',
  'skipped.sunday',
  'skipped.holiday',
  'loading',
  'listed.zero',
  'listed.one',
  'listed.many',
  'loaded',
  'saved',
  'movedAway',
  'sending',
  'assignToMe',
  'assignToMe.label',
  'assignToMe.done',
  'unassigned',
  'you',
  'message.fromRequester',
  'message.fromOther',
  'message.byline',
  'message.refused',
  'error.network',
  'error.forbidden',
  'error.notFound',
  'error.server',
  'error.invalid',
  'error.unavailable',
  'error.prefix',
  'caseTitle',
  'noActions',
  'note.by',
  'notes.none',
  'template.confirmReplace',
  'template.unfilled',
  'verify.running',
  'verify.ok',
  'verify.item',
  'chain.ok',
  'chain.bad',
  'execution.none',
  'executionStatus.RUNNING',
  'executionStatus.SUCCEEDED',
  'executionStatus.FAILED',
  'executionStatus.TIMED_OUT',
  'executionStatus.ABORTED',
  'count.cases.one',
  'count.cases.other',
  'count.events.one',
  'count.events.other',
  'count.eventsRead.one',
  'count.eventsRead.other',
  'verify.bad.one',
  'verify.bad.other',
  'verify.truncated.one',
  'verify.truncated.other',
  'chronology.ledger',
  'chronology.workflow',
  'chronology.run',
  'step.IsContinuation',
  'step.Reinitialize',
  'step.Initialize',
  'step.PlanDeadlines',
  'step.RouteAndNotify',
  'step.CheckCase',
  'step.RouteByPhase',
  'step.WaitUntilAckStep',
  'step.WaitUntilAnswerStep',
  'step.WaitUntilClosingStep',
  'step.SendAckReminder',
  'step.EscalateMissingAck',
  'step.ApplyAckDeadlineAction',
  'step.SendAnswerReminder',
  'step.EscalateLateAnswer',
  'step.SendDelayNotice',
  'step.RouteDissatisfaction',
  'step.SendReviewReminder',
  'step.EscalateLateReview',
  'step.CloseCase',
  'step.ContinueAsNew',
  'step.ContinuedAsNew',
  'step.CaseClosed',
  'step.Superseded',
  'step.UnexpectedCheck',
  'step.RecordFailure',
  'step.WorkflowFailed',
  'phase.execution-started',
  'phase.execution-succeeded',
  'phase.execution-failed',
  'phase.execution-aborted',
  'phase.execution-timed-out',
  'phase.step-failed',
  'phase.step-timed-out',
  'timelineTitle',
] as const;
export type ScriptTextKey = (typeof SCRIPT_TEXT_KEYS)[number];

/** Every piece of interface text of the staff and auditor pages, once per language (one type: both complete). */
export interface StaffStrings {
  readonly skipLink: string;
  readonly languageNavLabel: string;
  readonly otherLanguageName: string;
  readonly siteName: string;
  readonly userNavLabel: string;
  readonly signOut: string;
  readonly workListLink: string;
  readonly auditLink: string;
  readonly footer: string;
  readonly required: string;
  readonly optional: string;

  readonly loginTitle: string;
  readonly loginIntro: string;
  readonly loginCognito: string;
  readonly loginRoleLegend: string;
  readonly roles: Readonly<
    Record<'agent' | 'supervisor' | 'complaints-officer' | 'auditor' | 'admin', string>
  >;
  readonly roleHints: Readonly<
    Record<'agent' | 'supervisor' | 'complaints-officer' | 'auditor' | 'admin', string>
  >;
  readonly loginSubmit: string;
  readonly loginFailed: string;

  readonly listTitle: string;
  readonly filtersTitle: string;
  readonly viewLegend: string;
  readonly viewMine: string;
  readonly viewUnit: string;
  readonly unitLabel: string;
  readonly allMyUnits: string;
  readonly statusLabel: string;
  readonly allStatuses: string;
  readonly overdueOnly: string;
  readonly toMailOnly: string;
  readonly showCases: string;
  readonly tableCaption: string;
  readonly columns: Readonly<
    Record<
      | 'reference'
      | 'category'
      | 'status'
      | 'subject'
      | 'requester'
      | 'received'
      | 'assignment'
      | 'deadlines'
      | 'acknowledgement'
      | 'answer'
      | 'actions',
      string
    >
  >;
  readonly noCases: string;
  /** The search box of every page's header. */
  readonly search: {
    readonly label: string;
    readonly hint: string;
    readonly submit: string;
  };
  /** The work list's search field, status choices beyond the open statuses, order and more rows. */
  readonly queryLabel: string;
  readonly queryHint: string;
  readonly statusClosed: string;
  readonly statusAll: string;
  readonly sortLabel: string;
  readonly sorts: Readonly<Record<'deadline' | 'received' | 'reference', string>>;
  readonly orderLabel: string;
  readonly orders: Readonly<Record<'asc' | 'desc', string>>;
  readonly moreCases: string;

  readonly caseTitle: string;
  readonly backToList: string;
  readonly metadataTitle: string;
  readonly deadlinesTitle: string;
  readonly contentTitle: string;
  readonly lettersTitle: string;
  readonly notesTitle: string;
  /** The messages received on the case after it was opened (requester's replies, attached emails). */
  readonly messagesTitle: string;
  readonly notesIntro: string;
  readonly noteText: string;
  readonly noteTextHint: string;
  readonly answerTemplate: string;
  readonly answerTemplateHint: string;
  readonly actionsTitle: string;
  /** The case page's secondary actions, folded under a disclosure so the page stays short. */
  readonly moreActions: string;
  /** The case facts beyond the key ones, folded. */
  readonly moreDetails: string;
  readonly historyTitle: string;
  readonly historyCaption: string;
  readonly historyColumns: Readonly<Record<'seq' | 'at' | 'type' | 'actor', string>>;
  readonly actions: Readonly<
    Record<
      | 'acknowledge'
      | 'answer'
      | 'extend'
      | 'reassign'
      | 'recategorize'
      | 'close'
      | 'dissatisfied'
      | 'note'
      | 'restart-enforcement',
      string
    >
  >;
  readonly actionHints: Readonly<
    Record<
      | 'acknowledge'
      | 'answer'
      | 'extend'
      | 'reassign'
      | 'recategorize'
      | 'close'
      | 'dissatisfied'
      | 'note'
      | 'restart-enforcement',
      string
    >
  >;
  readonly restartReason: string;
  readonly restartReasonHint: string;
  readonly answerBy: string;
  readonly answerByHint: string;
  readonly sentByMail: string;
  readonly answerMessage: string;
  readonly extendReason: string;
  readonly extendReasonHint: string;
  readonly reassignUnit: string;
  readonly reassignAssignee: string;
  readonly reassignAssigneeHint: string;
  readonly reassignReason: string;
  readonly reassignReasons: Readonly<
    Record<
      | 'misrouted'
      | 'expertise'
      | 'workload'
      | 'absence'
      | 'conflict-of-interest'
      | 'escalation'
      | 'other'
      | 'self-assigned',
      string
    >
  >;
  readonly recategorizeCategory: string;
  readonly recategorizeCategoryHint: string;
  readonly recategorizeReason: string;
  readonly recategorizeReasons: Readonly<
    Record<
      'wrong-mailbox' | 'wrong-form-choice' | 'content-reviewed' | 'requester-clarified' | 'other',
      string
    >
  >;
  readonly closeOutcome: string;
  readonly dissatisfiedChannel: string;
  readonly dissatisfiedNote: string;
  readonly choose: string;

  readonly auditTitle: string;
  readonly auditIntro: string;
  readonly verifyTitle: string;
  readonly verifyIntro: string;
  readonly verifyButton: string;
  readonly lookupTitle: string;
  readonly lookupLabel: string;
  readonly lookupHint: string;
  readonly lookupButton: string;
  readonly auditDeadlinesCaption: string;
  readonly auditDeadlineColumns: Readonly<
    Record<
      'kind' | 'dueDate' | 'revision' | 'originalDueAt' | 'metAt' | 'overdue' | 'outcome' | 'explanation',
      string
    >
  >;
  readonly eventsTitle: string;
  readonly eventsCaption: string;
  readonly eventColumns: Readonly<
    Record<'at' | 'source' | 'what' | 'by' | 'seq' | 'hash' | 'prevHash', string>
  >;
  readonly executionsTitle: string;
  readonly executionsCaption: string;
  readonly executionColumns: Readonly<Record<'name' | 'status' | 'started' | 'stopped', string>>;

  readonly script: Readonly<Record<ScriptTextKey, string>>;
}

const NBSP = '\u00a0';

const FR: StaffStrings = {
  skipLink: 'Passer au contenu principal',
  languageNavLabel: 'Langue',
  otherLanguageName: 'English',
  siteName: 'Jalon – Espace du personnel',
  userNavLabel: 'Session',
  signOut: 'Se déconnecter',
  workListLink: 'Liste de travail',
  auditLink: 'Vérification',
  footer: 'Jalon – suivi des engagements de service. Usage réservé au personnel autorisé.',
  required: 'obligatoire',
  optional: 'facultatif',

  loginTitle: 'Connexion',
  loginIntro: `Environnement local${NBSP}: choisissez un rôle de démonstration pour ouvrir une session.`,
  loginCognito:
    'En production (AWS), la connexion se fait par Amazon Cognito avec votre compte de l’organisation; cet écran n’existe pas.',
  loginRoleLegend: 'Rôle de démonstration',
  roles: {
    agent: 'Agent',
    supervisor: 'Superviseure',
    'complaints-officer': 'Responsable des plaintes',
    auditor: 'Vérificateur',
    admin: 'Administrateur',
  },
  roleHints: {
    agent: 'Traite les dossiers des unités Statistiques et Politiques de gestion.',
    supervisor: 'Supervise toutes les unités de demandes.',
    'complaints-officer': 'Traite les plaintes et les commentaires, de façon confidentielle.',
    auditor: 'Consulte l’historique et vérifie l’intégrité du registre, sans voir le contenu.',
    admin:
      'Administre le système et répare les assignations; voit les métadonnées des dossiers, jamais leur contenu.',
  },
  loginSubmit: 'Se connecter',
  loginFailed: 'La connexion a échoué. Réessayez.',

  listTitle: 'Liste de travail',
  filtersTitle: 'Filtres',
  viewLegend: 'Vue',
  viewMine: 'Mes dossiers',
  viewUnit: 'Mon unité',
  unitLabel: 'Unité',
  allMyUnits: 'Toutes mes unités',
  statusLabel: 'Statut',
  allStatuses: 'Tous les statuts ouverts',
  overdueOnly: 'En retard seulement',
  toMailOnly: 'Lettres à poster seulement',
  showCases: 'Afficher',
  tableCaption: 'Dossiers ouverts, les retards d’abord, puis par échéance',
  columns: {
    reference: 'Référence',
    category: 'Catégorie',
    status: 'Statut',
    subject: 'Objet',
    requester: 'Demandeur',
    received: 'Reçu le',
    assignment: 'Unité et personne assignée',
    deadlines: 'Échéances',
    acknowledgement: 'Accusé de réception dû',
    answer: 'Réponse due',
    actions: 'Actions',
  },
  noCases: 'Aucun dossier ne correspond à ces filtres.',
  search: {
    label: 'Trouver un dossier',
    hint: `Référence (SCT-2026-000123), nom ou courriel du demandeur, mots de l’objet`,
    submit: 'Rechercher',
  },
  queryLabel: 'Recherche',
  queryHint: `Référence, nom ou courriel du demandeur, mots de l’objet (début des mots, accents et majuscules ignorés). Une recherche porte sur les dossiers ouverts et fermés.`,
  statusClosed: 'Dossiers fermés',
  statusAll: 'Ouverts et fermés (recherche)',
  sortLabel: 'Trier par',
  sorts: { deadline: 'Échéance', received: 'Date de réception', reference: 'Référence' },
  orderLabel: 'Ordre',
  orders: { asc: 'Croissant', desc: 'Décroissant' },
  moreCases: 'Afficher plus de dossiers',

  caseTitle: 'Dossier',
  backToList: 'Retour à la liste de travail',
  metadataTitle: 'Renseignements',
  deadlinesTitle: 'Échéances',
  contentTitle: 'Contenu',
  lettersTitle: 'Lettres au demandeur',
  notesTitle: 'Notes internes',
  messagesTitle: 'Messages reçus au dossier',
  notesIntro:
    'Réservées au personnel qui a accès au contenu du dossier; jamais envoyées au demandeur. Chaque note est consignée au registre du dossier.',
  noteText: 'Texte de la note',
  noteTextHint: `Jusqu’à 5${NBSP}000 caractères; les sauts de ligne sont conservés.`,
  answerTemplate: 'Partir d’un modèle',
  answerTemplateHint:
    'Remplit la réponse avec le texte du modèle, dans la langue du demandeur. Relisez-le et complétez-le avant l’envoi.',
  actionsTitle: 'Actions',
  moreActions: 'Autres actions',
  moreDetails: 'Tous les renseignements',
  historyTitle: 'Historique',
  historyCaption: 'Événements du registre, du plus ancien au plus récent',
  historyColumns: { seq: 'N°', at: 'Date et heure (Québec)', type: 'Événement', actor: 'Par' },
  actions: {
    acknowledge: 'Accuser réception',
    answer: 'Répondre',
    extend: 'Prolonger le délai de réponse',
    reassign: 'Réassigner',
    recategorize: 'Changer de catégorie',
    close: 'Fermer le dossier',
    dissatisfied: 'Consigner l’insatisfaction',
    note: 'Ajouter la note',
    'restart-enforcement': 'Relancer le suivi des délais',
  },
  actionHints: {
    acknowledge:
      'Envoie l’accusé de réception officiel au demandeur, avec la référence et la date de réponse promise.',
    answer: 'Envoie la réponse au demandeur.',
    extend: 'Reporte la date de réponse promise; le demandeur reçoit un avis avec le motif.',
    reassign: 'Confie le dossier à une autre unité ou personne.',
    recategorize:
      'Classe le dossier dans une autre catégorie : il passe à l’unité de cette catégorie, en suit la confidentialité et les délais de réponse; l’échéance de l’accusé de réception n’est jamais raccourcie.',
    close: 'Ferme le dossier avec son motif.',
    dissatisfied: 'Le demandeur s’est dit insatisfait de la réponse.',
    note: 'Pour garder trace d’un appel, d’une visite ou d’une démarche. Votre nom et l’heure sont notés.',
    'restart-enforcement': `Le processus qui envoie rappels, escalades et accusé automatique s’est arrêté sur une erreur. Relancez-le une fois la cause corrigée${NBSP}: les étapes déjà faites ne seront pas refaites.`,
  },
  answerBy: 'Date de réponse promise',
  answerByHint: 'Un jour ouvrable, au plus tard à l’échéance maximale de la catégorie.',
  sentByMail: 'Envoyé par la poste (lettre)',
  answerMessage: 'Réponse',
  extendReason: 'Motif de la prolongation',
  extendReasonHint: 'Le demandeur lira ce motif.',
  restartReason: 'Motif de la relance',
  restartReasonHint: 'Par exemple la cause de l’échec et sa correction; consigné au registre du dossier.',
  reassignUnit: 'Unité',
  reassignAssignee: 'Personne',
  reassignAssigneeHint: 'Identifiant de la personne dans l’unité.',
  reassignReason: 'Motif',
  reassignReasons: {
    misrouted: 'Mal acheminé',
    expertise: 'Expertise requise',
    workload: 'Charge de travail',
    absence: 'Absence',
    'conflict-of-interest': 'Conflit d’intérêts',
    'self-assigned': 'Assignation à soi-même',
    escalation: 'Escalade',
    other: 'Autre',
  },
  recategorizeCategory: 'Nouvelle catégorie',
  recategorizeCategoryHint:
    'Une plainte ou un commentaire devient confidentiel aussitôt; seul le responsable des plaintes peut en sortir un dossier.',
  recategorizeReason: 'Motif',
  recategorizeReasons: {
    'wrong-mailbox': 'Envoyé à la mauvaise adresse',
    'wrong-form-choice': 'Mauvais choix dans le formulaire',
    'content-reviewed': 'Après lecture de la demande',
    'requester-clarified': 'Précision du demandeur',
    other: 'Autre',
  },
  closeOutcome: 'Motif de fermeture',
  dissatisfiedChannel: 'Moyen utilisé par le demandeur',
  dissatisfiedNote: 'Note',
  choose: 'Choisir…',

  auditTitle: 'Vérification',
  auditIntro:
    'Historique complet des dossiers et intégrité du registre. Le contenu des dossiers n’est pas affiché.',
  verifyTitle: 'Intégrité du registre',
  verifyIntro: 'Recalcule la chaîne d’empreintes de chaque dossier et signale la première rupture.',
  verifyButton: 'Vérifier le registre',
  lookupTitle: 'Consulter un dossier',
  lookupLabel: 'Identifiant du dossier',
  lookupHint: 'Tel qu’il figure dans les courriels et les rapports.',
  lookupButton: 'Afficher la chronologie',
  auditDeadlinesCaption: 'Échéances et leur calcul',
  auditDeadlineColumns: {
    kind: 'Échéance',
    dueDate: 'Date due',
    revision: 'Révision',
    originalDueAt: 'Échéance initiale',
    metAt: 'Respectée le',
    overdue: 'En retard',
    outcome: 'Résultat',
    explanation: 'Explication',
  },
  eventsTitle: 'Chronologie',
  eventsCaption:
    'Événements du registre (avec leurs empreintes) et étapes du flux de travail, dans l’ordre du temps',
  eventColumns: {
    at: 'Date et heure (Québec)',
    source: 'Origine',
    what: 'Événement ou étape',
    by: 'Par',
    seq: 'N°',
    hash: 'Empreinte',
    prevHash: 'Empreinte précédente',
  },
  executionsTitle: 'Exécutions du flux de travail',
  executionsCaption: 'Exécutions du flux de travail de ce dossier, la première en premier',
  executionColumns: { name: 'Exécution', status: 'État', started: 'Début', stopped: 'Fin' },

  script: {
    'status.received': 'Reçu',
    'status.acknowledged': 'Accusé',
    'status.answered': 'Répondu',
    'status.dissatisfied': 'Insatisfaction',
    'status.closed': 'Fermé',
    'channel.web': 'Formulaire Web',
    'channel.email': 'Courriel',
    'channel.mail': 'Poste',
    'channel.phone': 'Téléphone',
    'channel.in-person': 'En personne',
    'deadline.acknowledgement': 'Accusé de réception',
    'deadline.answer': 'Réponse',
    'deadline.review': 'Réexamen (insatisfaction)',
    'closeReason.answered': 'Répondu',
    'closeReason.withdrawn': 'Retiré',
    'closeReason.duplicate': 'Doublon',
    'closeReason.out-of-scope': 'Hors mandat',
    'closeReason.referred': 'Dirigé ailleurs',
    'closeReason.no-response': 'Sans suite du demandeur',
    'closeReason.other': 'Autre',
    'actor.citizen': 'Demandeur',
    'actor.staff': 'Personnel',
    'actor.system': 'Système',
    'event.case.received': 'Demande reçue',
    'event.case.registered': 'Dossier enregistré',
    'event.deadline.planned': 'Échéance calculée',
    'event.deadline.recalculated': 'Échéance recalculée',
    'event.case.assigned': 'Dossier assigné',
    'event.case.reassigned': 'Dossier réassigné',
    'event.case.recategorized': 'Catégorie changée',
    'event.case.acknowledged': 'Accusé de réception envoyé',
    'event.case.answered': 'Réponse envoyée',
    'event.deadline.extended': 'Délai prolongé',
    'event.case.closed': 'Dossier fermé',
    'event.case.dissatisfied': 'Insatisfaction consignée',
    'event.case.noted': 'Note interne ajoutée',
    'event.case.read': 'Dossier consulté',
    'event.access.refused': 'Accès refusé',
    'event.message.sent': 'Message envoyé',
    'event.message.received': 'Message reçu',
    'event.step.done': 'Étape du flux terminée',
    'event.failure.recorded': 'Échec consigné',
    'event.workflow.started': 'Suivi des délais démarré',
    'event.enforcement.restarted': 'Suivi des délais relancé',
    'event.receipt.withheld': 'Confirmation automatique non envoyée',
    'event.letter.prepared': 'Lettre préparée (à poster)',
    'event.letter.mailed': 'Lettre postée',
    'withheld.sender-unauthenticated':
      'le serveur de réception n’a pas pu authentifier l’expéditeur (DMARC ou SPF en échec)',
    'withheld.daily-limit': 'limite quotidienne de confirmations automatiques atteinte pour cette adresse',
    'scope.content': 'Contenu complet',
    'scope.metadata': 'Métadonnées seulement',
    'field.reference': 'Référence',
    'field.caseId': 'Identifiant',
    'field.category': 'Catégorie',
    'field.channel': 'Canal',
    'field.status': 'Statut',
    'field.confidential': 'Confidentiel',
    'field.unit': 'Unité',
    'field.assignee': 'Personne assignée',
    'field.receivedAt': 'Reçu le',
    'field.registeredAt': 'Enregistré le',
    'field.acknowledgedAt': 'Accusé le',
    'field.promisedAnswerDate': 'Réponse promise pour le',
    'field.answeredAt': 'Répondu le',
    'field.dissatisfiedAt': 'Insatisfaction le',
    'field.closedAt': 'Fermé le',
    'field.closeReason': 'Motif de fermeture',
    'field.handoffCount': 'Nombre de transferts',
    'field.attachmentCount': 'Pièces jointes',
    'field.scope': 'Votre accès',
    'field.requester': 'Demandeur',
    'field.email': 'Courriel',
    'field.phone': 'Téléphone',
    'field.postalAddress': 'Adresse postale',
    'field.requesterLanguage': 'Langue de correspondance',
    'field.subject': 'Objet',
    'field.body': 'Message',
    'field.attachments': 'Fichiers joints',
    'field.revision': 'Révision',
    'field.originalDueAt': 'Échéance initiale',
    'field.metAt': 'Respectée le',
    'field.dueDate': 'Date due',
    'field.explanation': 'Explication du calcul',
    'field.skipped': 'Jours non ouvrables sautés',
    'field.calendar': 'Calendrier',
    'language.fr': 'Français',
    'language.en': 'Anglais',
    yes: 'Oui',
    no: 'Non',
    none: 'Aucun',
    notVisible: 'Non visible avec votre accès',
    'daysLeft.zero': 'dû aujourd’hui',
    'daysLeft.one': '1 jour ouvrable restant',
    'daysLeft.many': '{n} jours ouvrables restants',
    'overdueBy.one': 'en retard de 1 jour ouvrable',
    'overdueBy.many': 'en retard de {n} jours ouvrables',
    overdue: 'En retard',
    toMail: 'Lettres à poster\u00a0: {n}',
    'letter.item': '{template}, préparée le {date}',
    'letter.open': 'Ouvrir la lettre (PDF)',
    'attachment.download': 'Télécharger',
    'attachment.downloadNamed': 'Télécharger {filename}',
    'attachment.fromMessage': '— message reçu le {date}',
    'attachment.notFound': 'Ce fichier est introuvable dans ce dossier; rechargez la page.',
    'letter.mailedOn': 'Postée le {date}',
    'letter.markMailed': 'Consigner la mise à la poste',
    'letter.mailedDate': 'Date de mise à la poste',
    enforcementStopped: 'Délais non suivis',
    metOn: 'respectée le {date}',
    due: '{date}, {days}',
    breached: 'Délai non respecté',
    breachedText: 'non respectée : échéance dépassée le {date}, {late}',
    metLate: 'respectée en retard le {date} (échéance dépassée le {due}, {late})',
    'late.zero': 'moins d’un jour ouvrable de retard',
    'late.one': '1 jour ouvrable de retard',
    'late.many': '{n} jours ouvrables de retard',
    'field.breachedAt': 'Échéance dépassée le',
    'field.outcome': 'Résultat',
    'outcome.pending': 'En cours',
    'outcome.met': 'Respectée à temps',
    'outcome.met-late': 'Respectée en retard',
    'outcome.breached': 'Non respectée',
    'skipped.saturday': 'samedi',
    'skipped.sunday': 'dimanche',
    'skipped.holiday': 'jour férié',
    loading: 'Chargement…',
    'listed.zero': 'Aucun dossier.',
    'listed.one': '1 dossier affiché.',
    'listed.many': '{n} dossiers affichés.',
    loaded: 'Dossier chargé.',
    saved: 'Action enregistrée; le dossier a été rechargé.',
    movedAway:
      'Catégorie changée : le dossier est maintenant traité par une autre unité, ou il est confidentiel; vous ne le voyez plus.',
    sending: 'Envoi en cours…',
    assignToMe: 'M’assigner',
    'assignToMe.label': 'M’assigner le dossier {reference}',
    'assignToMe.done': 'Le dossier {reference} vous est assigné.',
    unassigned: 'Non assigné',
    you: 'vous',
    'message.fromRequester': 'Le demandeur',
    'message.fromOther': 'Autre expéditeur',
    'message.byline': '{from}, le {date}',
    'message.refused': 'Fichier refusé : {name} ({reason})',
    'error.network': `Le serveur ne répond pas. Vérifiez votre connexion et réessayez.`,
    'error.forbidden': 'Vous n’avez pas l’autorisation de voir ceci ou de faire cette action.',
    'error.notFound': 'Aucun dossier ne correspond à cet identifiant.',
    'error.server': 'Une erreur est survenue; réessayez plus tard.',
    'error.invalid': 'Corrigez les champs indiqués.',
    'error.unavailable': 'Ce service n’est pas offert par ce serveur pour le moment.',
    'error.prefix': `Erreur${NBSP}:`,
    caseTitle: 'Dossier {reference}',
    noActions: 'Aucune action n’est possible pour vous sur ce dossier dans son état actuel.',
    'note.by': 'Par {author}, le {date}',
    'notes.none': 'Aucune note interne.',
    'template.confirmReplace': 'Remplacer le texte déjà saisi par le modèle «\u00a0{title}\u00a0»?',
    'template.unfilled': 'À compléter dans le texte\u00a0: {names}',
    'verify.running': 'Vérification en cours…',
    'verify.ok': `Registre intact${NBSP}: {cases} et {events} vérifiés.`,
    'verify.item': 'Dossier {caseId}, événement n° {seq} ({problem})',
    'chain.ok': 'Chaîne d’empreintes de ce dossier intacte.',
    'chain.bad': `Chaîne d’empreintes rompue à l’événement n° {seq}${NBSP}: {problem}.`,
    'execution.none': 'Aucune exécution trouvée.',
    'executionStatus.RUNNING': 'En cours',
    'executionStatus.SUCCEEDED': 'Terminée',
    'executionStatus.FAILED': 'En échec',
    'executionStatus.TIMED_OUT': 'Expirée',
    'executionStatus.ABORTED': 'Arrêtée',
    'count.cases.one': '{n} dossier',
    'count.cases.other': '{n} dossiers',
    'count.events.one': '{n} événement',
    'count.events.other': '{n} événements',
    'count.eventsRead.one': '{n} événement lu',
    'count.eventsRead.other': '{n} événements lus',
    'verify.bad.one': `Registre rompu${NBSP}: {count} sur {cases} échoue à la vérification ({events}).`,
    'verify.bad.other': `Registre rompu${NBSP}: {count} sur {cases} échouent à la vérification ({events}).`,
    'verify.truncated.one': 'Seul le premier est listé.',
    'verify.truncated.other': 'Seuls les {shown} premiers sont listés.',
    'chronology.ledger': 'Registre',
    'chronology.workflow': 'Flux de travail',
    'chronology.run': 'Exécution {generation}',
    'step.IsContinuation': 'Reprise d’une exécution précédente?',
    'step.Reinitialize': 'Reprise des données de l’exécution précédente',
    'step.Initialize': 'Initialisation',
    'step.PlanDeadlines': 'Calcul des échéances',
    'step.RouteAndNotify': 'Acheminement et avis à l’unité',
    'step.CheckCase': 'Vérification du dossier',
    'step.RouteByPhase': 'Choix de l’étape suivante',
    'step.WaitUntilAckStep': 'Attente de la prochaine étape de l’accusé de réception',
    'step.WaitUntilAnswerStep': 'Attente de la prochaine étape de la réponse',
    'step.WaitUntilClosingStep': 'Attente de la fermeture',
    'step.SendAckReminder': `Rappel${NBSP}: accusé de réception à envoyer`,
    'step.EscalateMissingAck': `Escalade${NBSP}: accusé de réception manquant`,
    'step.ApplyAckDeadlineAction': 'Action à l’échéance de l’accusé de réception',
    'step.SendAnswerReminder': `Rappel${NBSP}: réponse à donner`,
    'step.EscalateLateAnswer': `Escalade${NBSP}: réponse en retard`,
    'step.SendDelayNotice': 'Avis de retard au demandeur',
    'step.RouteDissatisfaction': 'Insatisfaction confiée au responsable des plaintes',
    'step.SendReviewReminder': `Rappel${NBSP}: réexamen à terminer`,
    'step.EscalateLateReview': `Escalade${NBSP}: réexamen en retard`,
    'step.CloseCase': 'Fermeture du dossier',
    'step.ContinueAsNew': 'Passage à une nouvelle exécution',
    'step.ContinuedAsNew': 'Poursuivi dans une nouvelle exécution',
    'step.CaseClosed': 'Dossier fermé',
    'step.Superseded': 'Remplacée par une exécution plus récente',
    'step.UnexpectedCheck': 'Résultat de vérification inattendu',
    'step.RecordFailure': 'Consignation de l’échec',
    'step.WorkflowFailed': 'Flux de travail en échec',
    'phase.execution-started': 'Début de l’exécution {name}',
    'phase.execution-succeeded': 'Fin de l’exécution {name}',
    'phase.execution-failed': 'Échec de l’exécution {name}',
    'phase.execution-aborted': 'Exécution {name} arrêtée',
    'phase.execution-timed-out': 'Exécution {name} expirée',
    'phase.step-failed': 'Échec d’une tâche',
    'phase.step-timed-out': 'Tâche expirée',
    timelineTitle: 'Chronologie du dossier {reference}',
  },
};

const EN: StaffStrings = {
  skipLink: 'Skip to main content',
  languageNavLabel: 'Language',
  otherLanguageName: 'Français',
  siteName: 'Jalon – Staff workspace',
  userNavLabel: 'Session',
  signOut: 'Sign out',
  workListLink: 'Work list',
  auditLink: 'Audit',
  footer: 'Jalon – service commitment tracking. For authorized staff only.',
  required: 'required',
  optional: 'optional',

  loginTitle: 'Sign in',
  loginIntro: 'Local environment: choose a demo role to open a session.',
  loginCognito:
    'In production (AWS), you sign in through Amazon Cognito with your organization account; this screen does not exist there.',
  loginRoleLegend: 'Demo role',
  roles: {
    agent: 'Agent',
    supervisor: 'Supervisor',
    'complaints-officer': 'Complaints officer',
    auditor: 'Auditor',
    admin: 'Administrator',
  },
  roleHints: {
    agent: 'Handles the cases of the Statistics and Management policies units.',
    supervisor: 'Supervises every request unit.',
    'complaints-officer': 'Handles complaints and comments, confidentially.',
    auditor: 'Reads the history and verifies the ledger, without seeing the content.',
    admin: 'Runs the system and repairs assignments; sees case metadata, never case content.',
  },
  loginSubmit: 'Sign in',
  loginFailed: 'Sign-in failed. Please try again.',

  listTitle: 'Work list',
  filtersTitle: 'Filters',
  viewLegend: 'View',
  viewMine: 'My cases',
  viewUnit: 'My unit',
  unitLabel: 'Unit',
  allMyUnits: 'All my units',
  statusLabel: 'Status',
  allStatuses: 'All open statuses',
  overdueOnly: 'Overdue only',
  toMailOnly: 'Letters to mail only',
  showCases: 'Show',
  tableCaption: 'Open cases, overdue first, then by deadline',
  columns: {
    reference: 'Reference',
    category: 'Category',
    status: 'Status',
    subject: 'Subject',
    requester: 'Requester',
    received: 'Received',
    assignment: 'Unit and assignee',
    deadlines: 'Deadlines',
    acknowledgement: 'Acknowledgement due',
    answer: 'Answer due',
    actions: 'Actions',
  },
  noCases: 'No case matches these filters.',
  search: {
    label: 'Find a case',
    hint: 'Reference (SCT-2026-000123), requester’s name or email, words of the subject',
    submit: 'Search',
  },
  queryLabel: 'Search',
  queryHint:
    'Reference, requester’s name or email, words of the subject (beginnings of words; accents and capitals ignored). A search covers open and closed cases.',
  statusClosed: 'Closed cases',
  statusAll: 'Open and closed (search)',
  sortLabel: 'Sort by',
  sorts: { deadline: 'Deadline', received: 'Date received', reference: 'Reference' },
  orderLabel: 'Order',
  orders: { asc: 'Ascending', desc: 'Descending' },
  moreCases: 'Show more cases',

  caseTitle: 'Case',
  backToList: 'Back to the work list',
  metadataTitle: 'Details',
  deadlinesTitle: 'Deadlines',
  contentTitle: 'Content',
  lettersTitle: 'Letters to the requester',
  notesTitle: 'Internal notes',
  messagesTitle: 'Messages received on the case',
  notesIntro:
    'For staff who may read the case’s content only; never sent to the requester. Each note is recorded in the case’s ledger.',
  noteText: 'Note text',
  noteTextHint: 'Up to 5,000 characters; line breaks are kept.',
  answerTemplate: 'Start from a template',
  answerTemplateHint:
    'Fills the answer with the template’s text, in the requester’s language. Read it over and complete it before sending.',
  actionsTitle: 'Actions',
  moreActions: 'More actions',
  moreDetails: 'All details',
  historyTitle: 'History',
  historyCaption: 'Ledger events, oldest first',
  historyColumns: { seq: 'No.', at: 'Date and time (Québec)', type: 'Event', actor: 'By' },
  actions: {
    acknowledge: 'Acknowledge',
    answer: 'Answer',
    extend: 'Extend the answer deadline',
    reassign: 'Reassign',
    recategorize: 'Change category',
    close: 'Close the case',
    dissatisfied: 'Record dissatisfaction',
    note: 'Add the note',
    'restart-enforcement': 'Restart deadline enforcement',
  },
  actionHints: {
    acknowledge:
      'Sends the official acknowledgement to the requester, with the reference and the promised answer date.',
    answer: 'Sends the answer to the requester.',
    extend: 'Moves the promised answer date; the requester gets a notice with the reason.',
    reassign: 'Hands the case to another unit or person.',
    recategorize:
      'Files the case under another category: it goes to that category’s unit and follows its confidentiality and answer delays; the acknowledgement deadline is never shortened.',
    close: 'Closes the case with its reason.',
    dissatisfied: 'The requester said the answer does not satisfy them.',
    note: 'To keep track of a call, a visit or a step taken. Your name and the time are recorded.',
    'restart-enforcement':
      'The process that sends reminders, escalations and the automatic acknowledgement stopped on an error. Restart it once the cause is fixed: steps already done will not be done again.',
  },
  answerBy: 'Promised answer date',
  answerByHint: 'A business day, no later than the category’s maximum delay.',
  sentByMail: 'Sent by mail (letter)',
  answerMessage: 'Answer',
  extendReason: 'Reason for the extension',
  extendReasonHint: 'The requester will read this reason.',
  restartReason: 'Reason for the restart',
  restartReasonHint: 'For instance the cause of the failure and its fix; kept in the case’s ledger.',
  reassignUnit: 'Unit',
  reassignAssignee: 'Person',
  reassignAssigneeHint: 'The person’s id in the unit.',
  reassignReason: 'Reason',
  reassignReasons: {
    misrouted: 'Misrouted',
    expertise: 'Expertise needed',
    workload: 'Workload',
    absence: 'Absence',
    'conflict-of-interest': 'Conflict of interest',
    'self-assigned': 'Assigned to oneself',
    escalation: 'Escalation',
    other: 'Other',
  },
  recategorizeCategory: 'New category',
  recategorizeCategoryHint:
    'A complaint or a comment is confidential at once; only the complaints officer can move a case out of them.',
  recategorizeReason: 'Reason',
  recategorizeReasons: {
    'wrong-mailbox': 'Sent to the wrong address',
    'wrong-form-choice': 'Wrong choice in the form',
    'content-reviewed': 'On reading the request',
    'requester-clarified': 'The requester clarified',
    other: 'Other',
  },
  closeOutcome: 'Reason for closing',
  dissatisfiedChannel: 'How the requester said it',
  dissatisfiedNote: 'Note',
  choose: 'Choose…',

  auditTitle: 'Audit',
  auditIntro: 'Complete history of the cases and ledger integrity. Case content is not shown.',
  verifyTitle: 'Ledger integrity',
  verifyIntro: 'Recomputes the hash chain of every case and reports the first break.',
  verifyButton: 'Verify the ledger',
  lookupTitle: 'Look up a case',
  lookupLabel: 'Case id',
  lookupHint: 'As it appears in emails and reports.',
  lookupButton: 'Show the timeline',
  auditDeadlinesCaption: 'Deadlines and how they were computed',
  auditDeadlineColumns: {
    kind: 'Deadline',
    dueDate: 'Due date',
    revision: 'Revision',
    originalDueAt: 'Original deadline',
    metAt: 'Met on',
    overdue: 'Overdue',
    outcome: 'Outcome',
    explanation: 'Explanation',
  },
  eventsTitle: 'Chronology',
  eventsCaption: 'Ledger events (with their hashes) and workflow steps, in order of time',
  eventColumns: {
    at: 'Date and time (Québec)',
    source: 'Source',
    what: 'Event or step',
    by: 'By',
    seq: 'No.',
    hash: 'Hash',
    prevHash: 'Previous hash',
  },
  executionsTitle: 'Workflow runs',
  executionsCaption: 'The workflow runs of this case, first first',
  executionColumns: { name: 'Run', status: 'Status', started: 'Started', stopped: 'Stopped' },

  script: {
    'status.received': 'Received',
    'status.acknowledged': 'Acknowledged',
    'status.answered': 'Answered',
    'status.dissatisfied': 'Dissatisfied',
    'status.closed': 'Closed',
    'channel.web': 'Web form',
    'channel.email': 'Email',
    'channel.mail': 'Mail',
    'channel.phone': 'Phone',
    'channel.in-person': 'In person',
    'deadline.acknowledgement': 'Acknowledgement',
    'deadline.answer': 'Answer',
    'deadline.review': 'Review (dissatisfaction)',
    'closeReason.answered': 'Answered',
    'closeReason.withdrawn': 'Withdrawn',
    'closeReason.duplicate': 'Duplicate',
    'closeReason.out-of-scope': 'Out of scope',
    'closeReason.referred': 'Referred elsewhere',
    'closeReason.no-response': 'No response from the requester',
    'closeReason.other': 'Other',
    'actor.citizen': 'Requester',
    'actor.staff': 'Staff',
    'actor.system': 'System',
    'event.case.received': 'Request received',
    'event.case.registered': 'Case registered',
    'event.deadline.planned': 'Deadline computed',
    'event.deadline.recalculated': 'Deadline recomputed',
    'event.case.assigned': 'Case assigned',
    'event.case.reassigned': 'Case reassigned',
    'event.case.recategorized': 'Category changed',
    'event.case.acknowledged': 'Acknowledgement sent',
    'event.case.answered': 'Answer sent',
    'event.deadline.extended': 'Deadline extended',
    'event.case.closed': 'Case closed',
    'event.case.dissatisfied': 'Dissatisfaction recorded',
    'event.case.noted': 'Internal note added',
    'event.case.read': 'Case read',
    'event.access.refused': 'Access refused',
    'event.message.sent': 'Message sent',
    'event.message.received': 'Message received',
    'event.step.done': 'Workflow step done',
    'event.failure.recorded': 'Failure recorded',
    'event.workflow.started': 'Deadline enforcement started',
    'event.enforcement.restarted': 'Deadline enforcement restarted',
    'event.receipt.withheld': 'Automatic receipt not sent',
    'event.letter.prepared': 'Letter prepared (to mail)',
    'event.letter.mailed': 'Letter mailed',
    'withheld.sender-unauthenticated':
      'the receiving server could not authenticate the sender (DMARC or SPF failed)',
    'withheld.daily-limit': 'daily limit of automatic receipts reached for this address',
    'scope.content': 'Full content',
    'scope.metadata': 'Metadata only',
    'field.reference': 'Reference',
    'field.caseId': 'Id',
    'field.category': 'Category',
    'field.channel': 'Channel',
    'field.status': 'Status',
    'field.confidential': 'Confidential',
    'field.unit': 'Unit',
    'field.assignee': 'Assigned to',
    'field.receivedAt': 'Received',
    'field.registeredAt': 'Registered',
    'field.acknowledgedAt': 'Acknowledged',
    'field.promisedAnswerDate': 'Answer promised for',
    'field.answeredAt': 'Answered',
    'field.dissatisfiedAt': 'Dissatisfaction',
    'field.closedAt': 'Closed',
    'field.closeReason': 'Reason for closing',
    'field.handoffCount': 'Hand-offs',
    'field.attachmentCount': 'Attachments',
    'field.scope': 'Your access',
    'field.requester': 'Requester',
    'field.email': 'Email',
    'field.phone': 'Phone',
    'field.postalAddress': 'Postal address',
    'field.requesterLanguage': 'Correspondence language',
    'field.subject': 'Subject',
    'field.body': 'Message',
    'field.attachments': 'Attached files',
    'field.revision': 'Revision',
    'field.originalDueAt': 'Original deadline',
    'field.metAt': 'Met on',
    'field.dueDate': 'Due date',
    'field.explanation': 'How it was computed',
    'field.skipped': 'Non-business days skipped',
    'field.calendar': 'Calendar',
    'language.fr': 'French',
    'language.en': 'English',
    yes: 'Yes',
    no: 'No',
    none: 'None',
    notVisible: 'Not visible with your access',
    'daysLeft.zero': 'due today',
    'daysLeft.one': '1 business day left',
    'daysLeft.many': '{n} business days left',
    'overdueBy.one': 'overdue by 1 business day',
    'overdueBy.many': 'overdue by {n} business days',
    overdue: 'Overdue',
    toMail: 'Letters to mail: {n}',
    'letter.item': '{template}, prepared on {date}',
    'letter.open': 'Open the letter (PDF)',
    'attachment.download': 'Download',
    'attachment.downloadNamed': 'Download {filename}',
    'attachment.fromMessage': '— message received {date}',
    'attachment.notFound': 'This file cannot be found on this case; reload the page.',
    'letter.mailedOn': 'Mailed on {date}',
    'letter.markMailed': 'Record the mailing',
    'letter.mailedDate': 'Mailing date',
    enforcementStopped: 'Deadlines not enforced',
    metOn: 'met on {date}',
    due: '{date}, {days}',
    breached: 'Deadline breached',
    breachedText: 'not met: deadline passed on {date}, {late}',
    metLate: 'met late on {date} (deadline passed on {due}, {late})',
    'late.zero': 'less than a business day late',
    'late.one': '1 business day late',
    'late.many': '{n} business days late',
    'field.breachedAt': 'Deadline passed on',
    'field.outcome': 'Outcome',
    'outcome.pending': 'Pending',
    'outcome.met': 'Met on time',
    'outcome.met-late': 'Met late',
    'outcome.breached': 'Breached',
    'skipped.saturday': 'Saturday',
    'skipped.sunday': 'Sunday',
    'skipped.holiday': 'holiday',
    loading: 'Loading…',
    'listed.zero': 'No cases.',
    'listed.one': '1 case shown.',
    'listed.many': '{n} cases shown.',
    loaded: 'Case loaded.',
    saved: 'Action recorded; the case was reloaded.',
    movedAway:
      'Category changed: the case is now handled by another unit, or it is confidential; you no longer see it.',
    sending: 'Sending…',
    assignToMe: 'Assign to me',
    'assignToMe.label': 'Assign to me: case {reference}',
    'assignToMe.done': 'Case {reference} is now assigned to you.',
    unassigned: 'Unassigned',
    you: 'you',
    'message.fromRequester': 'The requester',
    'message.fromOther': 'Other sender',
    'message.byline': '{from}, on {date}',
    'message.refused': 'Refused file: {name} ({reason})',
    'error.network': 'The server does not answer. Check your connection and try again.',
    'error.forbidden': 'You are not allowed to see this or to do this action.',
    'error.notFound': 'No case matches this id.',
    'error.server': 'Something went wrong; please try again later.',
    'error.invalid': 'Correct the fields shown.',
    'error.unavailable': 'This service is not offered by this server at the moment.',
    'error.prefix': 'Error:',
    caseTitle: 'Case {reference}',
    noActions: 'No action is open to you on this case in its current state.',
    'note.by': 'By {author}, on {date}',
    'notes.none': 'No internal notes.',
    'template.confirmReplace': 'Replace the text already typed with the template “{title}”?',
    'template.unfilled': 'To complete in the text: {names}',
    'verify.running': 'Verifying…',
    'verify.ok': 'Ledger intact: {cases} and {events} verified.',
    'verify.item': 'Case {caseId}, event no. {seq} ({problem})',
    'chain.ok': 'This case’s hash chain is intact.',
    'chain.bad': 'Hash chain broken at event no. {seq}: {problem}.',
    'execution.none': 'No execution found.',
    'executionStatus.RUNNING': 'Running',
    'executionStatus.SUCCEEDED': 'Succeeded',
    'executionStatus.FAILED': 'Failed',
    'executionStatus.TIMED_OUT': 'Timed out',
    'executionStatus.ABORTED': 'Stopped',
    'count.cases.one': '{n} case',
    'count.cases.other': '{n} cases',
    'count.events.one': '{n} event',
    'count.events.other': '{n} events',
    'count.eventsRead.one': '{n} event read',
    'count.eventsRead.other': '{n} events read',
    'verify.bad.one': 'Ledger broken: {count} of {cases} fails its check ({events}).',
    'verify.bad.other': 'Ledger broken: {count} of {cases} fail their check ({events}).',
    'verify.truncated.one': 'Only the first is listed.',
    'verify.truncated.other': 'Only the first {shown} are listed.',
    'chronology.ledger': 'Ledger',
    'chronology.workflow': 'Workflow',
    'chronology.run': 'Run {generation}',
    'step.IsContinuation': 'Continuing a previous run?',
    'step.Reinitialize': 'Carrying over the previous run’s data',
    'step.Initialize': 'Initialization',
    'step.PlanDeadlines': 'Planning the deadlines',
    'step.RouteAndNotify': 'Routing and notifying the unit',
    'step.CheckCase': 'Checking the case',
    'step.RouteByPhase': 'Choosing the next step',
    'step.WaitUntilAckStep': 'Waiting for the next acknowledgement step',
    'step.WaitUntilAnswerStep': 'Waiting for the next answer step',
    'step.WaitUntilClosingStep': 'Waiting until closing',
    'step.SendAckReminder': 'Reminder: acknowledgement due',
    'step.EscalateMissingAck': 'Escalation: acknowledgement missing',
    'step.ApplyAckDeadlineAction': 'Acknowledgement deadline action',
    'step.SendAnswerReminder': 'Reminder: answer due',
    'step.EscalateLateAnswer': 'Escalation: answer late',
    'step.SendDelayNotice': 'Delay notice to the requester',
    'step.RouteDissatisfaction': 'Dissatisfaction routed to the complaints officer',
    'step.SendReviewReminder': 'Reminder: review due',
    'step.EscalateLateReview': 'Escalation: review late',
    'step.CloseCase': 'Closing the case',
    'step.ContinueAsNew': 'Handing over to a new run',
    'step.ContinuedAsNew': 'Continued in a new run',
    'step.CaseClosed': 'Case closed',
    'step.Superseded': 'Replaced by a newer run',
    'step.UnexpectedCheck': 'Unexpected check result',
    'step.RecordFailure': 'Recording the failure',
    'step.WorkflowFailed': 'Workflow failed',
    'phase.execution-started': 'Run {name} started',
    'phase.execution-succeeded': 'Run {name} ended',
    'phase.execution-failed': 'Run {name} failed',
    'phase.execution-aborted': 'Run {name} stopped',
    'phase.execution-timed-out': 'Run {name} timed out',
    'phase.step-failed': 'A task failed',
    'phase.step-timed-out': 'A task timed out',
    timelineTitle: 'Timeline of case {reference}',
  },
};

export const STAFF_STRINGS: Readonly<Record<PageLanguage, StaffStrings>> = { fr: FR, en: EN };
