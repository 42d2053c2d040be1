import type { LanguageBasisKind } from '../../shared/domain/case/requester';

export type PageLanguage = 'fr' | 'en';

/**
 * Every piece of interface text of the citizen pages, once per language. The two objects share one type, so a
 * string added in one language and not in the other does not compile. French follows Québec usage
 * (non-breaking space before the colon and inside « », typographic apostrophes).
 */
export interface CitizenStrings {
  readonly skipLink: string;
  readonly languageNavLabel: string;
  readonly otherLanguageName: string;
  readonly formTitle: string;
  readonly formIntro: string;
  readonly requiredNote: string;
  readonly required: string;
  readonly optional: string;
  readonly errorPrefix: string;
  readonly summaryTitle: (count: number) => string;
  readonly sectionRequest: string;
  readonly sectionContact: string;
  readonly sectionLanguage: string;
  readonly category: string;
  readonly subject: string;
  readonly subjectHint: string;
  readonly message: string;
  readonly messageHint: string;
  readonly name: string;
  readonly email: string;
  readonly emailHint: string;
  readonly phone: string;
  readonly phoneHint: string;
  readonly organization: string;
  readonly organizationHint: string;
  readonly language: string;
  readonly languageHint: string;
  readonly french: string;
  readonly english: string;
  readonly englishOnly: string;
  readonly languageBasis: string;
  readonly languageBasisPlaceholder: string;
  readonly languageBases: Readonly<Record<LanguageBasisKind, string>>;
  readonly arrivedOn: string;
  readonly arrivedOnHint: string;
  readonly attestation: string;
  readonly honeypot: string;
  readonly privacy: string;
  readonly submit: string;
  readonly sending: string;
  readonly networkError: string;
  /** The WAF asked this browser for a security check (a busy shared address) before accepting the form. */
  readonly challengeError: string;
  readonly confirmationTitle: string;
  readonly referenceLabel: string;
  readonly keepReference: string;
  readonly nextTitle: string;
  readonly emailReceipt: string;
  readonly acknowledgementBefore: string;
  readonly acknowledgementAfter: string;
  readonly noAcknowledgement: string;
  readonly confidential: string;
  readonly at: string;
  readonly contactTitle: string;
  readonly contactIntro: string;
  /** Before the complaints officer's name, on a request's confirmation (the unit is the contact). */
  readonly complainTo: string;
  readonly contactPhone: string;
  readonly contactEmail: string;
  readonly anotherRequest: string;
  readonly footer: string;
}

