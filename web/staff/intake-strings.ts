import type { PageLanguage } from '../citizen/strings';
import type { StaffEvidenceKind, StaffIntakeChannel } from '../../shared/domain/case/commands/intake';
import type { LanguageBasisKind } from '../../shared/domain/case/requester';
import { HOLDING_KINDS } from '../../shared/domain/intake/email/holding-pen';
import type { DISMISS_REASONS } from '../../shared/domain/intake/email/holding-triage';

/**
 * The words of the intake page (letters, calls, visits) and the holding-pen page that their scripts show, by
 * key, given to `intake.js` and `holding.js` through the page's `<template id="staff-text">` with the common
 * ones: the scripts hold no sentence.
 */
export const INTAKE_SCRIPT_TEXT_KEYS = [
  'intake.registered',
  'intake.replayed',
  'intake.limited',
  'intake.openCase',
  'intake.receivedAt',
  'intake.registeredAt',
  'intake.acknowledgementDue',
  'intake.noAcknowledgementDeadline',
  'intake.lateEntryAsked',
  'intake.invalidReceivedAt',
  'holding.loaded.zero',
  'holding.loaded.one',
  'holding.loaded.other',
  'holding.page',
  'holding.read',
  'holding.readItem',
  'holding.itemTitle',
  'holding.field.from',
  'holding.field.mailbox',
  'holding.field.fromDomain',
  'holding.field.subject',
  'holding.field.receivedAt',
  'holding.field.why',
  'holding.field.detail',
  'holding.field.status',
  'holding.field.legalHold',
  'holding.field.confidential',
  'holding.field.suggestedCase',
  'holding.field.triage',
  'holding.field.text',
  'holding.field.attachments',
  'holding.field.attachmentCount',
  'holding.unreadable',
  'holding.metadataOnly',
  'holding.triage.attached',
  'holding.triage.case-created',
  'holding.triage.dismissed',
  'holding.done.attached',
  'holding.done.case-created',
  'holding.done.dismissed',
  'holding.caseNotFound',
  'holding.size',
  ...HOLDING_KINDS.map((kind) => `holding.kind.${kind}` as const),
  'holding.status.open',
  'holding.status.recorded',
  'holding.status.resolved',
  'holding.dismissReason.spam',
  'holding.dismissReason.auto-reply',
  'holding.dismissReason.bounce',
  'holding.dismissReason.duplicate',
  'holding.dismissReason.other',
] as const;
export type IntakeScriptTextKey = (typeof INTAKE_SCRIPT_TEXT_KEYS)[number];

type DismissReason = (typeof DISMISS_REASONS)[number];

/** The static words of the two pages, once per language (one type: both complete). */
export interface IntakeStrings {
  readonly intakeLink: string;
  readonly holdingLink: string;

  readonly intakeTitle: string;
  readonly intakeIntro: string;
  readonly receiptLegend: string;
  readonly channelLegend: string;
  readonly channels: Readonly<Record<StaffIntakeChannel, string>>;
  readonly category: string;
  readonly categoryHint: string;
  readonly receivedAt: string;
  readonly receivedAtHint: string;
  readonly registeredAtNote: string;
  readonly evidenceKind: string;
  readonly evidenceKindHint: string;
  readonly evidenceKinds: Readonly<Record<StaffEvidenceKind, string>>;
  readonly evidenceReference: string;
  readonly evidenceReferenceHint: string;
  readonly evidenceNote: string;
  readonly requesterLegend: string;
  readonly requesterName: string;
  readonly requesterLanguage: string;
  readonly requesterLanguageHint: string;
  readonly languages: Readonly<Record<'fr' | 'en', string>>;
  readonly basisLegend: string;
  readonly basisKind: string;
  readonly bases: Readonly<Record<LanguageBasisKind, string>>;
  readonly attestedOn: string;
  readonly arrivedOn: string;
  readonly arrivedOnHint: string;
  readonly contactLegend: string;
  readonly contacts: Readonly<Record<'email' | 'postal' | 'none', string>>;
  readonly contactNoneHint: string;
  readonly email: string;
  readonly addressLines: string;
  readonly addressLinesHint: string;
  readonly municipality: string;
  readonly province: string;
  readonly postalCode: string;
  readonly country: string;
  readonly countryHint: string;
  readonly phone: string;
  readonly requestLegend: string;
  readonly subject: string;
  readonly body: string;
  readonly confirmLateEntry: string;
  readonly submit: string;
  readonly successTitle: string;
  readonly another: string;

