import { EmailRoutingError } from '../../../shared/errors';
import {
  SCT_EMAIL_ROUTING,
  categoryFor,
  checkEmailRouting,
  mailboxOf,
} from '../../../shared/domain/intake/email/routing';
import { loadSctPolicy } from '../../../shared/domain/policy/sct';

const policy = loadSctPolicy();
const at = (mailbox: string) => `${mailbox}@intake.sct.example`;

describe('email routing', () => {
  it('the SCT table names categories of the SCT policy that accept email', () => {
    expect(checkEmailRouting(SCT_EMAIL_ROUTING, policy)).toBe(SCT_EMAIL_ROUTING);
    const reached = new Set([
      SCT_EMAIL_ROUTING.defaultCategory,
      ...Object.values(SCT_EMAIL_ROUTING.mailboxes),
    ]);
    expect(reached).toEqual(new Set(policy.catalogue));
  });

  it('refuses a table with an unknown category, a category without email, or an odd mailbox', () => {
    const noEmail = structuredClone(policy);
    const media = noEmail.categories.find((category) => category.id === 'media');
    if (media) media.channels = ['web', 'phone'];

    expect(() => checkEmailRouting({ ...SCT_EMAIL_ROUTING, defaultCategory: 'weather' }, policy)).toThrow(
      EmailRoutingError,
    );
    expect(() => checkEmailRouting(SCT_EMAIL_ROUTING, noEmail)).toThrow(/media does not accept email/);
    expect(() =>
      checkEmailRouting({ ...SCT_EMAIL_ROUTING, mailboxes: { 'Plaintes+x': 'service-complaint' } }, policy),
    ).toThrow(/not a plain local part/);
  });

  it.each([
    [[at('statistiques')], 'statistics'],
    [[at('Medias')], 'media'],
    [[at('plaintes')], 'service-complaint'],
    [[at('commentaires+site')], 'comment'],
    [[at('faire-affaire')], 'doing-business'],
    [[at('plaintes-fournisseurs')], 'supplier-complaint'],
    [[at('demandes')], 'policies'],
    [[at('inconnu')], 'policies'],
    [[], 'policies'],
  ])('%j → %s', (addresses, category) => {
    expect(categoryFor(SCT_EMAIL_ROUTING, policy, addresses)).toBe(category);
  });

  it('prefers a confidential category, then a specific one over the general address', () => {
    expect(categoryFor(SCT_EMAIL_ROUTING, policy, [at('statistiques'), at('plaintes')])).toBe(
      'service-complaint',
    );
    expect(categoryFor(SCT_EMAIL_ROUTING, policy, [at('demandes'), at('statistiques')])).toBe('statistics');
  });

  it('mailboxOf drops the tag and the case', () => {
    expect(mailboxOf('Demandes+abc@x.example')).toBe('demandes');
  });
});
