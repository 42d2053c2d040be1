import type { PageLanguage } from '../citizen/strings';

/**
 * The words of the auditor dashboard that `dashboard.js` shows, by key, given through the page's
 * `<template id="staff-text">` with the common ones: the script holds no sentence.
 */
export const DASHBOARD_SCRIPT_TEXT_KEYS = [
  'dashboard.loading',
  'dashboard.loaded',
  'dashboard.asOf',
  'dashboard.rateCount.one',
  'dashboard.rateCount.other',
  'dashboard.noShare',
  'dashboard.chartName',
  'dashboard.chartEmpty',
  'dashboard.pastTitle',
  'dashboard.noPast',
  'dashboard.pastAll.one',
  'dashboard.pastAll.other',
  'dashboard.withheld.one',
  'dashboard.withheld.other',
  'dashboard.csvName',
  'dashboard.csvDone',
  'dashboard.scope',
  'dashboard.source.checked',
  'dashboard.source.repaired',
  'dashboard.source.unchecked',
  'dashboard.source.awaiting',
  'dashboard.source.ledger',
  'dashboard.total',
  'dashboard.period.required',
  'dashboard.period.invalid',
  'dashboard.period.reversed',
  'dashboard.period.tooLong',
  'dashboard.period.summary',
  'dashboard.crossFigure',
  'dashboard.crossCorner',
  'dashboard.cases.loading',
  'dashboard.cases.title',
  'dashboard.cases.count.one',
  'dashboard.cases.count.other',
  'dashboard.cases.page',
  'dashboard.cases.previous',
  'dashboard.cases.next',
] as const;

export type DashboardScriptTextKey = (typeof DASHBOARD_SCRIPT_TEXT_KEYS)[number];

export interface DashboardStrings {
  readonly link: string;
  readonly title: string;
  readonly intro: string;
  readonly periodTitle: string;
  readonly from: string;
  readonly to: string;
  readonly periodHint: string;
  readonly show: string;
  readonly headlineTitle: string;
  readonly headlineHint: string;
  readonly csv: string;
  readonly categoriesTitle: string;
  readonly categoriesCaption: string;
  readonly columns: {
    readonly category: string;
    readonly received: string;
    readonly ackOnTime: string;
    readonly answerOnTime: string;
    readonly complaints: string;
    readonly handoffs: string;
    readonly channel: string;
  };
  readonly drillHint: string;
  readonly channelsTitle: string;
  readonly channelsCaption: string;
  readonly crossTitle: string;
  readonly crossCaption: string;
  readonly monthsTitle: string;
  readonly legendReceived: string;
  readonly legendOnTime: string;
  readonly chartData: string;
  readonly monthsCaption: string;
  readonly monthColumns: {
    readonly month: string;
    readonly received: string;
    readonly ackOnTime: string;
    readonly ackAssessed: string;
  };
  readonly pastHint: string;
  readonly script: Readonly<Record<DashboardScriptTextKey, string>>;
}