const FR: CitizenStrings = {
  skipLink: 'Passer au contenu principal',
  languageNavLabel: 'Langue',
  otherLanguageName: 'English',
  formTitle: 'Faire une demande, une plainte ou un commentaire',
  formIntro:
    'Utilisez ce formulaire pour nous écrire. Après l’envoi, vous obtiendrez un numéro de référence et la date au plus tard à laquelle nous vous enverrons un accusé de réception.',
  requiredNote: 'Les champs marqués «\u00a0obligatoire\u00a0» doivent être remplis.',
  required: 'obligatoire',
  optional: 'facultatif',
  errorPrefix: 'Erreur\u00a0:',
  summaryTitle: (count) =>
    count === 1 ? 'Le formulaire contient 1 erreur' : `Le formulaire contient ${count} erreurs`,
  sectionRequest: 'Votre demande',
  sectionContact: 'Vos coordonnées',
  sectionLanguage: 'Langue de correspondance',
  category: 'Type de demande',
  subject: 'Objet',
  subjectHint: 'En quelques mots, le sujet de votre demande.',
  message: 'Votre message',
  messageHint:
    'Au plus 10\u00a0000 caractères. N’y inscrivez pas de renseignements personnels dont nous n’avons pas besoin (par exemple votre numéro d’assurance sociale).',
  name: 'Nom et prénom',
  email: 'Adresse courriel',
  emailHint: 'Nous vous écrirons à cette adresse.',
  phone: 'Téléphone',
  phoneHint: 'Seulement si vous souhaitez que nous puissions vous appeler.',
  organization: 'Organisation ou entreprise',
  organizationHint: 'Si vous écrivez au nom d’une organisation ou d’une entreprise.',
  language: 'Dans quelle langue souhaitez-vous recevoir nos réponses?',
  languageHint:
    'Selon la Charte de la langue française, nous vous écrivons en français. Nous pouvons vous écrire en anglais seulement si vous faites partie de l’une des catégories de personnes prévues par la loi (article\u00a022.3 de la Charte) et que vous l’attestez de bonne foi.',
  french: 'Français',
  english: 'Anglais',
  englishOnly: 'À remplir seulement si vous choisissez l’anglais.',
  languageBasis: 'Motif qui vous rend admissible à recevoir nos réponses en anglais',
  languageBasisPlaceholder: 'Choisissez un motif',
  languageBases: {
    'eligible-english-instruction': 'Personne déclarée admissible à recevoir l’enseignement en anglais',
    'before-2021-05-13-correspondence':
      'Personne qui correspondait en anglais avec l’Administration au sujet de son dossier avant le 13\u00a0mai\u00a02021',
    aboriginal: 'Personne autochtone',
    'immigrant-first-six-months': 'Personne immigrante arrivée au Québec depuis moins de six mois',
    'outside-quebec': 'Personne ou entreprise située à l’extérieur du Québec',
    'health-safety-natural-justice':
      'Situation où la santé, la sécurité publique ou les principes de justice naturelle l’exigent',
  },
  arrivedOn: 'Date d’arrivée au Québec',
  arrivedOnHint:
    'Seulement pour le motif «\u00a0personne immigrante\u00a0». Format AAAA-MM-JJ, par exemple 2026-09-15.',
  attestation: 'J’atteste de bonne foi que je fais partie de la catégorie de personnes choisie ci-dessus.',
  honeypot: 'Laissez ce champ vide',
  privacy:
    'Les renseignements que vous nous transmettez servent uniquement à traiter votre demande. Ils sont protégés selon la Loi sur l’accès aux documents des organismes publics et sur la protection des renseignements personnels.',
  submit: 'Envoyer ma demande',
  sending: 'Envoi en cours…',
  networkError:
    'Votre demande n’a pas pu être envoyée, car la connexion a été interrompue. Vérifiez votre connexion et cliquez de nouveau sur «\u00a0Envoyer ma demande\u00a0»\u00a0: elle ne sera pas enregistrée en double.',
  challengeError:
    'Une vérification de sécurité est nécessaire avant l’envoi, car de nombreuses demandes proviennent de votre réseau. Copiez au besoin votre texte, rechargez la page, puis cliquez de nouveau sur «\u00a0Envoyer ma demande\u00a0».',
  confirmationTitle: 'Votre demande a été envoyée',
  referenceLabel: 'Votre numéro de référence',
  keepReference:
    'Conservez ce numéro\u00a0: il vous sera demandé si vous communiquez avec nous au sujet de votre demande.',
  nextTitle: 'Et maintenant?',
  emailReceipt: 'Un courriel de confirmation sera envoyé à l’adresse que vous avez indiquée.',
  acknowledgementBefore: 'Vous recevrez un accusé de réception au plus tard le',
  acknowledgementAfter: 'Il indiquera la date à laquelle vous recevrez une réponse.',
  noAcknowledgement:
    'Nous vous répondrons dans les délais prévus par notre Déclaration de services aux citoyens.',
  confidential:
    'Votre demande sera traitée de façon confidentielle par la personne responsable des plaintes.',
  at: 'à',
  contactTitle: 'Pour nous joindre',
  contactIntro: 'Mentionnez votre numéro de référence.',
  complainTo: 'Pour formuler une plainte sur nos services\u00a0:',
  contactPhone: 'Téléphone\u00a0:',
  contactEmail: 'Courriel\u00a0:',
  anotherRequest: 'Faire une autre demande',
  footer: 'Gouvernement du Québec',
};

