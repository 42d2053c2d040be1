import { FORM_TYPE, JSON_TYPE, VALID, urlEncoded } from './fixtures';

/**
 * One malformed or hostile request to `POST /api/requests`. Every one must be refused with a 4xx that says
 * what is wrong (naming the field when there is one), never a 5xx, and nothing may be written.
 */
export interface HostileCase {
  readonly name: string;
  /** The raw body, sent as is. */
  readonly body: string;
  /** `null`: no Content-Type header at all. */
  readonly contentType?: string | null;
  readonly isBase64Encoded?: boolean;
  readonly headers?: Record<string, string>;
  readonly status: 400 | 413 | 415;
  /** The field the answer must name ('' for the body as a whole); absent when the status says it all. */
  readonly field?: string;
}

/** Marks injected values: an answer must never repeat them. */
export const MARKER = 'EVIL';

type Fields = Record<string, unknown>;

const json = (fields: Fields) => JSON.stringify(fields);
const withField = (field: string, value: unknown): Fields => ({ ...VALID, [field]: value });
const without = (field: string): Fields => {
  const copy: Fields = { ...VALID };
  delete copy[field];
  return copy;
};

const REQUIRED = ['category', 'name', 'email', 'subject', 'message'] as const;
const ONE_LINE = ['name', 'subject', 'organization'] as const;
const LIMITS = {
  name: 200,
  email: 254,
  subject: 300,
  message: 10_000,
  organization: 200,
  phone: 40,
} as const;

function jsonCase(name: string, fields: Fields, field: string | undefined, status: 400 = 400): HostileCase {
  return { name, body: json(fields), status, ...(field !== undefined ? { field } : {}) };
}

const missingAndBlank: HostileCase[] = REQUIRED.flatMap((field) => [
  jsonCase(`missing ${field}`, without(field), field),
  jsonCase(`empty ${field}`, withField(field, ''), field),
  jsonCase(`blank ${field}`, withField(field, ' \t  '), field),
]);

const WRONG_TYPES: readonly [string, unknown][] = [
  ['a number', 42],
  ['a boolean', true],
  ['an array', ['a', 'b']],
  ['an object', { nested: MARKER }],
  ['null', null],
];
const typeCase =
  (field: string) =>
  ([kind, value]: readonly [string, unknown]) =>
    jsonCase(`${field} is ${kind}`, withField(field, value), field);
const wrongTypes: HostileCase[] = [
  ...REQUIRED.flatMap((field) => WRONG_TYPES.map(typeCase(field))),
  // Optional fields may be null (absent); anything else that is not text is refused.
  ...['phone', 'organization', 'language'].flatMap((field) =>
    WRONG_TYPES.filter(([kind]) => kind !== 'null').map(typeCase(field)),
  ),
  ...WRONG_TYPES.filter(([kind]) => kind !== 'null' && kind !== 'a boolean').map(typeCase('attestation')),
];

const oversize: HostileCase[] = Object.entries(LIMITS).map(([field, limit]) =>
  jsonCase(
    `${field} over ${limit} characters`,
    withField(
      field,
      field === 'email'
        ? `${'a'.repeat(limit)}@example.com`
        : field === 'phone'
          ? '1'.repeat(limit + 1)
          : 'x'.repeat(limit + 1),
    ),
    field,
  ),
);

const controlCharacters: HostileCase[] = [
  ...(['name', 'subject', 'organization', 'message', 'email'] as const).map((field) =>
    jsonCase(`NUL in ${field}`, withField(field, `Bonjour\u0000${MARKER}`), field),
  ),
  jsonCase('BEL in name', withField('name', `Marie\u0007${MARKER}`), 'name'),
  jsonCase('ESC sequence in subject', withField('subject', `\u001b[31m${MARKER}`), 'subject'),
  jsonCase('DEL in name', withField('name', `Marie\u007f${MARKER}`), 'name'),
  jsonCase('C1 NEL in subject', withField('subject', `Objet\u0085${MARKER}`), 'subject'),
  jsonCase('tab in name', withField('name', `Marie\t${MARKER}`), 'name'),
  jsonCase('vertical tab in message', withField('message', `Bonjour\u000b${MARKER}`), 'message'),
];

