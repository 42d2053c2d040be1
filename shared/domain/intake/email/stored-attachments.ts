import type { AttachmentRef } from '../../case/case';
import type { RefusedAttachment } from '../../ledger/events';
import { screenAttachments } from './attachments';
import type { AttachmentLimits } from './attachments';
import type { InboundEmail } from './parse';
import type { AttachmentStore } from './ports';
import { attachmentFilename, mediaType, storageName } from './sanitize';

/** An attachment as intake screens and stores it: a safe file name, the bare media type, the bytes. */
export interface MessageFile {
  readonly filename: string;
  readonly contentType: string;
  readonly content: Uint8Array;
}

/** The message's attachments with safe names (`attachment-<n>` when unnamed) and bare media types. */
export function messageFiles(email: InboundEmail): MessageFile[] {
  return email.attachments.map((attachment, index) => {
    const contentType = mediaType(attachment.contentType);
    return {
      filename: attachmentFilename(attachment.filename, index + 1, contentType),
      contentType,
      content: attachment.content,
    };
  });
}

/**
 * Screens the message's attachments against `limits`, stores the accepted ones under
 * `<folder>/<nn>-<name>` (`nn`: the position in the message, so a retry writes the same keys) and lists the
 * refused ones with their reason. Email intake and holding-pen triage both keep attachments this way.
 */
export async function storeMessageAttachments(
  store: AttachmentStore,
  email: InboundEmail,
  limits: AttachmentLimits,
  folder: string,
): Promise<{ kept: AttachmentRef[]; refused: RefusedAttachment[] }> {
  const screening = screenAttachments(messageFiles(email), limits);
  const kept: AttachmentRef[] = [];
  for (const { file, position } of screening.accepted) {
    const key = `${folder}/${String(position).padStart(2, '0')}-${storageName(file.filename)}`;
    await store.put({ key, filename: file.filename, contentType: file.contentType, content: file.content });
    kept.push({ key, filename: file.filename, contentType: file.contentType, size: file.content.length });
  }
  const refused = screening.refused.map(({ file, reason }) => ({
    filename: file.filename,
    contentType: file.contentType,
    size: file.content.length,
    reason,
  }));
  return { kept, refused };
}
