import { createHash } from 'node:crypto';

import { CaseStateConflictError } from '../../errors';
import type { AttachmentRef } from '../case/case';

/** How long a download link works: long enough for the browser to follow it, too short to pass around. */
export const DOWNLOAD_LINK_SECONDS = 60;

/** What a download link serves: the stored object, under the name and media type the browser receives. */
export interface DownloadRequest {
  /** The object's key in the attachments store. */
  readonly key: string;
  /** The sender's file name, given back as the download's name (`Content-Disposition: attachment`). */
  readonly filename: string;
  /** The media type the response declares (see `downloadContentType`). */
  readonly contentType: string;
  readonly expiresInSeconds: number;
}

/**
 * Issues short-lived links that download one stored attachment directly from the store (S3 presigned GET).
 * A link is issued only for an object the store can serve now: an archived one (not readable without a
 * restore) throws `attachmentArchivedError`, so nobody is handed a link that fails.
 */
export interface DownloadLinks {
  linkFor(request: DownloadRequest): Promise<{ readonly url: string }>;
}

/**
 * The stored attachment exists but cannot be read at once (archived in a storage class that needs a restore,
 * see `docs/attachment-archiving.md`): a 409 that tells the person, in French and English, why and what to do.
 * A state of the stored object, not a fault of the request nor of the system.
 */
export function attachmentArchivedError(): CaseStateConflictError {
  return new CaseStateConflictError(
    'ATTACHMENT_ARCHIVED',
    {
      fr:
        'Ce fichier est archivé et ne peut pas être téléchargé pour le moment. Demandez à l’équipe ' +
        'd’exploitation de le restaurer (quelques heures), puis réessayez.',
      en:
        'This file is archived and cannot be downloaded right now. Ask the operations team to restore it ' +
        '(a few hours), then try again.',
    },
    {},
  );
}

/** Keys written by intake: `<caseId>/<first 16 characters of the message or holding item id>/<nn>-<name>`. */
const INTAKE_KEY = /^([A-Za-z0-9_-]{1,64})\/(\d{2,3})-/;

/**
 * The attachment's id on its case, safe in a URL path: `<message part>.<nn>` from an intake key (the folder
 * under the case and the file's position in its message), else `k` and a digest of the key. Unique within a
 * case because keys are; the key itself (with the case id and the sanitized file name) never goes in a URL.
 */
export function attachmentIdOf(caseId: string, attachment: Pick<AttachmentRef, 'key'>): string {
  const prefix = `${caseId}/`;
  const rest = attachment.key.startsWith(prefix) ? attachment.key.slice(prefix.length) : undefined;
  const parts = rest === undefined ? null : INTAKE_KEY.exec(rest);
  if (parts?.[1] !== undefined && parts[2] !== undefined) return `${parts[1]}.${parts[2]}`;
  return `k${createHash('sha256').update(attachment.key).digest('hex').slice(0, 32)}`;
}

/**
 * The media type a download declares. Types a browser would run or render as a page (HTML, SVG, XML,
 * JavaScript) are served as `application/octet-stream`: an attachment comes from outside, and a link on the
 * store's origin must never execute the sender's script. Other types are the stored one.
 */
export function downloadContentType(contentType: string): string {
  const [type = '', subtype = ''] = contentType.toLowerCase().split(';')[0]?.trim().split('/') ?? [];
  const active =
    subtype.includes('html') ||
    subtype === 'xml' ||
    subtype.endsWith('+xml') ||
    subtype.includes('javascript') ||
    subtype.includes('ecmascript') ||
    subtype.includes('svg') ||
    (type === 'text' && subtype === 'xsl');
  return active ? 'application/octet-stream' : contentType;
}
