import * as z from '../zod-mini';

import { canonicalEmailAddress, isEmailAddress } from '../domain/case/email-address';
import { LanguageBasisKindSchema } from '../domain/case/requester';
import { arrivalProblem } from '../domain/intake/form/language-basis';
import type { WebSubmission } from '../domain/intake/form/submit';
import { webCategories } from '../domain/intake/form/submit';
import type { Policy } from '../domain/policy/schema';
import type { LocalDate } from '../domain/time/types';
import { InvalidRequestError } from '../errors';
import type { BilingualText, RequestIssue } from '../errors';
import { OriginVerifyEnvSchema } from './env';

/** The fields of the citizen form, in the order of the page (`website` is the trap field). */
export const FORM_FIELDS = [
  'category',
  'subject',
  'message',
  'name',
  'email',
  'phone',
  'organization',
  'language',
  'languageBasis',
  'arrivedOn',
  'attestation',
  'website',
] as const;
export type FormField = (typeof FORM_FIELDS)[number];

/** The longest accepted request body, in bytes, checked before anything is decoded or parsed: 64 KiB. */
export const MAX_BODY_BYTES = 64 * 1024;

/**
 * Length limits in characters. The message is capped at 10 000 characters so that even a text full of accents
 * fits the body limit once URL-encoded by a browser without JavaScript; longer documents go by email.
 */
export const TEXT_LIMITS = {
  name: 200,
  email: 254,
  phone: 40,
  organization: 200,
  subject: 300,
  message: 10_000,
  website: 500,
} as const;

/** Why a field was refused; each code has a message per field in French and English (`issueMessage`). */
export type FormIssueCode =
  | 'required'
  | 'type'
  | 'tooLong'
  | 'lineBreak'
  | 'control'
  | 'invisible'
  | 'emoji'
  | 'encoding'
  | 'email'
  | 'phone'
  | 'unknownCategory'
  | 'notOnWeb'
  | 'language'
  | 'basis'
  | 'basisRequired'
  | 'attestationRequired'
  | 'arrivedOnRequired'
  | 'date'
  | 'arrivedInFuture'
  | 'arrivalTooOld'
  | 'unknownField'
  | 'notObject';

/** Replacement character (what a badly encoded byte becomes) or a lone UTF-16 surrogate. */
const BAD_ENCODING = /[\uFFFD\p{Cs}]/u;
const LINE_BREAK = /[\r\n\u2028\u2029\u0085]/u;
/** Any control character (C0, DEL, C1), tab included. */
const CONTROL = /\p{Cc}/u;
/** Control characters a free text may not hold: all but tab, line feed and carriage return. */
const CONTROL_IN_TEXT = /(?![\t\n\r])\p{Cc}/u;
/**
 * Bidirectional controls (they reorder what staff read: « Trojan source ») and, in one-line fields, every other
 * invisible format character but the joiners some scripts need (U+200C, U+200D).
 */
const BIDI = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/u;
const INVISIBLE = /(?![\u200C\u200D])\p{Cf}/u;
/** Emoji shown as pictures by default (one-line fields end up in mail subjects and staff lists). */
const EMOJI = /\p{Emoji_Presentation}/u;
const SEVEN_DIGITS = /(?:\d\D*){7}/;
const DATE_SHAPE = /^\d{4}-\d{2}-\d{2}$/;

const stop = (code: FormIssueCode) => ({ error: code, abort: true });
const typeError = (issue: { input?: unknown }): FormIssueCode => (issue.input == null ? 'required' : 'type');
/** An optional field left blank (or `null` in JSON) is absent. */
const blankToUndefined = (value: unknown): unknown =>
  value === null || (typeof value === 'string' && value.trim() === '') ? undefined : value;

/**
 * A one-line text (name, subject, organization): NFC, trimmed, no line break, control, invisible or
 * bidirectional character, no emoji, within its limit. Such values end up in mail headers, staff lists and
 * exports, where a line break is an injection and a direction override hides what the text says.
 */
function oneLine(max: number) {
  return z.string({ error: typeError }).check(
    z.normalize('NFC'),
    z.trim(),
    z.minLength(1, stop('required')),
    z.refine((value) => !BAD_ENCODING.test(value), stop('encoding')),
    z.refine((value) => !LINE_BREAK.test(value), stop('lineBreak')),
    z.refine((value) => !CONTROL.test(value), stop('control')),
    z.refine((value) => !BIDI.test(value) && !INVISIBLE.test(value), stop('invisible')),
    z.refine((value) => !EMOJI.test(value), stop('emoji')),
    z.maxLength(max, stop('tooLong')),
  );
}