  readonly holdingTitle: string;
  readonly holdingIntro: string;
  readonly filtersTitle: string;
  readonly status: string;
  readonly kind: string;
  readonly allKinds: string;
  readonly order: string;
  readonly orders: Readonly<Record<'oldest' | 'newest', string>>;
  readonly show: string;
  readonly tableCaption: string;
  readonly columns: Readonly<
    Record<'receivedAt' | 'kind' | 'from' | 'subject' | 'attachments' | 'status' | 'open', string>
  >;
  readonly noItems: string;
  readonly previousPage: string;
  readonly nextPage: string;
  readonly actionsTitle: string;
  readonly actions: Readonly<Record<'attach' | 'register' | 'dismiss', string>>;
  readonly actionHints: Readonly<Record<'attach' | 'register' | 'dismiss', string>>;
  readonly attachCase: string;
  readonly attachCaseHint: string;
  readonly registerSubject: string;
  readonly registerSubjectHint: string;
  readonly registerBody: string;
  readonly registerBodyHint: string;
  readonly dismissReason: string;
  readonly dismissReasons: Readonly<Record<DismissReason, string>>;
  readonly dismissNote: string;
  readonly dismissNoteHint: string;

  readonly script: Readonly<Record<IntakeScriptTextKey, string>>;
}

const NBSP = '\u00a0';