const headerInjection: HostileCase[] = [
  jsonCase('CRLF Bcc injection in name', withField('name', `Marie\r\nBcc: ${MARKER}@evil.example`), 'name'),
  jsonCase(
    'LF Bcc injection in subject',
    withField('subject', `Objet\nBcc: ${MARKER}@evil.example`),
    'subject',
  ),
  jsonCase('CR alone in subject', withField('subject', `Objet\rX-${MARKER}: 1`), 'subject'),
  jsonCase(
    'CRLF Bcc injection in email',
    withField('email', `a@example.com\r\nBcc: ${MARKER}@evil.example`),
    'email',
  ),
  jsonCase('LF in organization', withField('organization', `Acme\nX-${MARKER}: 1`), 'organization'),
  jsonCase('line separator in subject', withField('subject', `Objet\u2028${MARKER}`), 'subject'),
  jsonCase('paragraph separator in name', withField('name', `Marie\u2029${MARKER}`), 'name'),
  {
    name: 'percent-encoded CRLF in a URL-encoded name',
    body: urlEncoded({ ...VALID, name: 'x' }).replace(
      'name=x',
      `name=Marie%0D%0ABcc%3A+${MARKER}%40evil.example`,
    ),
    contentType: FORM_TYPE,
    status: 400,
    field: 'name',
  },
];

const badEmails: HostileCase[] = [
  'not-an-email',
  'marie@',
  '@example.com',
  'marie@example',
  'marie tremblay@example.com',
  'marie@example..com',
  '<marie@example.com>',
  'Marie Tremblay <marie@example.com>',
  'marie@example.com, autre@example.com',
  'marie@exa mple.com',
].map((email) => jsonCase(`email ${JSON.stringify(email)}`, withField('email', email), 'email'));

const badCategories: HostileCase[] = [
  jsonCase('unknown category', withField('category', 'weather'), 'category'),
  jsonCase('category in capitals', withField('category', 'STATISTICS'), 'category'),
  jsonCase('category path traversal', withField('category', '../../etc/passwd'), 'category'),
  jsonCase('category with CRLF', withField('category', `statistics\r\n${MARKER}`), 'category'),
  jsonCase('category number beyond 2^53', withField('category', 9007199254740993), 'category'),
];

const invalidJson: HostileCase[] = [
  '{',
  '{"name": }',
  "{'name': 'Marie'}",
  'nul',
  '[1, 2',
  '{"name": "Marie",}',
  'undefined',
  'NaN',
  '{"name": "Marie"}}',
  '\u0000',
  '{"name": "\\x41"}',
  `${json(VALID).slice(0, -1)}, "message": "unterminated}`,
].map((body, index) => ({ name: `invalid JSON #${index + 1}`, body, status: 400 as const, field: '' }));

const notAnObject: HostileCase[] = ['[]', `[${json(VALID)}]`, '"Bonjour"', '42', 'true', 'null', '1e999'].map(
  (body) => ({ name: `JSON body ${body.slice(0, 20)}`, body, status: 400 as const, field: '' }),
);

const unknownKeys: HostileCase[] = [
  {
    name: '__proto__ with an object (prototype pollution)',
    body: `{"__proto__": {"polluted": "${MARKER}"}, ${json(VALID).slice(1)}`,
    status: 400,
    field: '__proto__',
  },
  jsonCase(
    'constructor.prototype',
    { ...VALID, constructor: { prototype: { polluted: MARKER } } },
    'constructor',
  ),
  jsonCase('an unexpected field', { ...VALID, isAdmin: true }, 'isAdmin'),
  jsonCase('a field in the wrong case', { ...without('name'), Name: 'Marie' }, 'Name'),
  {
    name: '__proto__[polluted] in a URL-encoded body',
    body: `${urlEncoded({ ...VALID })}&__proto__%5Bpolluted%5D=${MARKER}&__proto__=${MARKER}`,
    contentType: FORM_TYPE,
    status: 400,
    field: '__proto__',
  },
];

const hugeNumbers: HostileCase[] = [
  jsonCase('phone as 1e308', withField('phone', 1e308), 'phone'),
  {
    name: 'name as 1e999 (Infinity)',
    body: json(VALID).replace(`"${VALID.name}"`, '1e999'),
    status: 400,
    field: 'name',
  },
  {
    name: 'subject as a 400-digit number',
    body: json(VALID).replace(`"${VALID.subject}"`, '9'.repeat(400)),
    status: 400,
    field: 'subject',
  },
];

