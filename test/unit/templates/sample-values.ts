import type { TemplateId, TemplateValues } from '../../../shared/templates';

export const REFERENCE = 'SCT-2026-000123';
export const CONTACT_FR =
  'Responsable des plaintes\nSecrétariat du Conseil du trésor\n875, Grande Allée Est, 5e étage, secteur 500\nQuébec (Québec) G1R 5R8\nTéléphone : 418 644-4767\nCourriel : responsable-plaintes@sct.gouv.qc.ca';

/** Realistic values for every template, as the use cases format them (dates in words, in French). */
export const SAMPLE_VALUES: { readonly [T in TemplateId]: TemplateValues<T> } = {
  'automatic-receipt': {
    reference: REFERENCE,
    receivedDate: '3 mars 2026',
    acknowledgementDueDate: '17 mars 2026',
    categoryName: 'Statistiques',
    contact: CONTACT_FR,
  },
  acknowledgement: {
    reference: REFERENCE,
    requesterName: 'Marie Tremblay',
    subject: 'Statistiques sur l’effectif 2025',
    receivedDate: '3 mars 2026',
    answerByDate: '31 mars 2026',
    contact: CONTACT_FR,
  },
  'automatic-acknowledgement': {
    reference: REFERENCE,
    receivedDate: '3 mars 2026',
    answerByDate: '31 mars 2026',
    contact: CONTACT_FR,
  },
  'extension-notice': {
    reference: REFERENCE,
    requesterName: 'Marie Tremblay',
    previousAnswerByDate: '31 mars 2026',
    answerByDate: '21 avril 2026',
    reason: 'Les données demandées doivent être compilées par une autre direction.',
    contact: CONTACT_FR,
  },
  'delay-notice': {
    reference: REFERENCE,
    answerByDate: '31 mars 2026',
    contact: CONTACT_FR,
  },
  'answer-cover': {
    reference: REFERENCE,
    requesterName: 'Marie Tremblay',
    subject: 'Statistiques sur l’effectif 2025',
    answer: 'Voici les données demandées.\n\nElles sont aussi publiées sur notre site Web.',
    referral: 'Paragraphe de recours.',
    contact: CONTACT_FR,
  },
  'protecteur-referral': {
    reference: REFERENCE,
    referralText:
      'Si vous n’êtes pas satisfait de la réponse ou de la qualité du service, vous pouvez soumettre votre cas au Protecteur du citoyen par l’un des moyens suivants :',
    office:
      'Protecteur du citoyen\nBureau du Protecteur du citoyen\n525, boul. René-Lévesque Est\nBureau 1.25\nQuébec (Québec) G1R 5Y4\nTéléphone : 1 800 463-5070\nTélécopieur : 1 866 902-7130\nCourriel : protecteur@protecteurducitoyen.qc.ca\nSite Web : www.protecteurducitoyen.qc.ca',
  },
  'review-conclusion': {
    reference: REFERENCE,
    requesterName: 'Marie Gagnon',
    answer: 'Après réexamen, nous maintenons notre réponse.',
    referral: 'Paragraphe de recours.',
    contact: CONTACT_FR,
  },
  'amp-referral': { reference: REFERENCE },
  'attachment-refused': {
    reference: REFERENCE,
    receivedDate: '3 mars 2026',
    refusedFiles: '- macro.docm : document contenant des macros\n- video.mp4 : plus de 10 Mo',
    contact: CONTACT_FR,
  },
  'task-notification': {
    reference: REFERENCE,
    categoryName: 'Statistiques',
    caseUrl: 'https://jalon.example.gouv.qc.ca/dossiers/0b8f5c1e',
    acknowledgementDueDate: '17 mars 2026',
    answerDueDate: '31 mars 2026',
  },
  reminder: {
    reference: REFERENCE,
    caseUrl: 'https://jalon.example.gouv.qc.ca/dossiers/0b8f5c1e',
    deadlineName: 'Accusé de réception',
    dueDate: '17 mars 2026',
    businessDaysLeft: '2',
  },
  escalation: {
    reference: REFERENCE,
    caseUrl: 'https://jalon.example.gouv.qc.ca/dossiers/0b8f5c1e',
    deadlineName: 'Réponse',
    dueDate: '31 mars 2026',
    assignee: 'Équipe des statistiques',
    level: '1',
  },
  'acknowledgement-deadline-reached': {
    reference: REFERENCE,
    caseUrl: 'https://jalon.example.gouv.qc.ca/dossiers/0b8f5c1e',
    dueDate: 'lundi 11 janvier 2027',
    assignee: 'Équipe des statistiques',
    outcome: 'Jalon a envoyé l’accusé de réception automatiquement au demandeur.',
  },
  'ops-alert': {
    caseId: '0b8f5c1e-4d0a-4c55-9d43-3f0b2a7f6e11',
    step: 'SendAckReminder',
    errorName: 'EmailServiceUnavailableError',
    at: '2026-03-16T13:30:00.000Z',
  },
};