const FR: IntakeStrings = {
  intakeLink: 'Saisir un courrier ou un appel',
  holdingLink: 'Courriels retenus',

  intakeTitle: 'Saisir un courrier, un appel ou une visite',
  intakeIntro:
    'Enregistre une demande reçue par la poste, au téléphone, au comptoir ou dans une boîte de courriel du personnel. Le délai légal court à partir du moment de la réception, pas de la saisie.',
  receiptLegend: 'Réception',
  channelLegend: 'Reçue par',
  channels: {
    mail: 'Lettre (poste)',
    phone: 'Appel téléphonique',
    'in-person': 'Visite au comptoir',
    email: 'Courriel reçu par le personnel',
  },
  category: 'Catégorie',
  categoryHint:
    'Seules les catégories qui reçoivent des demandes par ce moyen sont offertes. Une plainte devient confidentielle dès son enregistrement.',
  receivedAt: 'Reçue le (heure du Québec)',
  receivedAtHint:
    'Le moment où la demande est arrivée : date du timbre ou du tampon de réception, heure de l’appel ou de la visite. Le délai légal commence là.',
  registeredAtNote:
    'Date d’enregistrement : inscrite par le serveur au moment où vous enregistrez; elle ne fait pas courir le délai.',
  evidenceKind: 'Preuve de la réception',
  evidenceKindHint: 'Ce qui établit le moment de la réception, selon le moyen choisi.',
  evidenceKinds: {
    postmark: 'Cachet de la poste',
    'date-stamp': 'Tampon dateur de réception',
    'call-time': 'Heure de l’appel',
    'visit-time': 'Heure de la visite',
    other: 'Autre (précisez dans la note)',
  },
  evidenceReference: 'Référence de la preuve',
  evidenceReferenceHint: 'Numéro de numérisation, numéro d’appel… Aucun renseignement personnel.',
  evidenceNote: 'Note sur la preuve',
  requesterLegend: 'Demandeur',
  requesterName: 'Nom complet ou nom de l’entreprise',
  requesterLanguage: 'Langue de correspondance',
  requesterLanguageHint:
    'Le français, sauf si la personne y a droit autrement (Charte de la langue française) : indiquez alors le motif.',
  languages: { fr: 'Français', en: 'Anglais' },
  basisLegend: 'Motif de correspondance en anglais',
  basisKind: 'Motif',
  bases: {
    'eligible-english-instruction': 'Admissible à l’enseignement en anglais',
    'before-2021-05-13-correspondence': 'Correspondance en anglais avant le 13 mai 2021',
    aboriginal: 'Autochtone',
    'immigrant-first-six-months': 'Immigrant, dans ses six premiers mois',
    'outside-quebec': 'Personne ou entreprise hors du Québec',
    'health-safety-natural-justice': 'Santé, sécurité publique ou justice naturelle',
  },
  attestedOn: 'Attesté le',
  arrivedOn: 'Arrivé au Québec le',
  arrivedOnHint: 'Seulement pour un immigrant dans ses six premiers mois.',
  contactLegend: 'Pour lui écrire',
  contacts: {
    email: 'Adresse courriel',
    postal: 'Adresse postale',
    none: 'Aucune adresse donnée',
  },
  contactNoneHint: `Sans adresse, aucun accusé de réception écrit ne pourra lui parvenir.`,
  email: 'Adresse courriel',
  addressLines: 'Adresse',
  addressLinesHint: `Numéro, rue, appartement : une ligne chacun, 4 lignes au plus.`,
  municipality: 'Municipalité',
  province: 'Province ou État',
  postalCode: 'Code postal',
  country: 'Pays',
  countryHint: `Code de deux lettres (CA pour le Canada).`,
  phone: 'Téléphone',
  requestLegend: 'Demande',
  subject: 'Objet',
  body: 'Texte de la demande',
  confirmLateEntry:
    'Je confirme la date de réception : enregistrer le dossier avec cette date, le retard paraîtra au registre.',
  submit: 'Enregistrer la demande',
  successTitle: 'Demande enregistrée',
  another: 'Saisir une autre demande',

  holdingTitle: 'Courriels retenus',
  holdingIntro: `Courriels que la réception automatique n’a pas pu classer : versez-les à un dossier, faites-en un nouveau dossier ou écartez-les. Un courriel qui peut être une plainte n’est visible que du responsable des plaintes.`,
  filtersTitle: 'Filtres',
  status: 'Statut',
  kind: 'Motif de retenue',
  allKinds: 'Tous les motifs',
  order: 'Ordre',
  orders: { oldest: 'Les plus anciens d’abord', newest: 'Les plus récents d’abord' },
  show: 'Afficher',
  tableCaption: 'Courriels retenus',
  columns: {
    receivedAt: 'Reçu le (Québec)',
    kind: 'Motif de retenue',
    from: 'Domaine de l’expéditeur',
    subject: 'Objet',
    attachments: 'Pièces jointes',
    status: 'Statut',
    open: 'Courriel',
  },
  noItems: 'Aucun courriel retenu ne correspond à ces filtres.',
  previousPage: 'Page précédente',
  nextPage: 'Page suivante',
  actionsTitle: 'Traiter ce courriel',
  actions: {
    attach: 'Verser à un dossier',
    register: 'Créer un dossier',
    dismiss: 'Écarter',
  },
  actionHints: {
    attach: 'Ajoute le courriel et ses pièces jointes au dossier, comme un message du demandeur.',
    register: `Crée un dossier; le délai légal court depuis l’arrivée du courriel, pas depuis maintenant.`,
    dismiss: 'Rien n’est supprimé : le courriel reste conservé et la retenue légale demeure.',
  },
  attachCase: 'Dossier (référence ou identifiant)',
  attachCaseHint: `Par exemple SCT-2026-000123.`,
  registerSubject: 'Objet du dossier',
  registerSubjectHint: 'L’objet du courriel si vous le laissez vide.',
  registerBody: 'Texte du dossier',
  registerBodyHint: 'Le texte du courriel si vous le laissez vide.',
  dismissReason: 'Motif',
  dismissReasons: {
    spam: 'Pourriel',
    'auto-reply': 'Réponse automatique',
    bounce: 'Avis de non-remise',
    duplicate: 'Doublon',
    other: 'Autre (précisez)',
  },
  dismissNote: 'Précision',
  dismissNoteHint: `Obligatoire pour le motif « Autre ».`,

  script: {
    'intake.registered': 'Dossier {reference} enregistré.',
    'intake.replayed': 'Cette demande était déjà enregistrée : dossier {reference}.',
    'intake.limited': `Ce dossier est confidentiel : seul le responsable des plaintes peut l’ouvrir.`,
    'intake.openCase': 'Ouvrir le dossier {reference}',
    'intake.receivedAt': 'Reçue le',
    'intake.registeredAt': 'Enregistrée le (heure du serveur)',
    'intake.acknowledgementDue': 'Accusé de réception dû le',
    'intake.noAcknowledgementDeadline': `Aucun délai d’accusé de réception pour cette catégorie.`,
    'intake.lateEntryAsked': `Vérifiez la date de réception, puis cochez la confirmation pour enregistrer quand même.`,
    'intake.invalidReceivedAt': 'Indiquez une date et une heure valides.',
    'holding.loaded.zero': 'Aucun courriel retenu.',
    'holding.loaded.one': `1${NBSP}courriel retenu affiché.`,
    'holding.loaded.other': `{n}${NBSP}courriels retenus affichés.`,
    'holding.page': `Page {n}`,
    'holding.read': 'Lire',
    'holding.readItem': 'Lire le courriel reçu le {date}',
    'holding.itemTitle': `Courriel retenu du {date}`,
    'holding.field.from': 'Expéditeur',
    'holding.field.mailbox': 'Boîte de réception',
    'holding.field.fromDomain': 'Domaine de l’expéditeur',
    'holding.field.subject': 'Objet',
    'holding.field.receivedAt': 'Reçu le',
    'holding.field.why': 'Motif de retenue',
    'holding.field.detail': 'Détail',
    'holding.field.status': 'Statut',
    'holding.field.legalHold': 'Retenue légale',
    'holding.field.confidential': 'Confidentiel',
    'holding.field.suggestedCase': 'Dossier mentionné',
    'holding.field.triage': 'Traitement',
    'holding.field.text': 'Texte',
    'holding.field.attachments': 'Pièces jointes',
    'holding.field.attachmentCount': 'Nombre de pièces jointes',
    'holding.unreadable': 'Le message ne peut pas être affiché (trop volumineux ou illisible).',
    'holding.metadataOnly': 'Vous voyez les renseignements de ce courriel, pas son contenu.',
    'holding.triage.attached': `Versé au dossier {case} par {by}, le {date}`,
    'holding.triage.case-created': `Dossier {case} créé par {by}, le {date}`,
    'holding.triage.dismissed': `Écarté ({reason}) par {by}, le {date}`,
    'holding.done.attached': `Courriel versé au dossier {case}.`,
    'holding.done.case-created': `Dossier {case} créé à partir du courriel.`,
    'holding.done.dismissed': 'Courriel écarté.',
    'holding.caseNotFound':
      'Aucun dossier que vous pouvez traiter ne porte cette référence ou cet identifiant.',
    'holding.size': `{name} ({type}, {kb}${NBSP}ko)`,
    'holding.kind.virus': 'Virus détecté',
    'holding.kind.spam': 'Pourriel',
    'holding.kind.bounce': 'Avis de non-remise',
    'holding.kind.auto-reply': 'Réponse automatique',
    'holding.kind.auto-generated': 'Message automatique',
    'holding.kind.bulk': 'Envoi de masse',
    'holding.kind.loop': 'Boucle de courriel',
    'holding.kind.no-from': 'Sans expéditeur',
    'holding.kind.unknown-sender': 'Expéditeur inconnu',
    'holding.kind.unknown-token': 'Adresse de dossier inconnue',
    'holding.kind.token-mismatch': 'Adresse de dossier d’un autre expéditeur',
    'holding.kind.sender-unverified': 'Expéditeur non authentifié',
    'holding.kind.reference-without-token': 'Référence de dossier citée par un tiers',
    'holding.kind.flood': 'Trop de courriels du même expéditeur',
    'holding.kind.oversize-message': 'Message trop volumineux',
    'holding.kind.processing-error': 'Erreur de traitement',
    'holding.status.open': 'À traiter',
    'holding.status.recorded': 'Conservé pour mémoire',
    'holding.status.resolved': 'Traité',
    'holding.dismissReason.spam': 'pourriel',
    'holding.dismissReason.auto-reply': 'réponse automatique',
    'holding.dismissReason.bounce': 'avis de non-remise',
    'holding.dismissReason.duplicate': 'doublon',
    'holding.dismissReason.other': 'autre',
  },
};