/** The message: lines allowed (any line ending becomes LF), no other control or bidirectional character. */
function freeText(max: number) {
  return z.string({ error: typeError }).check(
    z.normalize('NFC'),
    z.trim(),
    z.minLength(1, stop('required')),
    z.refine((value) => !BAD_ENCODING.test(value), stop('encoding')),
    z.refine((value) => !CONTROL_IN_TEXT.test(value), stop('control')),
    z.refine((value) => !BIDI.test(value), stop('invisible')),
    z.overwrite((value) => value.replace(/\r\n?/g, '\n')),
    z.maxLength(max, stop('tooLong')),
  );
}

// zod's `preprocess` (of the full build) is this pipe.
const optional = <S extends z.ZodMiniType>(schema: S) =>
  z.pipe(z.transform(blankToUndefined), z.optional(schema));

function isRealDate(value: string): boolean {
  const time = Date.parse(`${value}T00:00:00Z`);
  return !Number.isNaN(time) && new Date(time).toISOString().startsWith(value);
}

/** The field schemas for one policy: its web categories are the only ones accepted. */
function fieldSchemas(policy: Policy) {
  const known = new Set(policy.categories.map((category) => category.id));
  const web = new Set(webCategories(policy).map((category) => category.id));
  return {
    category: z.string({ error: typeError }).check(
      z.trim(),
      z.minLength(1, stop('required')),
      z.refine((id) => known.has(id), stop('unknownCategory')),
      z.refine((id) => web.has(id), stop('notOnWeb')),
    ),
    name: oneLine(TEXT_LIMITS.name),
    // The rule email intake applies to senders (`isEmailAddress`): RFC 5322, so `user=tag@…` and quoted local
    // parts are addresses; kept in the form intake reads the requester's replies in.
    email: oneLine(TEXT_LIMITS.email).check(
      z.refine(isEmailAddress, stop('email')),
      z.overwrite(canonicalEmailAddress),
    ),
    phone: optional(oneLine(TEXT_LIMITS.phone).check(z.regex(SEVEN_DIGITS, stop('phone')))),
    organization: optional(oneLine(TEXT_LIMITS.organization)),
    subject: oneLine(TEXT_LIMITS.subject),
    message: freeText(TEXT_LIMITS.message),
    language: optional(z.enum(['fr', 'en'], { error: 'language' })),
    languageBasis: optional(z.enum(LanguageBasisKindSchema.options, { error: 'basis' })),
    arrivedOn: optional(
      z
        .string({ error: typeError })
        .check(z.trim(), z.regex(DATE_SHAPE, stop('date')), z.refine(isRealDate, stop('date'))),
    ),
    // A checkbox posts `yes` (its value) or nothing; JSON clients send a boolean.
    attestation: optional(
      z.pipe(
        z.union([z.boolean(), z.enum(['yes', 'on', 'true', 'no', 'off', 'false'])], { error: 'type' }),
        z.transform((value) => value === true || value === 'yes' || value === 'on' || value === 'true'),
      ),
    ),
    website: z.optional(z.string({ error: 'type' }).check(z.maxLength(TEXT_LIMITS.website, stop('tooLong')))),
  } satisfies Record<FormField, z.ZodMiniType>;
}

type FieldSchemas = ReturnType<typeof fieldSchemas>;
type FieldValues = { [F in FormField]?: z.output<FieldSchemas[F]> };

const schemasByPolicy = new WeakMap<Policy, FieldSchemas>();

function schemasFor(policy: Policy): FieldSchemas {
  let schemas = schemasByPolicy.get(policy);
  if (schemas === undefined) {
    schemas = fieldSchemas(policy);
    schemasByPolicy.set(policy, schemas);
  }
  return schemas;
}

