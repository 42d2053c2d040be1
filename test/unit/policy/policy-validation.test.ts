import fc from 'fast-check';
import { loadPolicy, PolicyError, type PolicyIssue } from '../../../shared/domain/policy';
import { SystemError } from '../../../shared/errors';
import { deleteAt, getAt, readPolicyDocument, setAt } from './policy-documents';

/** Category indexes of sct.json. */
const STATISTICS = 0;
const POLICIES = 1;
const MEDIA = 2;
const SUPPLIER = 3;
const DOING_BUSINESS = 4;
const SERVICE_COMPLAINT = 5;
const COMMENT = 6;

type Mutation = (document: unknown) => void;

function issuesOf(document: unknown): readonly PolicyIssue[] {
  try {
    loadPolicy(document, { source: 'variant.json' });
  } catch (error) {
    if (error instanceof PolicyError) return error.issues;
    throw error;
  }
  throw new Error('the policy variant loaded without error');
}

function variant(mutate: Mutation): unknown {
  const document = readPolicyDocument('sct.json');
  mutate(document);
  return document;
}

const brokenVariants: [string, Mutation, string, string][] = [
  [
    'complaint categories without a complaint procedure',
    (d) => deleteAt(d, ['complaintProcedure']),
    'complaintProcedure',
    'is required when a category handles complaints or comments',
  ],
  [
    'a category step anchored to the dissatisfaction review',
    (d) => setAt(d, ['categories', STATISTICS, 'schedule', 0, 'relativeTo'], 'review-deadline'),
    'categories[0].schedule[0].relativeTo',
    'refers to the dissatisfaction review, whose schedule is complaintProcedure.dissatisfactionReview.schedule',
  ],
  [
    'a review schedule that never escalates',
    (d) =>
      setAt(
        d,
        ['complaintProcedure', 'dissatisfactionReview', 'schedule'],
        [
          {
            step: 'review-reminder',
            relativeTo: 'review-deadline',
            offset: { amount: -3, unit: 'business-days' },
            notify: 'complaints-officer',
          },
        ],
      ),
    'complaintProcedure.dissatisfactionReview.schedule',
    'must escalate the dissatisfaction review deadline to the supervisor or the director at least once',
  ],
  [
    'a Protecteur du citoyen contact with a malformed fax',
    (d) => setAt(d, ['complaintProcedure', 'ombudsman', 'contact', 'fax'], 'fax please'),
    'complaintProcedure.ombudsman.contact.fax',
    'must be a phone number',
  ],
  [
    'a negative delay',
    (d) => setAt(d, ['categories', MEDIA, 'acknowledgement', 'delay', 'amount'], -4),
    'categories[2].acknowledgement.delay.amount',
    'must be positive',
  ],
  [
    'a fractional delay',
    (d) => setAt(d, ['categories', POLICIES, 'answer', 'standardDelay', 'amount'], 1.5),
    'categories[1].answer.standardDelay.amount',
    'must be an integer',
  ],
  [
    'an unknown delay unit',
    (d) => setAt(d, ['categories', STATISTICS, 'answer', 'standardDelay', 'unit'], 'weeks'),
    'categories[0].answer.standardDelay.unit',
    'must be one of "business-days", "calendar-days", "working-hours"',
  ],
  [
    'duplicate step ids',
    (d) => setAt(d, ['categories', STATISTICS, 'schedule', 1, 'step'], 'ack-reminder'),
    'categories[0].schedule[1].step',
    'duplicates the step id "ack-reminder" of schedule[0]',
  ],
  [
    'a missing AMP text',
    (d) => deleteAt(d, ['categories', SUPPLIER, 'referral', 'text']),
    'categories[3].referral.text',
    'is required',
  ],
  [
    'a supplier complaint referred to the Protecteur du citoyen instead of the AMP',
    (d) =>
      setAt(d, ['categories', SUPPLIER, 'referral'], getAt(d, ['categories', SERVICE_COMPLAINT, 'referral'])),
    'categories[3].referral',
    'must refer supplier complaints to the AMP',
  ],
  [
    'an unknown referral body',
    (d) => setAt(d, ['categories', SUPPLIER, 'referral', 'to'], 'ombudsman'),
    'categories[3].referral.to',
    'must be one of "amp", "protecteur-du-citoyen"',
  ],
  [
    'a complaint without referral',
    (d) => setAt(d, ['categories', SERVICE_COMPLAINT, 'referral'], null),
    'categories[5].referral',
    'must give a complaint its referral',
  ],
  [
    'a confidential category handled by staff',
    (d) => setAt(d, ['categories', SERVICE_COMPLAINT, 'routing', 'handlerRole'], 'staff'),
    'categories[5].routing.handlerRole',
    'must be "complaints-officer" because the category is confidential',
  ],
  [
    'an unknown channel',
    (d) => setAt(d, ['categories', POLICIES, 'channels', 5], 'fax'),
    'categories[1].channels[5]',
    'must be one of "web", "email", "mail", "phone", "in-person"',
  ],
  [
    'a channel listed twice',
    (d) => setAt(d, ['categories', POLICIES, 'channels', 5], 'email'),
    'categories[1].channels[5]',
    'lists "email" twice',
  ],
  [
    'a maximum answer delay below the standard one',
    (d) => setAt(d, ['categories', DOING_BUSINESS, 'answer', 'maximumDelay', 'amount'], 12),
    'categories[4].answer.maximumDelay.amount',
    'must be at least standardDelay.amount (15)',
  ],
  [
    'a maximum answer delay in another unit',
    (d) => setAt(d, ['categories', DOING_BUSINESS, 'answer', 'maximumDelay', 'unit'], 'calendar-days'),
    'categories[4].answer.maximumDelay.unit',
    'must be the unit of standardDelay ("business-days")',
  ],
  [
    'a category name missing in English',
    (d) => setAt(d, ['categories', COMMENT, 'name', 'en'], ''),
    'categories[6].name.en',
    'must not be empty',
  ],
  [
    'a category description missing in French',
    (d) => deleteAt(d, ['categories', COMMENT, 'description', 'fr']),
    'categories[6].description.fr',
    'is required',
  ],
  [
    'a description too long for a form',
    (d) => setAt(d, ['categories', MEDIA, 'description', 'fr'], 'x'.repeat(301)),
    'categories[2].description.fr',
    'must have at most 300 characters',
  ],
  [
    'an unknown calendar',
    (d) => setAt(d, ['organization', 'calendarId'], 'qc-ontario'),
    'organization.calendarId',
    'must be one of "qc-fonction-publique", "qc-loi-interpretation"',
  ],
  [
    'an unknown field',
    (d) => setAt(d, ['categories', STATISTICS, 'colour'], 'blue'),
    'categories[0].colour',
    'is not a known field',
  ],
  [
    'a misspelt field in a step',
    (d) => setAt(d, ['categories', STATISTICS, 'schedule', 0, 'notfy'], 'director'),
    'categories[0].schedule[0].notfy',
    'is not a known field',
  ],
  [
    'an unknown notification target',
    (d) => setAt(d, ['categories', STATISTICS, 'schedule', 0, 'notify'], 'minister'),
    'categories[0].schedule[0].notify',
    'must be one of',
  ],
  [
    'escalations that go back down',
    (d) => setAt(d, ['categories', STATISTICS, 'schedule', 2, 'notify'], 'assignee'),
    'categories[0].schedule[2].notify',
    'notifies "assignee" after "supervisor" (schedule[1]) for the acknowledgement deadline',
  ],
  [
    'a deadline without any escalation',
    (d) =>
      setAt(
        d,
        ['categories', POLICIES, 'schedule'],
        (getAt(d, ['categories', POLICIES, 'schedule']) as { notify: string; relativeTo: string }[]).filter(
          (step) => step.relativeTo === 'ack-deadline' || step.notify === 'assignee',
        ),
      ),
    'categories[1].schedule',
    'must escalate the answer deadline to the supervisor or the director at least once',
  ],
  [
    'a reminder before the request can have arrived',
    (d) => setAt(d, ['categories', STATISTICS, 'schedule', 0, 'offset', 'amount'], -10),
    'categories[0].schedule[0].offset',
    'falls before the request is received: the acknowledgement deadline is 10 business days after receipt',
  ],
  [
    'a business-day reminder on a working-hours deadline',
    (d) => setAt(d, ['categories', MEDIA, 'schedule', 0, 'offset'], { amount: 0, unit: 'business-days' }),
    'categories[2].schedule[0].offset',
    'falls before the request is received',
  ],
  [
    'a repeat before the deadline',
    (d) => setAt(d, ['categories', STATISTICS, 'schedule', 0, 'repeat'], { every: 1, maxRepeats: 2 }),
    'categories[0].schedule[0].repeat',
    'is only allowed after the deadline',
  ],
  [
    'an unbounded repeat',
    (d) => setAt(d, ['categories', STATISTICS, 'schedule', 6, 'repeat', 'maxRepeats'], 1000),
    'categories[0].schedule[6].repeat.maxRepeats',
    'must be at most 10',
  ],
  [
    'a step on the acknowledgement deadline of a category without acknowledgement',
    (d) => setAt(d, ['categories', STATISTICS, 'acknowledgement'], null),
    'categories[0].schedule[0].relativeTo',
    'refers to the acknowledgement deadline, but the category has no acknowledgement',
  ],
  [
    'an automatic acknowledgement promising a date no later than itself',
    (d) => setAt(d, ['categories', STATISTICS, 'answer', 'standardDelay', 'amount'], 10),
    'categories[0].answer.standardDelay',
    'must end after the acknowledgement delay',
  ],
  [
    'an unknown deadline action',
    (d) => setAt(d, ['categories', STATISTICS, 'acknowledgement', 'atDeadline'], 'ignore'),
    'categories[0].acknowledgement.atDeadline',
    'must be one of "auto-acknowledge", "escalate-only"',
  ],
  [
    'a catalogue category left undefined',
    (d) => setAt(d, ['categories'], (getAt(d, ['categories']) as unknown[]).slice(0, COMMENT)),
    'catalogue[6]',
    '"comment" has no category definition',
  ],
  [
    'a category defined twice',
    (d) => setAt(d, ['categories', COMMENT, 'id'], 'media'),
    'categories[6].id',
    'duplicates the id "media" of categories[2]',
  ],
  [
    'a category outside the catalogue',
    (d) => setAt(d, ['catalogue'], (getAt(d, ['catalogue']) as string[]).slice(0, COMMENT)),
    'categories[6].id',
    '"comment" is not in the catalogue',
  ],
  [
    'a category id that is not a slug',
    (d) => setAt(d, ['catalogue', STATISTICS], 'Statistics'),
    'catalogue[0]',
    'must be lowercase letters, digits and hyphens',
  ],
  [
    'working hours that end before they start',
    (d) => setAt(d, ['organization', 'workingHours', 'end'], '08:00'),
    'organization.workingHours.end',
    'must be after start (08:30)',
  ],
  [
    'a malformed working-hours time',
    (d) => setAt(d, ['organization', 'workingHours', 'start'], '8h30'),
    'organization.workingHours.start',
    'must be a local time HH:MM',
  ],
  [
    'a time zone other than Québec’s',
    (d) => setAt(d, ['organization', 'timeZone'], 'America/Montreal'),
    'organization.timeZone',
    'must be "America/Toronto"',
  ],
  [
    'a contact without any way to reach it',
    (d) => {
      for (const field of ['addressLines', 'phone', 'email']) deleteAt(d, ['organization', 'contact', field]);
    },
    'organization.contact',
    'must give at least one of addressLines, phone, email or website',
  ],
  [
    'a malformed contact email',
    (d) => setAt(d, ['organization', 'contact', 'email'], 'responsable-plaintes'),
    'organization.contact.email',
    'must be an email address',
  ],
  [
    'a lowercase reference prefix',
    (d) => setAt(d, ['organization', 'referencePrefix'], 'sct'),
    'organization.referencePrefix',
    'must be 2 to 10 uppercase letters',
  ],
  [
    'an effective date that does not exist',
    (d) => setAt(d, ['effectiveFrom'], '2026-02-30'),
    'effectiveFrom',
    'must be a real calendar date',
  ],
  [
    'a malformed effective date',
    (d) => setAt(d, ['effectiveFrom'], '1 janvier 2026'),
    'effectiveFrom',
    'expected a date YYYY-MM-DD',
  ],
  ['a missing schema version', (d) => deleteAt(d, ['schemaVersion']), 'schemaVersion', 'is required'],
  [
    'a confidentiality flag that is not a boolean',
    (d) => setAt(d, ['categories', SERVICE_COMPLAINT, 'confidential'], 'yes'),
    'categories[5].confidential',
    'must be true or false',
  ],
];