const wrongContentTypes: HostileCase[] = [
  { name: 'no Content-Type', body: json(VALID), contentType: null, status: 415 },
  { name: 'text/plain', body: json(VALID), contentType: 'text/plain', status: 415 },
  {
    name: 'multipart/form-data',
    body: json(VALID),
    contentType: 'multipart/form-data; boundary=x',
    status: 415,
  },
  { name: 'application/xml', body: '<request/>', contentType: 'application/xml', status: 415 },
  {
    name: 'JSON in latin-1',
    body: json(VALID),
    contentType: 'application/json; charset=iso-8859-1',
    status: 415,
  },
  { name: 'text/html', body: '<form></form>', contentType: 'text/html', status: 415 },
];

const tooLarge: HostileCase[] = [
  { name: 'JSON body over 64 KiB', body: json(withField('message', 'x'.repeat(70_000))), status: 413 },
  {
    name: 'URL-encoded body over 64 KiB',
    body: urlEncoded({ ...VALID, message: 'é'.repeat(12_000) }),
    contentType: FORM_TYPE,
    status: 413,
  },
  {
    name: 'base64 body over 64 KiB once decoded',
    body: Buffer.from(json(withField('message', 'x'.repeat(66_000)))).toString('base64'),
    isBase64Encoded: true,
    status: 413,
  },
];

const base64Garbage: HostileCase[] = [
  { name: 'base64 with invalid characters', body: '!!!!$$$$', isBase64Encoded: true, status: 400, field: '' },
  {
    name: 'base64 of invalid UTF-8',
    body: Buffer.from([0xff, 0xfe, 0xc3, 0x28]).toString('base64'),
    isBase64Encoded: true,
    status: 400,
    field: '',
  },
  {
    name: 'base64 of plain text',
    body: Buffer.from('hello world').toString('base64'),
    isBase64Encoded: true,
    status: 400,
    field: '',
  },
  { name: 'base64 without padding', body: 'eyJh', isBase64Encoded: true, status: 400, field: '' },
  { name: 'truncated base64', body: 'eyJhIjoxfQ', isBase64Encoded: true, status: 400, field: '' },
];

const invisibleAndEmoji: HostileCase[] = [
  ...ONE_LINE.map((field) => jsonCase(`emoji in ${field}`, withField(field, `Bonjour 😀 ${MARKER}`), field)),
  jsonCase('flag emoji in name', withField('name', 'Marie 🇨🇦'), 'name'),
  jsonCase('RTL override in name', withField('name', `Marie\u202E${MARKER}`), 'name'),
  jsonCase(
    'RTL override in subject (spoofed extension)',
    withField('subject', `facture\u202Efdp.exe`),
    'subject',
  ),
  jsonCase('RTL override in message', withField('message', `Bonjour\u202E${MARKER}`), 'message'),
  jsonCase('isolate in organization', withField('organization', `Acme\u2066${MARKER}\u2069`), 'organization'),
  jsonCase('zero-width space in name', withField('name', `Ma\u200Brie`), 'name'),
  jsonCase('byte order mark inside subject', withField('subject', `Ob\uFEFFjet`), 'subject'),
  jsonCase('left-to-right mark in email', withField('email', `marie\u200E@example.com`), 'email'),
];

const badEncoding: HostileCase[] = [
  {
    name: 'lone surrogate in name',
    body: json(VALID).replace(`"${VALID.name}"`, '"Marie \\ud800"'),
    status: 400,
    field: 'name',
  },
  {
    name: 'lone surrogate in message',
    body: json(VALID).replace('"Bonjour,', '"\\udfff Bonjour,'),
    status: 400,
    field: 'message',
  },
  jsonCase('replacement character in subject', withField('subject', 'Objet \uFFFD'), 'subject'),
  {
    name: 'invalid UTF-8 percent-encoding in a URL-encoded name',
    body: urlEncoded({ ...VALID, name: 'x' }).replace('name=x', 'name=Marie%C3%28'),
    contentType: FORM_TYPE,
    status: 400,
    field: 'name',
  },
];

