import { EmailRoutingError } from '../../../errors';
import type { Policy } from '../../policy/schema';

/**
 * Which category a new request received by email goes to, by the intake mailbox it was sent to. The
 * organization publishes one address per service (`statistiques@…`, `plaintes@…`); anything else, including
 * the general address and an address nobody published, goes to `defaultCategory`. Mailboxes are compared
 * without case and without their `+tag`.
 */
export interface EmailRouting {
  /** Mailbox of the per-case reply addresses: `<replyMailbox>+<token>@<intake domain>`. */
  readonly replyMailbox: string;
  /** Category of a request sent to no published mailbox (or only to the general one). */
  readonly defaultCategory: string;
  /** Mailbox (local part, lower case) → category id. */
  readonly mailboxes: Readonly<Record<string, string>>;
}

/**
 * The SCT's intake mailboxes. `demandes@` is the general address (and the base of reply addresses); it and
 * every unlisted mailbox lead to `policies` (information on management policies and directives, the SCT's
 * general information service). Complaints about service quality go to `plaintes@`, which reaches the
 * complaints officer only (the category is confidential).
 */
export const SCT_EMAIL_ROUTING: EmailRouting = {
  replyMailbox: 'demandes',
  defaultCategory: 'policies',
  mailboxes: {
    demandes: 'policies',
    renseignements: 'policies',
    politiques: 'policies',
    directives: 'policies',
    statistiques: 'statistics',
    effectifs: 'statistics',
    medias: 'media',
    presse: 'media',
    'plaintes-fournisseurs': 'supplier-complaint',
    'accords-liberalisation': 'supplier-complaint',
    'faire-affaire': 'doing-business',
    'marches-publics': 'doing-business',
    contrats: 'doing-business',
    plaintes: 'service-complaint',
    'responsable-plaintes': 'service-complaint',
    commentaires: 'comment',
    suggestions: 'comment',
  },
};

/**
 * Checks a routing table against a policy: every category it names (the default included) exists and accepts
 * the `email` channel, and mailboxes are plain lower-case local parts without `+`.
 *
 * @throws EmailRoutingError listing every problem (a deployment fault, caught at cold start).
 */
export function checkEmailRouting(routing: EmailRouting, policy: Policy): EmailRouting {
  const problems: string[] = [];
  const check = (where: string, categoryId: string) => {
    const category = policy.categories.find((candidate) => candidate.id === categoryId);
    if (category === undefined) problems.push(`${where}: unknown category ${categoryId}`);
    else if (!category.channels.includes('email'))
      problems.push(`${where}: category ${categoryId} does not accept email`);
  };
  check('defaultCategory', routing.defaultCategory);
  for (const [mailbox, categoryId] of Object.entries(routing.mailboxes)) {
    if (!/^[a-z0-9][a-z0-9._-]*$/.test(mailbox)) problems.push(`mailbox ${mailbox}: not a plain local part`);
    check(`mailbox ${mailbox}`, categoryId);
  }
  if (!/^[a-z0-9][a-z0-9._-]*$/.test(routing.replyMailbox))
    problems.push('replyMailbox: not a plain local part');
  if (problems.length > 0) throw new EmailRoutingError(problems);
  return routing;
}

/** The mailbox of an address: its local part, lower case, without a `+tag`. */
export function mailboxOf(address: string): string {
  const local = address.slice(0, Math.max(0, address.lastIndexOf('@'))).toLowerCase();
  const plus = local.indexOf('+');
  return plus < 0 ? local : local.slice(0, plus);
}

/**
 * The category of a new request from the intake addresses it was sent to (already restricted to the intake
 * domain). When it went to several published mailboxes, a confidential category wins (a complaint copied to
 * another service stays a complaint, seen by the complaints officer only), then the first one in the table's
 * order that is not the default (a copy to the general address does not hide the service it was meant for);
 * with none, the default.
 */
export function categoryFor(
  routing: EmailRouting,
  policy: Policy,
  intakeAddresses: readonly string[],
): string {
  const mailboxes = new Set(intakeAddresses.map(mailboxOf));
  const matched = Object.entries(routing.mailboxes)
    .filter(([mailbox]) => mailboxes.has(mailbox))
    .map(([, categoryId]) => categoryId);
  const confidential = matched.find(
    (categoryId) => policy.categories.find((category) => category.id === categoryId)?.confidential === true,
  );
  const specific = matched.find((categoryId) => categoryId !== routing.defaultCategory);
  return confidential ?? specific ?? routing.defaultCategory;
}
