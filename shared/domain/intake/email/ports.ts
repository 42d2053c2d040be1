/** Where a received message is: the raw-mail bucket and its object key (decoded). */
export interface RawMailLocation {
  readonly bucket: string;
  readonly key: string;
  /** The object version the event names (the raw-mail bucket is versioned). */
  readonly versionId?: string;
}

/** A received message exactly as the mail server stored it. */
export interface RawMail {
  /** The whole message; empty when it is larger than the reader was allowed to load (see `size`). */
  readonly bytes: Buffer;
  /** The object's size in bytes. */
  readonly size: number;
  /** When the object was stored (S3 `LastModified`); the fallback receipt time. */
  readonly storedAt?: Date;
  readonly versionId?: string;
}

/**
 * Reads raw mail (the evidence). Read-only by design: intake never deletes, overwrites or tags a raw message.
 *
 * @throws RawMailNotFoundError, ObjectStoreError (ObjectStoreUnavailableError when retrying may help).
 */
export interface RawMailReader {
  /** Loads the message, unless it is larger than `maxBytes` (then `bytes` is empty and `size` says why). */
  read(location: RawMailLocation, options?: { readonly maxBytes?: number }): Promise<RawMail>;
}

/** One accepted attachment to keep. */
export interface AttachmentUpload {
  /** Deterministic per message and position, so that a retried event writes the same key. */
  readonly key: string;
  readonly filename: string;
  readonly contentType: string;
  readonly content: Uint8Array;
}

/**
 * Keeps accepted attachments. `put` is idempotent: an object already stored under the key with the same size
 * is left alone (`stored: false`).
 *
 * @throws ObjectStoreError (ObjectStoreUnavailableError when retrying may help).
 */
export interface AttachmentStore {
  put(upload: AttachmentUpload): Promise<{ readonly stored: boolean }>;
}