export const DASHBOARD_STRINGS: Readonly<Record<PageLanguage, DashboardStrings>> = {
  fr: {
    link: 'Tableau de bord',
    title: 'Tableau de bord de la déclaration de services',
    intro:
      'Comment la déclaration de services a été tenue pour les demandes reçues pendant la période, selon le registre seul. Les délais non encore échus à la fin de la période ne sont comptés ni à temps ni en retard.',
    periodTitle: 'Période',
    from: 'Du',
    to: 'Au',
    periodHint: 'Dates de réception (heure du Québec), incluses; au plus 366 jours.',
    show: 'Afficher',
    headlineTitle: 'Accusés de réception dans le délai légal',
    headlineHint: 'Sur les demandes reçues dont le délai d’accusé de réception est échu.',
    csv: 'Télécharger le rapport (CSV)',
    categoriesTitle: 'Par catégorie',
    categoriesCaption: 'Indicateurs par catégorie de demande',
    columns: {
      category: 'Catégorie',
      received: 'Demandes reçues',
      ackOnTime: 'Accusé de réception dans le délai',
      answerOnTime: 'Réponse à la date promise',
      complaints: 'Plaintes reçues',
      handoffs: 'Transferts par dossier (moyenne)',
      channel: 'Canal',
    },
    drillHint: 'Choisissez un chiffre d’un tableau pour afficher la liste des dossiers qu’il compte.',
    channelsTitle: 'Par canal',
    channelsCaption: 'Indicateurs par canal de réception',
    crossTitle: 'Par catégorie et canal',
    crossCaption: 'Demandes reçues par catégorie (lignes) et canal de réception (colonnes)',
    monthsTitle: 'Par mois',
    legendReceived: 'Demandes reçues',
    legendOnTime: 'Accusés de réception dans le délai',
    chartData: 'Données du graphique',
    monthsCaption: 'Demandes reçues et accusés de réception dans le délai, par mois de réception',
    monthColumns: {
      month: 'Mois',
      received: 'Demandes reçues',
      ackOnTime: 'Accusés dans le délai',
      ackAssessed: 'Accusés dont le délai est échu',
    },
    pastHint:
      'Dossiers ouverts dont une échéance (accusé de réception, réponse ou révision) est dépassée sans avoir été respectée, quelle que soit leur date de réception.',
    script: {
      'dashboard.loading': 'Chargement du rapport…',
      'dashboard.loaded': 'Rapport du {from} au {to} affiché.',
      'dashboard.asOf': 'Chiffres arrêtés au {asOf} (heure du Québec).',
      'dashboard.rateCount.one': '{onTime} sur {assessed} demande',
      'dashboard.rateCount.other': '{onTime} sur {assessed} demandes',
      'dashboard.noShare': 'aucun délai échu',
      'dashboard.chartName':
        'Graphique à barres : demandes reçues et accusés de réception dans le délai, par mois, du {from} au {to}. Les valeurs sont dans le tableau qui suit.',
      'dashboard.chartEmpty': 'Aucune demande reçue pendant la période.',
      'dashboard.pastTitle': 'Dossiers en dépassement d’échéance au {asOf}',
      'dashboard.noPast': 'Aucun dossier ouvert en dépassement d’échéance.',
      'dashboard.pastAll.one': 'Voir le dossier listé',
      'dashboard.pastAll.other': 'Voir les {n} dossiers listés, page par page',
      'dashboard.withheld.one': '{n} dossier confidentiel compté mais non listé.',
      'dashboard.withheld.other': '{n} dossiers confidentiels comptés mais non listés.',
      'dashboard.csvName': 'rapport-declaration-services-{from}-{to}.csv',
      'dashboard.csvDone': 'Rapport CSV téléchargé.',
      'dashboard.scope': 'Portée : {note}',
      'dashboard.source.checked':
        'Chiffres tirés des agrégats tenus à jour à chaque événement du registre; la dernière relecture complète du registre, le {at}, les a trouvés exacts.',
      'dashboard.source.repaired':
        'Chiffres tirés des agrégats tenus à jour à chaque événement du registre; la dernière relecture complète du registre, le {at}, y a trouvé des écarts et les a corrigés.',
      'dashboard.source.unchecked':
        'Chiffres tirés des agrégats tenus à jour à chaque événement du registre; aucune relecture complète du registre ne les a encore vérifiés.',
      'dashboard.source.awaiting':
        'Chiffres calculés en relisant tout le registre, en attendant la première vérification des agrégats.',
      'dashboard.source.ledger': 'Chiffres calculés en relisant tout le registre.',
      'dashboard.total': 'Toutes les catégories',
      'dashboard.period.required': 'Indiquez une date (AAAA-MM-JJ).',
      'dashboard.period.invalid': 'Cette date n’existe pas (AAAA-MM-JJ).',
      'dashboard.period.reversed': 'Le début doit précéder la fin ou être le même jour.',
      'dashboard.period.tooLong': 'La période compte au plus 366 jours.',
      'dashboard.period.summary': 'La période est à corriger.',
      'dashboard.crossFigure': 'Demandes reçues',
      'dashboard.crossCorner': 'Catégorie',
      'dashboard.cases.loading': 'Chargement des dossiers…',
      'dashboard.cases.title': 'Dossiers : {figure} — {scope}',
      'dashboard.cases.count.one': '{n} dossier.',
      'dashboard.cases.count.other': '{n} dossiers.',
      'dashboard.cases.page': 'Page {page} sur {pages}',
      'dashboard.cases.previous': 'Page précédente',
      'dashboard.cases.next': 'Page suivante',
    },
  },
  en: {
    link: 'Dashboard',
    title: 'Service statement dashboard',
    intro:
      'How the service statement was kept for the requests received in the period, from the ledger alone. Deadlines not yet come at the end of the period count neither as on time nor as late.',
    periodTitle: 'Period',
    from: 'From',
    to: 'To',
    periodHint: 'Dates of receipt (Québec time), included; at most 366 days.',
    show: 'Show',
    headlineTitle: 'Acknowledged within the legal delay',
    headlineHint: 'Of the requests received whose acknowledgement deadline has come.',
    csv: 'Download the report (CSV)',
    categoriesTitle: 'By category',
    categoriesCaption: 'Indicators by request category',
    columns: {
      category: 'Category',
      received: 'Requests received',
      ackOnTime: 'Acknowledged on time',
      answerOnTime: 'Answered by the promised date',
      complaints: 'Complaints received',
      handoffs: 'Hand-offs per case (mean)',
      channel: 'Channel',
    },
    drillHint: 'Choose a figure in a table to list the cases it counts.',
    channelsTitle: 'By channel',
    channelsCaption: 'Indicators by channel of receipt',
    crossTitle: 'By category and channel',
    crossCaption: 'Requests received by category (rows) and channel of receipt (columns)',
    monthsTitle: 'By month',
    legendReceived: 'Requests received',
    legendOnTime: 'Acknowledged on time',
    chartData: 'Chart data',
    monthsCaption: 'Requests received and acknowledged on time, by month of receipt',
    monthColumns: {
      month: 'Month',
      received: 'Requests received',
      ackOnTime: 'Acknowledged on time',
      ackAssessed: 'Acknowledgements due',
    },
    pastHint:
      'Open cases with a deadline (acknowledgement, answer or review) passed and not met, whenever they were received.',
    script: {
      'dashboard.loading': 'Loading the report…',
      'dashboard.loaded': 'Report from {from} to {to} shown.',
      'dashboard.asOf': 'Figures as of {asOf} (Québec time).',
      'dashboard.rateCount.one': '{onTime} of {assessed} request',
      'dashboard.rateCount.other': '{onTime} of {assessed} requests',
      'dashboard.noShare': 'no deadline has come',
      'dashboard.chartName':
        'Bar chart: requests received and acknowledged on time, by month, from {from} to {to}. The values are in the table that follows.',
      'dashboard.chartEmpty': 'No request received in the period.',
      'dashboard.pastTitle': 'Cases past a deadline as of {asOf}',
      'dashboard.noPast': 'No open case is past a deadline.',
      'dashboard.pastAll.one': 'See the listed case',
      'dashboard.pastAll.other': 'See all {n} listed cases, a page at a time',
      'dashboard.withheld.one': '{n} confidential case counted but not listed.',
      'dashboard.withheld.other': '{n} confidential cases counted but not listed.',
      'dashboard.csvName': 'service-statement-report-{from}-{to}.csv',
      'dashboard.csvDone': 'CSV report downloaded.',
      'dashboard.scope': 'Scope: {note}',
      'dashboard.source.checked':
        'Figures from the aggregates kept up to date at each ledger event; the last full replay of the ledger, on {at}, found them exact.',
      'dashboard.source.repaired':
        'Figures from the aggregates kept up to date at each ledger event; the last full replay of the ledger, on {at}, found differences and repaired them.',
      'dashboard.source.unchecked':
        'Figures from the aggregates kept up to date at each ledger event; no full replay of the ledger has checked them yet.',
      'dashboard.source.awaiting':
        'Figures computed by replaying the whole ledger, until the aggregates are first checked.',
      'dashboard.source.ledger': 'Figures computed by replaying the whole ledger.',
      'dashboard.total': 'All categories',
      'dashboard.period.required': 'Enter a date (YYYY-MM-DD).',
      'dashboard.period.invalid': 'This date does not exist (YYYY-MM-DD).',
      'dashboard.period.reversed': 'The start must be before the end or the same day.',
      'dashboard.period.tooLong': 'The period is at most 366 days.',
      'dashboard.period.summary': 'The period needs correcting.',
      'dashboard.crossFigure': 'Requests received',
      'dashboard.crossCorner': 'Category',
      'dashboard.cases.loading': 'Loading the cases…',
      'dashboard.cases.title': 'Cases: {figure} — {scope}',
      'dashboard.cases.count.one': '{n} case.',
      'dashboard.cases.count.other': '{n} cases.',
      'dashboard.cases.page': 'Page {page} of {pages}',
      'dashboard.cases.previous': 'Previous page',
      'dashboard.cases.next': 'Next page',
    },
  },
};

/** The dashboard words the script shows, for the page's `<template id="staff-text">`. */
export function dashboardScriptText(language: PageLanguage): readonly (readonly [string, string])[] {
  const text = DASHBOARD_STRINGS[language].script;
  return DASHBOARD_SCRIPT_TEXT_KEYS.map((key) => [key, text[key]] as const);
}