describe('a broken policy', () => {
  it.each(brokenVariants)('with %s is rejected at the field path', (_name, mutate, path, message) => {
    const document = variant(mutate);

    const issues = issuesOf(document);

    expect(issues).toContainEqual(
      expect.objectContaining({ path, message: expect.stringContaining(message) }),
    );
  });

  it.each(brokenVariants)('with %s is explained in French too', (_name, mutate, path) => {
    const document = variant(mutate);

    const issue = issuesOf(document).find((candidate) => candidate.path === path);

    expect(issue?.messageFr).toMatch(/\S/);
    expect(issue?.messageFr).not.toBe(issue?.message);
  });

  it('throws a PolicyError whose message names the source, the path and the problem in both languages', () => {
    const document = variant((d) => setAt(d, ['categories', MEDIA, 'acknowledgement', 'delay', 'amount'], 0));

    const act = () => loadPolicy(document, { source: 'sct.json' });

    expect(act).toThrow(PolicyError);
    expect(act).toThrow(expect.objectContaining({ name: 'PolicyError', code: 'POLICY_INVALID' }));
    expect(act).toThrow(SystemError);
    expect(act).toThrow(
      'Invalid service policy (sct.json): 1 problem / Politique de service invalide (sct.json) : 1 problème\n' +
        '- categories[2].acknowledgement.delay.amount: must be positive / doit être positif',
    );
  });

  it('reports every independent problem at once', () => {
    const document = variant((d) => {
      setAt(d, ['categories', STATISTICS, 'colour'], 'blue');
      setAt(d, ['categories', COMMENT, 'answer', 'maximumDelay', 'amount'], 0);
    });

    const paths = issuesOf(document).map((issue) => issue.path);

    expect(paths).toEqual(['categories[0].colour', 'categories[6].answer.maximumDelay.amount']);
  });

  it('does not echo a broken field through the cross-field rules that read it', () => {
    const document = variant((d) =>
      setAt(d, ['categories', MEDIA, 'acknowledgement', 'delay', 'amount'], -1),
    );

    const paths = issuesOf(document).map((issue) => issue.path);

    expect(paths).toEqual(['categories[2].acknowledgement.delay.amount']);
  });

  it('is rejected whatever category and delay carries a non-positive amount', () => {
    const delays = [
      ['answer', 'standardDelay'],
      ['answer', 'maximumDelay'],
    ] as const;
    fc.assert(
      fc.property(
        fc.integer({ min: STATISTICS, max: COMMENT }),
        fc.constantFrom(...delays),
        fc.integer({ min: -366, max: 0 }),
        (index, delay, amount) => {
          const document = variant((d) => setAt(d, ['categories', index, ...delay, 'amount'], amount));

          const paths = issuesOf(document).map((issue) => issue.path);

          expect(paths).toContain(`categories[${index}].${delay.join('.')}.amount`);
        },
      ),
      { numRuns: 50 },
    );
  });

  it('is rejected when it is not an object at all', () => {
    expect(issuesOf('not a policy')).toEqual([
      { path: '', message: 'must be an object', messageFr: 'doit être un objet' },
    ]);
  });
});
