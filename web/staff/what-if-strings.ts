import type { PageLanguage } from '../citizen/strings';

/** The words of the dashboard's what-if form (`what-if-section.ts`, `dashboard-what-if.js`), French and English. */
export const WHAT_IF_SCRIPT_TEXT_KEYS = [
  'whatIf.loading',
  'whatIf.loaded',
  'whatIf.summary',
  'whatIf.categoryRequired',
  'whatIf.daysInvalid',
  'whatIf.closuresInvalid',
  'whatIf.closuresTooMany',
  'whatIf.nothingChanged',
  'whatIf.calendarVersion',
  'whatIf.caption',
  'whatIf.indicator',
  'whatIf.reality',
  'whatIf.changed',
  'whatIf.row.received',
  'whatIf.row.ackOnTime',
  'whatIf.row.ackAutomatic',
  'whatIf.row.ackLate',
  'whatIf.row.ackMissing',
  'whatIf.row.answerOnTime',
  'whatIf.row.answerLate',
  'whatIf.row.answerMissing',
  'whatIf.ackBreached',
  'whatIf.answerBreached',
  'whatIf.ackNoLongerBreached',
  'whatIf.answerNoLongerBreached',
  'whatIf.automaticInstead',
  'whatIf.none',
] as const;

export type WhatIfScriptTextKey = (typeof WHAT_IF_SCRIPT_TEXT_KEYS)[number];

export interface WhatIfStrings {
  readonly title: string;
  readonly intro: string;
  readonly category: string;
  readonly acknowledgementDays: string;
  readonly answerDays: string;
  readonly daysHint: string;
  readonly automaticAcknowledgement: string;
  readonly automaticAcknowledgementHint: string;
  readonly automaticYes: string;
  readonly automaticNo: string;
  readonly calendar: string;
  readonly calendarHint: string;
  readonly addClosures: string;
  readonly addClosuresHint: string;
  readonly run: string;
  readonly script: Readonly<Record<WhatIfScriptTextKey, string>>;
}