const EN: CitizenStrings = {
  skipLink: 'Skip to main content',
  languageNavLabel: 'Language',
  otherLanguageName: 'Français',
  formTitle: 'Send a request, a complaint or a comment',
  formIntro:
    'Use this form to write to us. Once you send it, you will get a reference number and the latest date by which we will send you an acknowledgement of receipt.',
  requiredNote: 'Fields marked “required” must be filled in.',
  required: 'required',
  optional: 'optional',
  errorPrefix: 'Error:',
  summaryTitle: (count) =>
    count === 1 ? 'There is 1 problem with the form' : `There are ${count} problems with the form`,
  sectionRequest: 'Your request',
  sectionContact: 'Your contact information',
  sectionLanguage: 'Language of correspondence',
  category: 'Type of request',
  subject: 'Subject',
  subjectHint: 'In a few words, what your request is about.',
  message: 'Your message',
  messageHint:
    'Up to 10,000 characters. Do not include personal information we do not need (for example your social insurance number).',
  name: 'Full name',
  email: 'Email address',
  emailHint: 'We will write to you at this address.',
  phone: 'Phone',
  phoneHint: 'Only if you want us to be able to call you.',
  organization: 'Organization or business',
  organizationHint: 'If you are writing on behalf of an organization or a business.',
  language: 'In which language do you want to receive our answers?',
  languageHint:
    'Under the Charter of the French language, we write to you in French. We may write to you in English only if you belong to one of the categories of persons set out in the law (section 22.3 of the Charter) and you attest to it in good faith.',
  french: 'French',
  english: 'English',
  englishOnly: 'Fill in only if you choose English.',
  languageBasis: 'Basis that makes you eligible to receive our answers in English',
  languageBasisPlaceholder: 'Choose a basis',
  languageBases: {
    'eligible-english-instruction': 'Person declared eligible to receive instruction in English',
    'before-2021-05-13-correspondence':
      'Person who corresponded in English with the Administration about their file before May 13, 2021',
    aboriginal: 'Indigenous person',
    'immigrant-first-six-months': 'Immigrant who arrived in Québec less than six months ago',
    'outside-quebec': 'Person or business located outside Québec',
    'health-safety-natural-justice':
      'Situation where health, public safety or the principles of natural justice require it',
  },
  arrivedOn: 'Date of arrival in Québec',
  arrivedOnHint: 'Only for the “immigrant” basis. Format YYYY-MM-DD, for example 2026-09-15.',
  attestation: 'I attest in good faith that I belong to the category of persons chosen above.',
  honeypot: 'Leave this field empty',
  privacy:
    'The information you send us is used only to handle your request. It is protected under the Act respecting access to documents held by public bodies and the protection of personal information.',
  submit: 'Send my request',
  sending: 'Sending…',
  networkError:
    'Your request could not be sent because the connection was interrupted. Check your connection and select “Send my request” again: it will not be registered twice.',
  challengeError:
    'A security check is needed before sending, because many requests come from your network. Copy your text if needed, reload the page, then select “Send my request” again.',
  confirmationTitle: 'Your request has been sent',
  referenceLabel: 'Your reference number',
  keepReference: 'Keep this number: we will ask for it if you contact us about your request.',
  nextTitle: 'What happens next',
  emailReceipt: 'A confirmation email will be sent to the address you gave.',
  acknowledgementBefore: 'You will receive an acknowledgement of receipt no later than',
  acknowledgementAfter: 'It will state the date by which you will receive an answer.',
  noAcknowledgement: 'We will answer you within the time limits set out in our Service Statement.',
  confidential: 'Your request will be handled confidentially by the complaints officer.',
  at: 'at',
  contactTitle: 'How to reach us',
  contactIntro: 'Give your reference number.',
  complainTo: 'To complain about our services:',
  contactPhone: 'Phone:',
  contactEmail: 'Email:',
  anotherRequest: 'Send another request',
  footer: 'Gouvernement du Québec',
};

export const CITIZEN_STRINGS: Readonly<Record<PageLanguage, CitizenStrings>> = { fr: FR, en: EN };