/** Field names shown in generic messages. */
const FIELD_NAMES: Readonly<Record<FormField, BilingualText>> = {
  category: { fr: 'Type de demande', en: 'Type of request' },
  name: { fr: 'Nom', en: 'Name' },
  email: { fr: 'Adresse courriel', en: 'Email address' },
  phone: { fr: 'Téléphone', en: 'Phone' },
  organization: { fr: 'Organisation ou entreprise', en: 'Organization or business' },
  subject: { fr: 'Objet', en: 'Subject' },
  message: { fr: 'Message', en: 'Message' },
  language: { fr: 'Langue de correspondance', en: 'Language of correspondence' },
  languageBasis: { fr: 'Motif d’admissibilité', en: 'Basis of eligibility' },
  arrivedOn: { fr: 'Date d’arrivée au Québec', en: 'Date of arrival in Québec' },
  attestation: { fr: 'Attestation', en: 'Attestation' },
  website: { fr: 'Laissez ce champ vide', en: 'Leave this field empty' },
};

/** Messages written for one field, preferred to the generic ones. */
const FIELD_MESSAGES: Readonly<Partial<Record<FormField, Partial<Record<FormIssueCode, BilingualText>>>>> = {
  category: {
    required: { fr: 'Choisissez le type de demande.', en: 'Choose the type of request.' },
    unknownCategory: {
      fr: 'Choisissez un type de demande dans la liste.',
      en: 'Choose a type of request from the list.',
    },
    notOnWeb: {
      fr: 'Ce type de demande ne peut pas être envoyé par ce formulaire; choisissez-en un autre dans la liste.',
      en: 'This type of request cannot be sent with this form; choose another one from the list.',
    },
  },
  name: { required: { fr: 'Indiquez votre nom.', en: 'Enter your name.' } },
  email: {
    required: { fr: 'Indiquez votre adresse courriel.', en: 'Enter your email address.' },
    email: {
      fr: 'Indiquez une adresse courriel valide, par exemple nom@exemple.com.',
      en: 'Enter a valid email address, such as name@example.com.',
    },
  },
  phone: {
    phone: {
      fr: 'Indiquez un numéro de téléphone d’au moins 7 chiffres, ou laissez ce champ vide.',
      en: 'Enter a phone number with at least 7 digits, or leave this field empty.',
    },
  },
  subject: {
    required: { fr: 'Indiquez l’objet de votre demande.', en: 'Enter the subject of your request.' },
  },
  message: { required: { fr: 'Écrivez votre message.', en: 'Write your message.' } },
  language: { language: { fr: 'Choisissez le français ou l’anglais.', en: 'Choose French or English.' } },
  languageBasis: {
    basis: { fr: 'Choisissez un motif dans la liste.', en: 'Choose a basis from the list.' },
    basisRequired: {
      fr: 'Pour recevoir nos réponses en anglais, choisissez le motif qui vous y rend admissible.',
      en: 'To receive our answers in English, choose the basis that makes you eligible.',
    },
  },
  attestation: {
    attestationRequired: {
      fr: 'Pour recevoir nos réponses en anglais, cochez la case d’attestation.',
      en: 'To receive our answers in English, tick the attestation box.',
    },
  },
  arrivedOn: {
    arrivedOnRequired: {
      fr: 'Indiquez la date de votre arrivée au Québec.',
      en: 'Enter the date you arrived in Québec.',
    },
    date: {
      fr: 'Indiquez une date qui existe, au format AAAA-MM-JJ.',
      en: 'Enter a real date in the format YYYY-MM-DD.',
    },
    arrivedInFuture: {
      fr: 'La date d’arrivée ne peut pas être dans le futur.',
      en: 'The arrival date cannot be in the future.',
    },
    arrivalTooOld: {
      fr: 'Ce motif vaut pendant les six mois qui suivent l’arrivée au Québec; choisissez un autre motif ou le français.',
      en: 'This basis applies during the six months after arrival in Québec; choose another basis or French.',
    },
  },
};

const HONEYPOT_MESSAGE: BilingualText = {
  fr: 'Ce champ doit rester vide : effacez son contenu.',
  en: 'This field must stay empty: delete its content.',
};