export const WHAT_IF_STRINGS: Readonly<Record<PageLanguage, WhatIfStrings>> = {
  fr: {
    title: 'Et si la politique avait été différente?',
    intro:
      'Rejoue les dossiers reçus pendant la période avec une autre politique pour une catégorie (délais, accusé de réception automatique, calendrier, jours de fermeture) : la réception et les actions du personnel restent à leurs dates réelles, les actions automatiques suivent la politique modifiée. Rien n’est enregistré.',
    category: 'Catégorie',
    acknowledgementDays: 'Délai d’accusé de réception (jours ouvrables)',
    answerDays: 'Délai de réponse (jours ouvrables)',
    daysHint: 'Laissez vide pour garder le délai actuel; de 1 à 100 jours.',
    automaticAcknowledgement: 'Accusé de réception automatique à l’échéance',
    automaticAcknowledgementHint:
      'Laissez vide pour garder la politique actuelle. Sans accusé automatique, le flux de travail ne fait qu’escalader à l’échéance.',
    automaticYes: 'Oui : envoyé automatiquement à l’échéance',
    automaticNo: 'Non : escalade seulement',
    calendar: 'Calendrier des jours ouvrables',
    calendarHint:
      'Laissez vide pour garder le calendrier de la catégorie. Une version choisie compte tous les délais de la période.',
    addClosures: 'Jours de fermeture ajoutés',
    addClosuresHint:
      'Une date par ligne, au format AAAA-MM-JJ (par exemple 2027-01-12); au plus 60. Ces jours s’ajoutent aux jours fériés du calendrier : les délais de la catégorie ne les comptent pas.',
    run: 'Simuler',
    script: {
      'whatIf.loading': 'Simulation en cours…',
      'whatIf.loaded': 'Simulation affichée.',
      'whatIf.summary': 'La simulation est à corriger.',
      'whatIf.categoryRequired': 'Choisissez une catégorie.',
      'whatIf.daysInvalid': 'Indiquez un nombre entier de 1 à 100.',
      'whatIf.closuresInvalid': 'Ces entrées ne sont pas des dates AAAA-MM-JJ qui existent : {dates}.',
      'whatIf.closuresTooMany': 'Indiquez au plus 60 jours de fermeture.',
      'whatIf.nothingChanged':
        'Changez au moins une chose : un délai, l’accusé de réception automatique, le calendrier ou les jours de fermeture.',
      'whatIf.calendarVersion': '{name}, version {version} (en vigueur dès le {from})',
      'whatIf.caption': 'Réalité et politique modifiée : {category}',
      'whatIf.indicator': 'Indicateur',
      'whatIf.reality': 'Réalité',
      'whatIf.changed': 'Politique modifiée',
      'whatIf.row.received': 'Demandes reçues',
      'whatIf.row.ackOnTime': 'Accusés de réception dans le délai',
      'whatIf.row.ackAutomatic': 'Accusés de réception automatiques à l’échéance',
      'whatIf.row.ackLate': 'Accusés de réception en retard',
      'whatIf.row.ackMissing': 'Sans accusé de réception, délai dépassé',
      'whatIf.row.answerOnTime': 'Réponses à la date promise',
      'whatIf.row.answerLate': 'Réponses en retard',
      'whatIf.row.answerMissing': 'Sans réponse, date promise dépassée',
      'whatIf.ackBreached': 'Accusés de réception qui auraient été en retard',
      'whatIf.answerBreached': 'Réponses qui auraient été en retard',
      'whatIf.ackNoLongerBreached': 'Accusés de réception qui n’auraient plus été en retard',
      'whatIf.answerNoLongerBreached': 'Réponses qui n’auraient plus été en retard',
      'whatIf.automaticInstead':
        'Accusés du personnel venus après la nouvelle échéance (envoyés automatiquement à l’échéance)',
      'whatIf.none': 'Aucun dossier.',
    },
  },
  en: {
    title: 'What if the policy had been different?',
    intro:
      'Replays the requests received in the period under another policy for one category (delays, automatic acknowledgement, calendar, closed days): the receipt and the staff actions stay at their real dates, the automatic actions follow the changed policy. Nothing is recorded.',
    category: 'Category',
    acknowledgementDays: 'Acknowledgement delay (business days)',
    answerDays: 'Answer delay (business days)',
    daysHint: 'Leave empty to keep the current delay; 1 to 100 days.',
    automaticAcknowledgement: 'Automatic acknowledgement at the deadline',
    automaticAcknowledgementHint:
      'Leave empty to keep the current policy. Without an automatic acknowledgement, the workflow only escalates at the deadline.',
    automaticYes: 'Yes: sent automatically at the deadline',
    automaticNo: 'No: escalation only',
    calendar: 'Business-day calendar',
    calendarHint:
      'Leave empty to keep the category’s calendar. A chosen version counts every delay of the period.',
    addClosures: 'Extra closed days',
    addClosuresHint:
      'One date per line, as YYYY-MM-DD (for example 2027-01-12); at most 60. These days are added to the calendar’s holidays: the category’s delays do not count them.',
    run: 'Simulate',
    script: {
      'whatIf.loading': 'Simulating…',
      'whatIf.loaded': 'Simulation shown.',
      'whatIf.summary': 'The simulation needs correcting.',
      'whatIf.categoryRequired': 'Choose a category.',
      'whatIf.daysInvalid': 'Enter a whole number from 1 to 100.',
      'whatIf.closuresInvalid': 'These entries are not existing dates as YYYY-MM-DD: {dates}.',
      'whatIf.closuresTooMany': 'Enter at most 60 closed days.',
      'whatIf.nothingChanged':
        'Change at least one thing: a delay, the automatic acknowledgement, the calendar or the closed days.',
      'whatIf.calendarVersion': '{name}, version {version} (in effect from {from})',
      'whatIf.caption': 'Reality and changed policy: {category}',
      'whatIf.indicator': 'Indicator',
      'whatIf.reality': 'Reality',
      'whatIf.changed': 'Changed policy',
      'whatIf.row.received': 'Requests received',
      'whatIf.row.ackOnTime': 'Acknowledged on time',
      'whatIf.row.ackAutomatic': 'Acknowledged automatically at the deadline',
      'whatIf.row.ackLate': 'Acknowledged late',
      'whatIf.row.ackMissing': 'Not acknowledged, deadline passed',
      'whatIf.row.answerOnTime': 'Answered by the promised date',
      'whatIf.row.answerLate': 'Answered late',
      'whatIf.row.answerMissing': 'Not answered, promised date passed',
      'whatIf.ackBreached': 'Acknowledgements that would have been late',
      'whatIf.answerBreached': 'Answers that would have been late',
      'whatIf.ackNoLongerBreached': 'Acknowledgements that would no longer have been late',
      'whatIf.answerNoLongerBreached': 'Answers that would no longer have been late',
      'whatIf.automaticInstead':
        'Staff acknowledgements after the new deadline (sent automatically at the deadline instead)',
      'whatIf.none': 'No case.',
    },
  },
};

/** The what-if words the script shows, for the page's `<template id="staff-text">`. */
export function whatIfScriptText(language: PageLanguage): readonly (readonly [string, string])[] {
  const text = WHAT_IF_STRINGS[language].script;
  return WHAT_IF_SCRIPT_TEXT_KEYS.map((key) => [key, text[key]] as const);
}
