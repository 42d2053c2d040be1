import type { Requester } from '../../case/requester';
import type { AttachmentRefusalReason, RefusedAttachment } from '../../ledger/events';
import type { CaseLedger } from '../../ledger/ports';
import { sendOnce } from '../../messaging/outbox';
import type { AcceptedMessages, Clock, Notifier } from '../../messaging/ports';
import { caseContactBlock, contactBlock } from '../../messaging/values';
import { instantDateInWords } from '../../time/date-in-words';
import type { Policy } from '../../policy/schema';
import type { Language } from '../../../templates/catalog';
import { citizenLanguage } from '../../../templates/language';
import type { AttachmentLimits } from './attachments';
import { errorNameOf, isInfrastructureFailure } from './failures';

/** Refused files listed in a notice; the rest is summed up in one line. */
const MAX_LISTED = 20;

function megabytes(bytes: number, language: Language): string {
  const value = (bytes / (1024 * 1024)).toFixed(1);
  return language === 'fr' ? `${value.replace('.', ',')}\u00a0Mo` : `${value} MB`;
}

function reasonText(
  reason: AttachmentRefusalReason,
  file: RefusedAttachment,
  limits: AttachmentLimits,
  language: Language,
): string {
  const size = megabytes(file.size, language);
  if (language === 'fr') {
    switch (reason) {
      case 'dangerous-type':
        return 'type de fichier non accepté (programme, script ou document à macros)';
      case 'file-too-large':
        return `${size}, au-delà de la limite de ${megabytes(limits.maxFileBytes, 'fr')} par fichier`;
      case 'total-too-large':
        return `la limite de ${megabytes(limits.maxTotalBytes, 'fr')} par courriel était atteinte`;
      case 'too-many-files':
        return `plus de ${limits.maxFiles} pièces jointes dans un même courriel`;
    }
  }
  switch (reason) {
    case 'dangerous-type':
      return 'file type not accepted (program, script or document with macros)';
    case 'file-too-large':
      return `${size}, over the limit of ${megabytes(limits.maxFileBytes, 'en')} per file`;
    case 'total-too-large':
      return `the limit of ${megabytes(limits.maxTotalBytes, 'en')} per email was reached`;
    case 'too-many-files':
      return `more than ${limits.maxFiles} attachments in one email`;
  }
}

/**
 * One line per refused file, in the message's language; at most 20, then a count. Staff see each file's name
 * (`- nom.ext : raison`); the sender's notice names none (`- pièce jointe refusée n° 1 : raison`), since a file
 * name is text the sender wrote and the notice goes to an address nobody verified.
 */
export function refusedFilesText(
  refused: readonly RefusedAttachment[],
  limits: AttachmentLimits,
  language: Language,
  options: { readonly names: boolean } = { names: true },
): string {
  const separator = language === 'fr' ? '\u00a0: ' : ': ';
  const label = (file: RefusedAttachment, index: number) =>
    options.names
      ? file.filename
      : language === 'fr'
        ? `pièce jointe refusée n\u00b0\u00a0${index + 1}`
        : `refused attachment no. ${index + 1}`;
  const lines = refused
    .slice(0, MAX_LISTED)
    .map(
      (file, index) =>
        `- ${label(file, index)}${separator}${reasonText(file.reason, file, limits, language)}`,
    );
  const more = refused.length - MAX_LISTED;
  if (more > 0) lines.push(language === 'fr' ? `- et ${more} autres fichiers` : `- and ${more} more files`);
  return lines.join('\n');
}

/**
 * The note appended to a new case's body when attachments were refused, so that staff reading the case see
 * it (in French, staff's language); the files remain in the raw message.
 */
export function refusalNote(refused: readonly RefusedAttachment[], limits: AttachmentLimits): string {
  return (
    '[Jalon] Pièces jointes refusées à la réception (conservées seulement dans le courriel original; ' +
    `un avis est transmis à l’expéditeur)\u00a0:\n${refusedFilesText(refused, limits, 'fr')}`
  );
}

export interface RefusalNoticeDeps {
  readonly ledger: CaseLedger;
  readonly notifier: Notifier;
  readonly clock: Clock;
  readonly policy: Policy;
  /** The mail service's record of accepted messages, where it keeps one (see `AcceptedMessages`). */
  readonly acceptedMessages?: AcceptedMessages;
}

export interface RefusalNotice {
  readonly caseId: string;
  readonly reference: string;
  /** The case's category (its current one, for a reply): it decides the contact the notice gives. */
  readonly category: string;
  readonly requester: Requester;
  /** The requester's address the message came from. */
  readonly to: string;
  /** The case's reply address (so the requester can answer with the files in another form). */
  readonly replyTo: string;
  readonly subject: string;
  readonly receivedAt: string;
  readonly messageHash: string;
  readonly refused: readonly RefusedAttachment[];
  readonly limits: AttachmentLimits;
}

export type NoticeOutcome = 'sent' | 'already-sent' | 'failed';

/**
 * Tells the sender which attachments were refused (`attachment-refused`), at most once per received message,
 * through the outbox (`sendOnce`): the ledger's `message.sent` under the key `attachment-refused:<message hash>`
 * is the record, email intake the actor of record. With the mail service's record of accepted messages
 * (`acceptedMessages`), a crash between the send and the record does not send it twice; without, it can.
 *
 * The contact is the case's (`caseContactBlock`): for a request, the unit that handles its category, with the
 * complaints officer named only as the place to complain; for a complaint or a comment, the complaints officer.
 *
 * Only ever called for a message from the case's requester that is neither an auto-reply nor a bounce, so no
 * mail loop can start. A refusal by the mail service (bad address, rejected content) is recorded as
 * `failure.recorded` and not retried; a mail service that is unavailable throws, so the event is retried.
 */
export async function sendRefusalNotice(
  deps: RefusalNoticeDeps,
  notice: RefusalNotice,
): Promise<NoticeOutcome> {
  const language = citizenLanguage(notice.requester);
  // A category the policy no longer has must not stop the notice: the organization's block then.
  const category = deps.policy.categories.find((candidate) => candidate.id === notice.category);
  const contact =
    category !== undefined
      ? caseContactBlock(deps.policy, category, language)
      : contactBlock(deps.policy, language);
  const result = await sendOnce(
    deps,
    {
      caseId: notice.caseId,
      key: `attachment-refused:${notice.messageHash}`,
      actor: { kind: 'system', id: 'email-intake' },
    },
    {
      template: 'attachment-refused',
      language,
      values: {
        reference: notice.reference,
        receivedDate: instantDateInWords(notice.receivedAt, language),
        refusedFiles: refusedFilesText(notice.refused, notice.limits, language, { names: false }),
        contact,
      },
      recipient: 'requester',
      purpose: 'other',
      via: { by: 'email', to: [notice.to], replyTo: notice.replyTo },
    },
    {
      isPermanent: (error) => !isInfrastructureFailure(error),
      describe: (error) => ({ code: 'ATTACHMENT_NOTICE_FAILED', message: errorNameOf(error) }),
    },
  );
  return result.outcome === 'refused' ? 'failed' : result.outcome;
}
