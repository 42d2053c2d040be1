import type { BilingualText } from '../time/types';

/**
 * The indicators of the service-statement report, in the order they are shown, with their names in French
 * and English (CSV headers, pages). Each is defined precisely in `docs/service-statement-report.md`.
 */
export const INDICATORS = {
  received: { fr: 'Demandes reçues', en: 'Requests received' },
  'ack-assessed': {
    fr: 'Accusés de réception dont le délai est échu',
    en: 'Acknowledgements whose deadline has come',
  },
  'ack-on-time': {
    fr: 'Accusés de réception dans le délai légal',
    en: 'Acknowledged within the legal delay',
  },
  'ack-by-staff': { fr: 'Accusés de réception envoyés par le personnel', en: 'Acknowledged by staff' },
  'ack-automatic': {
    fr: 'Accusés de réception envoyés automatiquement à l’échéance',
    en: 'Acknowledged automatically at the deadline',
  },
  'ack-late': { fr: 'Accusés de réception en retard', en: 'Acknowledged late' },
  'ack-missing': {
    fr: 'Sans accusé de réception, délai dépassé',
    en: 'Not acknowledged, deadline passed',
  },
  'ack-pending': { fr: 'Accusés de réception pas encore dus', en: 'Acknowledgements not yet due' },
  'answer-assessed': {
    fr: 'Réponses dont la date promise est échue',
    en: 'Answers whose promised date has come',
  },
  'answer-on-time': { fr: 'Réponses données à la date promise', en: 'Answers given by the promised date' },
  'answer-late': { fr: 'Réponses données en retard', en: 'Answers given late' },
  'answer-missing': { fr: 'Sans réponse, date promise dépassée', en: 'Not answered, promised date passed' },
  'answer-pending': { fr: 'Réponses pas encore dues', en: 'Answers not yet due' },
  'answer-delay': {
    fr: 'Délai de réponse (jours ouvrables)',
    en: 'Answer delay (business days)',
  },
  extended: { fr: 'Délais de réponse prolongés', en: 'Answer delays extended' },
  'delay-notices': { fr: 'Avis de retard envoyés', en: 'Delay notices sent' },
  'complaints-received': { fr: 'Plaintes reçues', en: 'Complaints received' },
  'complaints-answered': { fr: 'Plaintes répondues', en: 'Complaints answered' },
  'comments-received': { fr: 'Commentaires reçus', en: 'Comments received' },
  'comments-answered': { fr: 'Commentaires répondus', en: 'Comments answered' },
  dissatisfied: {
    fr: 'Insatisfactions consignées (dirigées vers la révision et le Protecteur du citoyen)',
    en: 'Dissatisfaction recorded (referred to review and the Protecteur du citoyen)',
  },
  handoffs: { fr: 'Transferts par dossier', en: 'Hand-offs per case' },
  'open-at-end': { fr: 'Dossiers ouverts à la fin de la période', en: 'Cases open at the end of the period' },
  'open-past-deadline': {
    fr: 'Dossiers ouverts en dépassement d’échéance à la fin de la période',
    en: 'Open cases past a deadline at the end of the period',
  },
} as const satisfies Record<string, BilingualText>;

export type IndicatorId = keyof typeof INDICATORS;

export const INDICATOR_IDS = Object.keys(INDICATORS) as IndicatorId[];
