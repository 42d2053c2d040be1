import * as z from '../../zod-mini';

import { LocalDateSchema } from '../time/types';
import { EmailAddressSchema } from './email-address';
import { singleLineText } from './text';

/**
 * Why the Administration may write to this person in a language other than French: the derogations of the
 * Charte de la langue française (art. 22.3, as amended in 2022) and the acquired right of people who
 * corresponded in that language before 13 May 2021. English is never "on request": without one of these
 * bases the record stays French.
 */
export const LanguageBasisKindSchema = z.enum([
  'eligible-english-instruction',
  'before-2021-05-13-correspondence',
  'aboriginal',
  'immigrant-first-six-months',
  'outside-quebec',
  'health-safety-natural-justice',
]);
export type LanguageBasisKind = z.infer<typeof LanguageBasisKindSchema>;

/**
 * A language basis with the date the person attested it (good-faith attestation). For the six-month
 * immigrant basis the arrival date is required too, because the basis lapses six months after it.
 */
export const LanguageBasisSchema = z
  .strictObject({
    basis: LanguageBasisKindSchema,
    attestedOn: LocalDateSchema,
    arrivedOn: z.optional(LocalDateSchema),
  })
  .check(
    z.refine((value) => value.basis !== 'immigrant-first-six-months' || value.arrivedOn !== undefined, {
      message: 'the immigrant basis needs the arrival date',
      path: ['arrivedOn'],
    }),
  );
export type LanguageBasis = z.infer<typeof LanguageBasisSchema>;

export const LanguageSchema = z.enum(['fr', 'en']);
export type Language = z.infer<typeof LanguageSchema>;

/** A postal address as written on an envelope; international addresses are allowed. */
export const PostalAddressSchema = z.strictObject({
  lines: z.array(singleLineText(200)).check(z.minLength(1), z.maxLength(4)),
  municipality: singleLineText(100),
  province: z.optional(singleLineText(100)),
  postalCode: z.optional(singleLineText(20)),
  /** ISO 3166-1 alpha-2. */
  country: z.string().check(z.regex(/^[A-Z]{2}$/, 'expected an ISO 3166-1 alpha-2 code')),
});
export type PostalAddress = z.infer<typeof PostalAddressSchema>;

/** A phone number as given (extensions allowed); at least seven digits. */
export const PhoneSchema = singleLineText(40).check(
  z.regex(/(?:\d\D*){7}/, 'expected at least seven digits'),
);

const requesterFields = {
  name: singleLineText(200),
  /** Absent for letters and phone calls without one. */
  email: z.optional(EmailAddressSchema),
  postalAddress: z.optional(PostalAddressSchema),
  phone: z.optional(PhoneSchema),
};

/**
 * The person or company that wrote. French is the default language; `en` is valid only with a language
 * basis. A French record may keep a basis (the person is eligible but chose French).
 */
export const RequesterSchema = z.discriminatedUnion('language', [
  z.strictObject({
    ...requesterFields,
    language: z.literal('fr'),
    languageBasis: z.optional(LanguageBasisSchema),
  }),
  z.strictObject({ ...requesterFields, language: z.literal('en'), languageBasis: LanguageBasisSchema }),
]);
export type Requester = z.infer<typeof RequesterSchema>;