/** The message of one refused field, in French and English; it never repeats the value given. */
export function issueMessage(field: FormField, code: FormIssueCode, limit?: number): BilingualText {
  if (field === 'website') return HONEYPOT_MESSAGE;
  const own = FIELD_MESSAGES[field]?.[code];
  if (own !== undefined) return own;
  const { fr: nameFr, en: nameEn } = FIELD_NAMES[field];
  switch (code) {
    case 'required':
      return { fr: `Remplissez le champ « ${nameFr} ».`, en: `Fill in "${nameEn}".` };
    case 'tooLong':
      return {
        fr: `Le champ « ${nameFr} » doit contenir au plus ${limit ?? ''} caractères.`,
        en: `"${nameEn}" must be ${limit ?? ''} characters or fewer.`,
      };
    case 'lineBreak':
      return {
        fr: `Le champ « ${nameFr} » doit tenir sur une seule ligne.`,
        en: `"${nameEn}" must fit on one line.`,
      };
    case 'control':
      return {
        fr: `Le champ « ${nameFr} » contient des caractères de contrôle qui ne sont pas permis.`,
        en: `"${nameEn}" contains control characters that are not allowed.`,
      };
    case 'invisible':
      return {
        fr: `Le champ « ${nameFr} » contient des caractères invisibles (par exemple de direction du texte); retirez-les.`,
        en: `"${nameEn}" contains invisible characters (such as text-direction controls); remove them.`,
      };
    case 'emoji':
      return {
        fr: `Le champ « ${nameFr} » ne peut pas contenir d’émoji.`,
        en: `"${nameEn}" cannot contain emoji.`,
      };
    case 'encoding':
      return {
        fr: `Le champ « ${nameFr} » contient des caractères mal encodés; retapez-le.`,
        en: `"${nameEn}" contains badly encoded characters; type it again.`,
      };
    default:
      return {
        fr: `Le champ « ${nameFr} » n’a pas une valeur acceptée.`,
        en: `"${nameEn}" does not have an accepted value.`,
      };
  }
}

/** Keys echoed back in "unexpected field" messages are short and plain; any other key is not repeated. */
const ECHOABLE_KEY = /^[A-Za-z0-9_$.-]{1,40}$/;
/** At most this many unexpected keys are reported (a body may hold thousands). */
const MAX_UNKNOWN_KEYS = 5;

function unknownFieldIssue(key: string): RequestIssue {
  if (!ECHOABLE_KEY.test(key)) {
    return {
      path: '',
      fr: 'La requête contient un champ inattendu.',
      en: 'The request has an unexpected field.',
    };
  }
  return {
    path: key,
    fr: `Le champ « ${key} » n’est pas attendu.`,
    en: `The field "${key}" is not expected.`,
  };
}

function fieldIssue(field: FormField, code: FormIssueCode, limit?: number): RequestIssue {
  return { path: field, ...issueMessage(field, code, limit) };
}

function isFormIssueCode(message: string): message is FormIssueCode {
  return /^[a-zA-Z]+$/.test(message);
}

/**
 * The rules between fields: English needs a basis and the attestation; the immigrant basis needs an arrival
 * date within the six months before the day of receipt (`arrivalProblem`). French ignores the basis fields.
 */
function crossFieldIssues(values: FieldValues, refused: ReadonlySet<FormField>, receivedOn: LocalDate) {
  const issues: RequestIssue[] = [];
  if (values.language !== 'en') return issues;
  if (values.languageBasis === undefined && !refused.has('languageBasis')) {
    issues.push(fieldIssue('languageBasis', 'basisRequired'));
  }
  if (values.attestation !== true && !refused.has('attestation')) {
    issues.push(fieldIssue('attestation', 'attestationRequired'));
  }
  if (values.languageBasis === 'immigrant-first-six-months' && !refused.has('arrivedOn')) {
    if (values.arrivedOn === undefined) {
      issues.push(fieldIssue('arrivedOn', 'arrivedOnRequired'));
    } else {
      const problem = arrivalProblem(values.arrivedOn, receivedOn);
      if (problem === 'in-the-future') issues.push(fieldIssue('arrivedOn', 'arrivedInFuture'));
      if (problem === 'more-than-six-months-ago') issues.push(fieldIssue('arrivedOn', 'arrivalTooOld'));
      if (problem === 'not-a-date') issues.push(fieldIssue('arrivedOn', 'date'));
    }
  }
  return issues;
}

function isPlainRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Parses the body of `POST /api/requests` (JSON or URL-encoded, already decoded into an object):
 * `{category, name, email, subject, message, phone?, organization?, language?, languageBasis?, arrivedOn?,
 * attestation?, website?}`. Each field is checked on its own (first problem only) and every refused field is
 * reported at once, with a message in French and English that never repeats the value; unknown fields are
 * refused (a typo must not be silently dropped), `__proto__` included.
 *
 * @param receivedOn the Québec date of receipt, which the immigrant basis is checked against
 * @throws InvalidRequestError
 */