const english = { ...VALID, language: 'en', languageBasis: 'outside-quebec', attestation: true };
const badLanguage: HostileCase[] = [
  jsonCase('language "de"', withField('language', 'de'), 'language'),
  jsonCase('language "EN"', withField('language', 'EN'), 'language'),
  jsonCase('English without a basis', { ...VALID, language: 'en', attestation: true }, 'languageBasis'),
  jsonCase('English without the attestation', { ...english, attestation: false }, 'attestation'),
  jsonCase('English with an unknown basis', { ...english, languageBasis: 'tourist' }, 'languageBasis'),
  jsonCase('English with the attestation "maybe"', { ...english, attestation: 'maybe' }, 'attestation'),
  jsonCase('attestation as a number', { ...english, attestation: 2 }, 'attestation'),
  jsonCase('basis as an object', { ...english, languageBasis: { basis: 'outside-quebec' } }, 'languageBasis'),
  jsonCase(
    'immigrant basis without the arrival date',
    { ...english, languageBasis: 'immigrant-first-six-months' },
    'arrivedOn',
  ),
  jsonCase(
    'immigrant basis arriving in the future',
    { ...english, languageBasis: 'immigrant-first-six-months', arrivedOn: '2027-01-05' },
    'arrivedOn',
  ),
  jsonCase(
    'immigrant basis arrived two years ago',
    { ...english, languageBasis: 'immigrant-first-six-months', arrivedOn: '2024-12-01' },
    'arrivedOn',
  ),
  jsonCase(
    'arrival on 30 February',
    { ...english, languageBasis: 'immigrant-first-six-months', arrivedOn: '2026-02-30' },
    'arrivedOn',
  ),
  jsonCase(
    'arrival "yesterday"',
    { ...english, languageBasis: 'immigrant-first-six-months', arrivedOn: 'yesterday' },
    'arrivedOn',
  ),
  {
    name: 'English from a browser without the attestation box',
    body: urlEncoded({ ...VALID, language: 'en', languageBasis: 'aboriginal' }),
    contentType: FORM_TYPE,
    status: 400,
    field: 'attestation',
  },
];

const badKeys: HostileCase[] = [
  'short',
  'has spaces in the key',
  'ключ-ключ-ключ',
  'k'.repeat(129),
  'a/b/c/d/e/f/g',
  `key\r\nX-${MARKER}: 1`,
].map((key) => ({
  name: `Idempotency-Key ${JSON.stringify(key.slice(0, 20))}`,
  body: json(VALID),
  headers: { 'idempotency-key': key },
  status: 400 as const,
  field: 'Idempotency-Key',
}));

const others: HostileCase[] = [
  jsonCase('trap field filled', withField('website', 'https://spam.example'), 'website'),
  jsonCase('trap field as a number', withField('website', 1), 'website'),
  jsonCase('phone without digits', withField('phone', 'appelez-moi'), 'phone'),
  jsonCase('phone with too few digits', withField('phone', '123'), 'phone'),
  {
    name: 'a name given twice in a URL-encoded body',
    body: `${urlEncoded({ ...VALID })}&name=${MARKER}`,
    contentType: FORM_TYPE,
    status: 400,
    field: 'name',
  },
  { name: 'empty JSON body', body: '', status: 400, field: 'category' },
  { name: 'empty URL-encoded body', body: '', contentType: FORM_TYPE, status: 400, field: 'name' },
  {
    name: 'URL-encoded body sent as JSON',
    body: urlEncoded({ ...VALID }),
    contentType: JSON_TYPE,
    status: 400,
    field: '',
  },
  {
    name: 'JSON body sent as URL-encoded',
    body: json(VALID),
    contentType: FORM_TYPE,
    status: 400,
    field: 'category',
  },
];

/** The whole corpus (more than a hundred cases), grouped by kind of attack or mistake. */
export const HOSTILE_CORPUS: readonly HostileCase[] = [
  ...missingAndBlank,
  ...wrongTypes,
  ...oversize,
  ...controlCharacters,
  ...headerInjection,
  ...badEmails,
  ...badCategories,
  ...invalidJson,
  ...notAnObject,
  ...unknownKeys,
  ...hugeNumbers,
  ...wrongContentTypes,
  ...tooLarge,
  ...base64Garbage,
  ...invisibleAndEmoji,
  ...badEncoding,
  ...badLanguage,
  ...badKeys,
  ...others,
];