/** The text of the service statement page around the policy's data, once per language. */
export interface StatementStrings {
  readonly title: string;
  readonly intro: string;
  /** The link to the statement from the form and the confirmation page. */
  readonly link: string;
  readonly servicesTitle: string;
  readonly servicesIntro: string;
  readonly writeTo: string;
  readonly commitmentsTitle: string;
  readonly acknowledgement: (delay: string) => string;
  readonly noAcknowledgement: string;
  readonly answer: (delay: string) => string;
  readonly delayUnits: Readonly<Record<'business-days' | 'calendar-days' | 'working-hours', string>>;
  readonly complainTitle: string;
  readonly complainIntro: string;
  readonly complaintsOfficerTitle: string;
  readonly complaintsPolicy: string;
  readonly ombudsmanTitle: string;
  readonly phone: string;
  readonly fax: string;
  readonly email: string;
  readonly website: string;
  readonly toForm: string;
}

export const STATEMENT_STRINGS: Readonly<Record<PageLanguage, StatementStrings>> = {
  fr: {
    title: 'Déclaration de services aux citoyens',
    intro:
      'Voici les services que nous offrons aux citoyennes, aux citoyens et aux entreprises, les délais que nous nous engageons à respecter et la façon de formuler un commentaire ou une plainte.',
    link: 'Notre déclaration de services aux citoyens',
    servicesTitle: 'Services offerts',
    servicesIntro: 'Vous pouvez nous écrire par courriel, par la poste ou au moyen du formulaire en ligne.',
    writeTo: 'Pour toute question\u00a0:',
    commitmentsTitle: 'Nos engagements',
    acknowledgement: (delay) =>
      `accusé de réception au plus tard ${delay} après la réception d’une demande écrite (lettre ou courriel), précisant la date de la réponse`,
    noAcknowledgement: 'aucun accusé de réception distinct',
    answer: (delay) => `réponse habituellement au plus tard ${delay} après la réception`,
    delayUnits: {
      'business-days': 'jours ouvrables',
      'calendar-days': 'jours civils',
      'working-hours': 'heures ouvrables',
    },
    complainTitle: 'Vous avez des commentaires ou des plaintes à formuler?',
    complainIntro:
      'Vos commentaires et vos plaintes contribuent à l’amélioration de nos services. Une personne désignée les traite en toute confidentialité.',
    complaintsOfficerTitle: 'Responsable des plaintes',
    complaintsPolicy: 'Consulter notre politique de gestion des plaintes',
    ombudsmanTitle: 'Protecteur du citoyen',
    phone: 'Téléphone\u00a0:',
    fax: 'Télécopieur\u00a0:',
    email: 'Courriel\u00a0:',
    website: 'Site Web\u00a0:',
    toForm: 'Faire une demande en ligne',
  },
  en: {
    title: 'Service statement',
    intro:
      'The services we offer citizens and businesses, the delays we commit to, and how to make a comment or a complaint.',
    link: 'Our service statement',
    servicesTitle: 'Services',
    servicesIntro: 'You can write to us by email, by mail or with the online form.',
    writeTo: 'For questions:',
    commitmentsTitle: 'Our commitments',
    acknowledgement: (delay) =>
      `acknowledgement no later than ${delay} after a written request (letter or email) is received, stating when you will get an answer`,
    noAcknowledgement: 'no separate acknowledgement',
    answer: (delay) => `answer usually no later than ${delay} after receipt`,
    delayUnits: {
      'business-days': 'business days',
      'calendar-days': 'calendar days',
      'working-hours': 'working hours',
    },
    complainTitle: 'Do you have comments or complaints?',
    complainIntro:
      'Your comments and complaints help us improve our services. A designated person handles them in complete confidentiality.',
    complaintsOfficerTitle: 'Complaints officer',
    complaintsPolicy: 'Read our complaints policy',
    ombudsmanTitle: 'Protecteur du citoyen (Québec Ombudsman)',
    phone: 'Telephone:',
    fax: 'Fax:',
    email: 'Email:',
    website: 'Website:',
    toForm: 'Send a request online',
  },
};