export function parseFormSubmission(
  raw: unknown,
  options: { readonly policy: Policy; readonly receivedOn: LocalDate },
): WebSubmission {
  if (!isPlainRecord(raw)) {
    throw new InvalidRequestError([
      {
        path: '',
        fr: 'Le corps de la requête doit être un objet JSON.',
        en: 'The request body must be a JSON object.',
      },
    ]);
  }
  const schemas = schemasFor(options.policy);
  const issues: RequestIssue[] = [];
  const refused = new Set<FormField>();
  const values: Record<string, unknown> = {};
  for (const field of FORM_FIELDS) {
    const result = schemas[field].safeParse(Object.hasOwn(raw, field) ? raw[field] : undefined);
    if (result.success) {
      values[field] = result.data;
      continue;
    }
    const first = result.error.issues[0];
    const code = first !== undefined && isFormIssueCode(first.message) ? first.message : 'type';
    const limit = first?.code === 'too_big' ? Number(first.maximum) : undefined;
    issues.push(fieldIssue(field, code, limit));
    refused.add(field);
  }
  const known = new Set<string>(FORM_FIELDS);
  const unknown = Object.keys(raw).filter((key) => !known.has(key));
  issues.push(...unknown.slice(0, MAX_UNKNOWN_KEYS).map(unknownFieldIssue));
  const parsed = values as FieldValues;
  issues.push(...crossFieldIssues(parsed, refused, options.receivedOn));
  if (issues.length > 0) throw new InvalidRequestError(issues);
  return toSubmission(parsed);
}

function toSubmission(values: FieldValues): WebSubmission {
  const required = (field: 'category' | 'name' | 'email' | 'subject' | 'message'): string => {
    const value = values[field];
    if (value === undefined) throw new Error(`parsed form without ${field}`);
    return value;
  };
  const common = {
    category: required('category'),
    name: required('name'),
    email: required('email'),
    subject: required('subject'),
    message: required('message'),
    ...(values.phone !== undefined ? { phone: values.phone } : {}),
    ...(values.organization !== undefined ? { organization: values.organization } : {}),
    ...(values.website !== undefined ? { website: values.website } : {}),
  };
  if (values.language !== 'en' || values.languageBasis === undefined) return { ...common, language: 'fr' };
  return {
    ...common,
    language: 'en',
    languageBasis: values.languageBasis,
    ...(values.arrivedOn !== undefined && values.languageBasis === 'immigrant-first-six-months'
      ? { arrivedOn: values.arrivedOn }
      : {}),
    attested: true,
  };
}

/**
 * The `Idempotency-Key` header of a form submission: 8 to 128 characters among letters, digits, `.`, `_` and
 * `-` (a `crypto.randomUUID()` in practice). It becomes part of the intake key, so nothing else is allowed.
 */
export const FormIdempotencyKeySchema = z.string().check(z.regex(/^[A-Za-z0-9._-]{8,128}$/));

/** Refusal of a malformed `Idempotency-Key` header. */
export const IDEMPOTENCY_KEY_ISSUE: RequestIssue = {
  path: 'Idempotency-Key',
  fr: 'L’en-tête Idempotency-Key doit contenir de 8 à 128 lettres, chiffres, points, traits de soulignement ou traits d’union.',
  en: 'The Idempotency-Key header must hold 8 to 128 letters, digits, dots, underscores or hyphens.',
};

/** Environment of the form-intake Lambda, read once at cold start; no defaults for names. */
export const FormIntakeEnvSchema = z.object({
  CASES_TABLE_NAME: z.string().check(z.minLength(3)),
  LEDGER_TABLE_NAME: z.string().check(z.minLength(3)),
  /** Holds the yearly reference counters. */
  CONTROL_TABLE_NAME: z.string().check(z.minLength(3)),
  /** The case-lifecycle state machine each new case starts (execution name = case id). */
  STATE_MACHINE_ARN: z.string().check(z.startsWith('arn:')),
  /** Policy of the organization (bundled policy file id). */
  POLICY_ID: z.literal('sct'),
  /** The origin-verify secret and the secrets extension's port. */
  ...OriginVerifyEnvSchema.shape,
});
export type FormIntakeEnv = z.infer<typeof FormIntakeEnvSchema>;

export { LambdaSessionEnvSchema } from './env';