const EN: IntakeStrings = {
  intakeLink: 'Enter mail or a call',
  holdingLink: 'Held email',

  intakeTitle: 'Enter a letter, a phone call or a visit',
  intakeIntro:
    'Registers a request received by post, on the phone, at the counter or in a staff mailbox. The legal delay runs from the moment it was received, not from when it is entered.',
  receiptLegend: 'Receipt',
  channelLegend: 'Received by',
  channels: {
    mail: 'Letter (post)',
    phone: 'Phone call',
    'in-person': 'Visit at the counter',
    email: 'Email received by staff',
  },
  category: 'Category',
  categoryHint:
    'Only the categories that take requests this way are offered. A complaint becomes confidential as soon as it is registered.',
  receivedAt: 'Received on (Québec time)',
  receivedAtHint:
    'When the request arrived: the postmark or the receipt date stamp, the time of the call or of the visit. The legal delay starts then.',
  registeredAtNote:
    'Registration time: recorded by the server when you save; it does not start the legal delay.',
  evidenceKind: 'Proof of receipt',
  evidenceKindHint: 'What establishes when it was received, for the channel chosen.',
  evidenceKinds: {
    postmark: 'Postmark',
    'date-stamp': 'Receipt date stamp',
    'call-time': 'Time of the call',
    'visit-time': 'Time of the visit',
    other: 'Other (say what in the note)',
  },
  evidenceReference: 'Proof reference',
  evidenceReferenceHint: 'Scan number, call record number… No personal information.',
  evidenceNote: 'Note on the proof',
  requesterLegend: 'Requester',
  requesterName: 'Full name or company name',
  requesterLanguage: 'Language of correspondence',
  requesterLanguageHint:
    'French, unless the person is entitled otherwise (Charter of the French language): then give the basis.',
  languages: { fr: 'French', en: 'English' },
  basisLegend: 'Basis for corresponding in English',
  basisKind: 'Basis',
  bases: {
    'eligible-english-instruction': 'Eligible for instruction in English',
    'before-2021-05-13-correspondence': 'Corresponded in English before May 13, 2021',
    aboriginal: 'Indigenous person',
    'immigrant-first-six-months': 'Immigrant, in their first six months',
    'outside-quebec': 'Person or company outside Québec',
    'health-safety-natural-justice': 'Health, public safety or natural justice',
  },
  attestedOn: 'Attested on',
  arrivedOn: 'Arrived in Québec on',
  arrivedOnHint: 'Only for an immigrant in their first six months.',
  contactLegend: 'How to write to them',
  contacts: {
    email: 'Email address',
    postal: 'Postal address',
    none: 'No address given',
  },
  contactNoneHint: 'Without an address, no written acknowledgement can reach them.',
  email: 'Email address',
  addressLines: 'Address',
  addressLinesHint: 'Number, street, apartment: one per line, 4 lines at most.',
  municipality: 'Municipality',
  province: 'Province or state',
  postalCode: 'Postal code',
  country: 'Country',
  countryHint: 'Two-letter code (CA for Canada).',
  phone: 'Phone',
  requestLegend: 'Request',
  subject: 'Subject',
  body: 'Text of the request',
  confirmLateEntry:
    'I confirm the receipt date: register the case with this date; the delay will show in the ledger.',
  submit: 'Register the request',
  successTitle: 'Request registered',
  another: 'Enter another request',

  holdingTitle: 'Held email',
  holdingIntro:
    'Email that automatic intake could not file: attach it to a case, make a new case of it, or dismiss it. Email that may be a complaint is visible to the complaints officer only.',
  filtersTitle: 'Filters',
  status: 'Status',
  kind: 'Why held',
  allKinds: 'Any reason',
  order: 'Order',
  orders: { oldest: 'Oldest first', newest: 'Newest first' },
  show: 'Show',
  tableCaption: 'Held email',
  columns: {
    receivedAt: 'Received (Québec)',
    kind: 'Why held',
    from: 'Sender domain',
    subject: 'Subject',
    attachments: 'Attachments',
    status: 'Status',
    open: 'Email',
  },
  noItems: 'No held email matches these filters.',
  previousPage: 'Previous page',
  nextPage: 'Next page',
  actionsTitle: 'Deal with this email',
  actions: {
    attach: 'Attach to a case',
    register: 'Register as a new case',
    dismiss: 'Dismiss',
  },
  actionHints: {
    attach: 'Adds the email and its attachments to the case, as a message from the requester.',
    register: 'Creates a case; the legal delay runs from when the email arrived, not from now.',
    dismiss: 'Nothing is deleted: the email is kept and any legal hold stays.',
  },
  attachCase: 'Case (reference or id)',
  attachCaseHint: 'For example SCT-2026-000123.',
  registerSubject: 'Case subject',
  registerSubjectHint: 'The email’s subject if left empty.',
  registerBody: 'Case text',
  registerBodyHint: 'The email’s text if left empty.',
  dismissReason: 'Reason',
  dismissReasons: {
    spam: 'Spam',
    'auto-reply': 'Automatic reply',
    bounce: 'Bounce',
    duplicate: 'Duplicate',
    other: 'Other (say what)',
  },
  dismissNote: 'Details',
  dismissNoteHint: 'Required for the reason “Other”.',

  script: {
    'intake.registered': 'Case {reference} registered.',
    'intake.replayed': 'This request was already registered: case {reference}.',
    'intake.limited': 'This case is confidential: only the complaints officer can open it.',
    'intake.openCase': 'Open case {reference}',
    'intake.receivedAt': 'Received on',
    'intake.registeredAt': 'Registered on (server time)',
    'intake.acknowledgementDue': 'Acknowledgement due on',
    'intake.noAcknowledgementDeadline': 'No acknowledgement deadline for this category.',
    'intake.lateEntryAsked': 'Check the receipt date, then tick the confirmation to register it anyway.',
    'intake.invalidReceivedAt': 'Give a valid date and time.',
    'holding.loaded.zero': 'No held email.',
    'holding.loaded.one': '1 held email shown.',
    'holding.loaded.other': '{n} held emails shown.',
    'holding.page': 'Page {n}',
    'holding.read': 'Read',
    'holding.readItem': 'Read the email received {date}',
    'holding.itemTitle': 'Held email of {date}',
    'holding.field.from': 'Sender',
    'holding.field.mailbox': 'Mailbox',
    'holding.field.fromDomain': 'Sender domain',
    'holding.field.subject': 'Subject',
    'holding.field.receivedAt': 'Received on',
    'holding.field.why': 'Why held',
    'holding.field.detail': 'Detail',
    'holding.field.status': 'Status',
    'holding.field.legalHold': 'Legal hold',
    'holding.field.confidential': 'Confidential',
    'holding.field.suggestedCase': 'Case named',
    'holding.field.triage': 'Dealt with',
    'holding.field.text': 'Text',
    'holding.field.attachments': 'Attachments',
    'holding.field.attachmentCount': 'Number of attachments',
    'holding.unreadable': 'The message cannot be shown (too large or unreadable).',
    'holding.metadataOnly': 'You see this email’s details, not its content.',
    'holding.triage.attached': 'Attached to case {case} by {by} on {date}',
    'holding.triage.case-created': 'Case {case} created by {by} on {date}',
    'holding.triage.dismissed': 'Dismissed ({reason}) by {by} on {date}',
    'holding.done.attached': 'Email attached to case {case}.',
    'holding.done.case-created': 'Case {case} created from the email.',
    'holding.done.dismissed': 'Email dismissed.',
    'holding.caseNotFound': 'No case you may handle has this reference or id.',
    'holding.size': '{name} ({type}, {kb} kB)',
    'holding.kind.virus': 'Virus found',
    'holding.kind.spam': 'Spam',
    'holding.kind.bounce': 'Bounce',
    'holding.kind.auto-reply': 'Automatic reply',
    'holding.kind.auto-generated': 'Automatic message',
    'holding.kind.bulk': 'Bulk mail',
    'holding.kind.loop': 'Mail loop',
    'holding.kind.no-from': 'No sender',
    'holding.kind.unknown-sender': 'Unknown sender',
    'holding.kind.unknown-token': 'Unknown case address',
    'holding.kind.token-mismatch': 'Case address used by another sender',
    'holding.kind.sender-unverified': 'Sender not authenticated',
    'holding.kind.reference-without-token': 'Case reference quoted by someone else',
    'holding.kind.flood': 'Too many emails from one sender',
    'holding.kind.oversize-message': 'Message too large',
    'holding.kind.processing-error': 'Processing error',
    'holding.status.open': 'To deal with',
    'holding.status.recorded': 'Kept for the record',
    'holding.status.resolved': 'Dealt with',
    'holding.dismissReason.spam': 'spam',
    'holding.dismissReason.auto-reply': 'automatic reply',
    'holding.dismissReason.bounce': 'bounce',
    'holding.dismissReason.duplicate': 'duplicate',
    'holding.dismissReason.other': 'other',
  },
};

export const INTAKE_STRINGS: Readonly<Record<PageLanguage, IntakeStrings>> = { fr: FR, en: EN };
