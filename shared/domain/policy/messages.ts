import type * as z from 'zod';

/** One message in both languages a policy author may read. */
export interface BilingualMessage {
  en: string;
  fr: string;
}

/**
 * Messages attached to format checks (regex) of the policy schema. The schema carries the English text; the
 * French one is found here when an issue is described.
 */
export const FORMAT_MESSAGES = {
  slug: {
    en: 'must be lowercase letters, digits and hyphens, starting with a letter (e.g. service-complaint)',
    fr: 'doit contenir des lettres minuscules, des chiffres et des traits d’union, et commencer par une lettre (ex. service-complaint)',
  },
  referencePrefix: {
    en: 'must be 2 to 10 uppercase letters (e.g. SCT)',
    fr: 'doit contenir de 2 à 10 lettres majuscules (ex. SCT)',
  },
  version: {
    en: 'must be a version label made of letters, digits, dots, plus signs and hyphens (e.g. 2026.1)',
    fr: 'doit être une étiquette de version faite de lettres, de chiffres, de points, de signes plus et de traits d’union (ex. 2026.1)',
  },
  time: { en: 'must be a local time HH:MM (e.g. 08:30)', fr: 'doit être une heure locale HH:MM (ex. 08:30)' },
  phone: {
    en: 'must be a phone number made of digits, spaces, hyphens, parentheses and +',
    fr: 'doit être un numéro de téléphone fait de chiffres, d’espaces, de traits d’union, de parenthèses et de +',
  },
  website: {
    en: 'must be a website address (e.g. www.protecteurducitoyen.qc.ca)',
    fr: 'doit être une adresse de site Web (ex. www.protecteurducitoyen.qc.ca)',
  },
  localDate: { en: 'expected a date YYYY-MM-DD', fr: 'une date AAAA-MM-JJ est attendue' },
  realDate: { en: 'must be a real calendar date', fr: 'doit être une date qui existe au calendrier' },
} as const satisfies Record<string, BilingualMessage>;

const FRENCH_BY_ENGLISH = new Map<string, string>(Object.values(FORMAT_MESSAGES).map((m) => [m.en, m.fr]));

const EXPECTED: Record<string, BilingualMessage> = {
  string: { en: 'a string', fr: 'une chaîne de caractères' },
  number: { en: 'a number', fr: 'un nombre' },
  int: { en: 'an integer', fr: 'un nombre entier' },
  boolean: { en: 'true or false', fr: 'true ou false' },
  array: { en: 'a list', fr: 'une liste' },
  object: { en: 'an object', fr: 'un objet' },
  null: { en: 'null', fr: 'null' },
};

const quoteEn = (values: readonly unknown[]): string => values.map((v) => JSON.stringify(v)).join(', ');
const quoteFr = (values: readonly unknown[]): string => values.map((v) => `« ${String(v)} »`).join(', ');
const plural = (n: number | bigint, word: string): string => `${n} ${word}${Number(n) > 1 ? 's' : ''}`;

/** Describes one zod issue in English and French, without repeating the value that was given. */
export function describeIssue(issue: z.core.$ZodIssue): BilingualMessage {
  const isValueIssue =
    issue.code === 'invalid_type' || issue.code === 'invalid_value' || issue.code === 'invalid_union';
  if (isValueIssue && issue.input === undefined) return { en: 'is required', fr: 'est obligatoire' };
  switch (issue.code) {
    case 'invalid_type': {
      const expected = EXPECTED[issue.expected] ?? { en: issue.expected, fr: issue.expected };
      return { en: `must be ${expected.en}`, fr: `doit être ${expected.fr}` };
    }
    case 'too_small':
      return describeBound(issue.origin, issue.minimum, issue.inclusive !== false, 'min');
    case 'too_big':
      return describeBound(issue.origin, issue.maximum, issue.inclusive !== false, 'max');
    case 'invalid_value':
      return issue.values.length === 1
        ? { en: `must be ${quoteEn(issue.values)}`, fr: `doit valoir ${quoteFr(issue.values)}` }
        : {
            en: `must be one of ${quoteEn(issue.values)}`,
            fr: `doit être l’une des valeurs ${quoteFr(issue.values)}`,
          };
    case 'invalid_union':
      if (issue.discriminator !== undefined && 'options' in issue && issue.options) {
        return {
          en: `must be one of ${quoteEn(issue.options)}`,
          fr: `doit être l’une des valeurs ${quoteFr(issue.options)}`,
        };
      }
      return { en: 'does not match any allowed form', fr: 'ne correspond à aucune forme permise' };
    case 'invalid_format': {
      if (issue.format === 'email')
        return { en: 'must be an email address', fr: 'doit être une adresse courriel' };
      const fr = FRENCH_BY_ENGLISH.get(issue.message);
      return fr ? { en: issue.message, fr } : { en: 'has an invalid format', fr: 'n’a pas un format valide' };
    }
    case 'unrecognized_keys':
      return { en: 'is not a known field', fr: 'n’est pas un champ connu' };
    case 'custom': {
      const fr: unknown = issue.params?.['fr'];
      return { en: issue.message, fr: typeof fr === 'string' ? fr : issue.message };
    }
    default:
      return { en: issue.message, fr: 'valeur invalide' };
  }
}

function describeBound(
  origin: string,
  limit: number | bigint,
  inclusive: boolean,
  side: 'min' | 'max',
): BilingualMessage {
  if (origin === 'string') {
    if (side === 'min' && Number(limit) === 1)
      return { en: 'must not be empty', fr: 'ne doit pas être vide' };
    return side === 'min'
      ? {
          en: `must have at least ${plural(limit, 'character')}`,
          fr: `doit avoir au moins ${plural(limit, 'caractère')}`,
        }
      : {
          en: `must have at most ${plural(limit, 'character')}`,
          fr: `doit avoir au plus ${plural(limit, 'caractère')}`,
        };
  }
  if (origin === 'array' || origin === 'set') {
    return side === 'min'
      ? {
          en: `must have at least ${plural(limit, 'item')}`,
          fr: `doit avoir au moins ${plural(limit, 'élément')}`,
        }
      : {
          en: `must have at most ${plural(limit, 'item')}`,
          fr: `doit avoir au plus ${plural(limit, 'élément')}`,
        };
  }
  if (side === 'min') {
    if (!inclusive && Number(limit) === 0) return { en: 'must be positive', fr: 'doit être positif' };
    return inclusive
      ? { en: `must be at least ${limit}`, fr: `doit être supérieur ou égal à ${limit}` }
      : { en: `must be greater than ${limit}`, fr: `doit être supérieur à ${limit}` };
  }
  return inclusive
    ? { en: `must be at most ${limit}`, fr: `doit être inférieur ou égal à ${limit}` }
    : { en: `must be less than ${limit}`, fr: `doit être inférieur à ${limit}` };
}

/** Formats a zod path the way a policy author writes it: `categories[2].acknowledgement.delay.amount`. */
export function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((out, key) => {
    if (typeof key === 'number') return `${out}[${key}]`;
    const name = String(key);
    return out === '' ? name : `${out}.${name}`;
  }, '');
}
