import { attachmentIdOf, DOWNLOAD_LINK_SECONDS, downloadContentType } from '../../attachments/download';
import type { DownloadLinks } from '../../attachments/download';
import { AccessDeniedError, AttachmentNotFoundError } from '../../../errors';
import type { StaffIdentity } from '../../identity/identity';
import type { AttachmentRef } from '../case';
import { isConfidentialCase } from '../../access/case-access';
import { loadCaseFor } from './case-state';
import type { AccessContext } from './case-state';
import type { ReadDeps } from './read';

/** A download link for one attachment, and what the browser will receive through it. */
export interface AttachmentDownload {
  /** Works once followed before `expiresAt` (`DOWNLOAD_LINK_SECONDS` after it was issued). */
  readonly url: string;
  readonly expiresAt: string;
  readonly filename: string;
  /** The media type the download declares (`application/octet-stream` for a type a browser would run). */
  readonly contentType: string;
  readonly size: number;
}

/**
 * A short-lived link that downloads one attachment of a case: the case's own (received with the request) or
 * one of a message received on it, named by its id on the case (`attachmentIdOf`).
 *
 * An attachment is the case's content: the same rules as reading the content on the case page apply (a
 * confidential case is reported as not found to everyone but the complaints officer, and the attempt is
 * recorded as `access.refused`; readers of metadata only, auditors and administrators, are refused with 403).
 * A download from a confidential case is recorded first (`case.read {scope: 'content', attachmentId}`, the
 * reader as actor); if that record cannot be written, no link is issued. The link is valid
 * `DOWNLOAD_LINK_SECONDS` (60 s), downloads under the sender's file name (never displayed inline) and never
 * declares an active type (HTML, SVG, XML, JavaScript), so a sender's file cannot run as a page.
 *
 * @throws AccessDeniedError, CaseNotFoundError, AttachmentNotFoundError
 */
export async function getAttachmentDownload(
  deps: ReadDeps & { readonly downloadLinks: DownloadLinks },
  identity: StaffIdentity,
  caseId: string,
  attachmentId: string,
  context: AccessContext = {},
): Promise<AttachmentDownload> {
  const { projection, history, decision, actor } = await loadCaseFor(deps, identity, 'read', caseId, context);
  if (decision.scope !== 'content') throw new AccessDeniedError('download attachments', { caseId });
  const events = await history.events();
  const received = events.flatMap((event) =>
    event.type === 'message.received' ? event.data.attachments : [],
  );
  const attachment = [...projection.attachments, ...received].find(
    (candidate: AttachmentRef) => attachmentIdOf(projection.caseId, candidate) === attachmentId,
  );
  if (attachment === undefined) throw new AttachmentNotFoundError(caseId, attachmentId);
  const now = deps.clock.now();
  if (isConfidentialCase(projection, deps.policy)) {
    await deps.ledger.append(projection.caseId, {
      type: 'case.read',
      at: now.toISOString(),
      actor,
      data: { scope: 'content', attachmentId },
    });
  }
  const contentType = downloadContentType(attachment.contentType);
  const { url } = await deps.downloadLinks.linkFor({
    key: attachment.key,
    filename: attachment.filename,
    contentType,
    expiresInSeconds: DOWNLOAD_LINK_SECONDS,
  });
  return {
    url,
    expiresAt: new Date(now.getTime() + DOWNLOAD_LINK_SECONDS * 1000).toISOString(),
    filename: attachment.filename,
    contentType,
    size: attachment.size,
  };
}
