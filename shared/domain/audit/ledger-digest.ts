import { createHash, verify } from 'node:crypto';

import { canonicalize } from 'json-canonicalize';

import type { ChainTail } from '../ledger/chain';

/** A case's head as a digest records it: its last event's seq and hash at the time of the digest. */
export interface DigestHead extends ChainTail {
  readonly caseId: string;
}

/** Signing algorithm of every digest: ECDSA on P-256 over the SHA-256 of the digest's bytes. */
export const DIGEST_SIGNING_ALGORITHM = 'ECDSA_SHA_256';

/**
 * What a digest's signature covers: the day, the digest object, its SHA-256 and size, and how many heads it
 * lists. The signature is over this statement's canonical JSON (RFC 8785), so it binds the digest's bytes
 * through their hash.
 */
export interface DigestStatement {
  readonly day: string;
  readonly digestKey: string;
  readonly createdAt: string;
  readonly heads: number;
  readonly sha256: string;
  readonly bytes: number;
}

/** What is stored beside a digest (`digests/<day>.sig.json`): the statement, the key and its signature. */
export interface DigestSignatureRecord {
  readonly statement: DigestStatement;
  readonly keyId: string;
  readonly algorithm: typeof DIGEST_SIGNING_ALGORITHM;
  /** DER, base64. */
  readonly signature: string;
}

/**
 * Signs digests with an asymmetric key whose private half never leaves it (KMS in AWS, a key file in the local
 * data folder), and gives the public half for verification.
 */
export interface DigestSigner {
  /** Id of the signing key (the KMS key ARN, or `local`). */
  readonly keyId: string;
  /** ECDSA P-256 signature (DER) over the SHA-256 of `message` (at most 4,096 bytes, KMS's limit). */
  sign(message: Buffer): Promise<Buffer>;
  /** The public key, SubjectPublicKeyInfo DER (what KMS `GetPublicKey` returns). */
  publicKey(): Promise<Buffer>;
}

/** Where digests are kept: WORM objects under `digests/` of the ledger mirror bucket. */
export interface LedgerDigestStore {
  /** Stores the digest and then its signature record; neither can be changed or deleted afterwards. */
  save(body: Buffer, record: DigestSignatureRecord): Promise<void>;
  /** The signature record of the latest day with a digest, `undefined` before the first. */
  latest(): Promise<DigestSignatureRecord | undefined>;
  /** The digest's bytes, in order (for the signature check, without holding them all). */
  bytes(digestKey: string): AsyncIterable<Uint8Array>;
  /**
   * The heads listed from byte `offset` on, at most about `maxBytes` of them (whole lines), and the offset of
   * the next line (none at the end).
   */
  headsFrom(
    digestKey: string,
    offset: number,
    maxBytes: number,
  ): Promise<{ readonly heads: readonly DigestHead[]; readonly next?: number }>;
}

/** Key of the digest of a day (UTC date), and of its signature record. */
export function digestKeys(day: string): { readonly digest: string; readonly signature: string } {
  return { digest: `digests/${day}.jsonl`, signature: `digests/${day}.sig.json` };
}

/** One line of a digest: `{"caseId","seq","hash"}` and a newline (JSON lines). */
export function digestLine(head: DigestHead): string {
  return `${JSON.stringify({ caseId: head.caseId, seq: head.seq, hash: head.hash })}\n`;
}

/** Reads a digest line; `undefined` for a line that is not a head (then the digest does not verify either). */
export function parseDigestLine(line: string): DigestHead | undefined {
  try {
    const value = JSON.parse(line) as Record<string, unknown>;
    const { caseId, seq, hash } = value;
    if (typeof caseId === 'string' && typeof seq === 'number' && typeof hash === 'string') {
      return { caseId, seq, hash };
    }
  } catch {
    return undefined;
  }
  return undefined;
}

/**
 * Builds and signs the digest of every case head (`heads`, page by page) and stores it with its signature
 * record, once per day: JSON lines, one head a line; the signature (ECDSA P-256) covers a statement of the
 * digest's SHA-256, size and count.
 * A later change to any case's history before its digested head (an event edited, deleted or inserted, even
 * with every later hash recomputed) no longer leads to the digested hash at that seq.
 */
export async function writeLedgerDigest(
  deps: {
    readonly heads: () => AsyncIterable<readonly DigestHead[]>;
    readonly signer: DigestSigner;
    readonly store: Pick<LedgerDigestStore, 'save'>;
    readonly now: () => Date;
  },
  day: string,
): Promise<DigestSignatureRecord> {
  const chunks: Buffer[] = [];
  const hash = createHash('sha256');
  let heads = 0;
  for await (const page of deps.heads()) {
    const chunk = Buffer.from(page.map(digestLine).join(''), 'utf8');
    hash.update(chunk);
    chunks.push(chunk);
    heads += page.length;
  }
  const body = Buffer.concat(chunks);
  const statement: DigestStatement = {
    day,
    digestKey: digestKeys(day).digest,
    createdAt: deps.now().toISOString(),
    heads,
    sha256: hash.digest('hex'),
    bytes: body.length,
  };
  const signature = await deps.signer.sign(statementBytes(statement));
  const record: DigestSignatureRecord = {
    statement,
    keyId: deps.signer.keyId,
    algorithm: DIGEST_SIGNING_ALGORITHM,
    signature: signature.toString('base64'),
  };
  await deps.store.save(body, record);
  return record;
}

/**
 * Whether the record's signature holds under the signer's public key and the digest's bytes (read through) are
 * those its statement names (SHA-256 and size).
 */
export async function verifyDigestSignature(
  deps: {
    readonly signer: Pick<DigestSigner, 'publicKey'>;
    readonly store: Pick<LedgerDigestStore, 'bytes'>;
  },
  record: DigestSignatureRecord,
): Promise<boolean> {
  const key = { key: await deps.signer.publicKey(), format: 'der' as const, type: 'spki' as const };
  let signed: boolean;
  try {
    signed = verify('sha256', statementBytes(record.statement), key, Buffer.from(record.signature, 'base64'));
  } catch {
    signed = false;
  }
  if (!signed) return false;
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of deps.store.bytes(record.statement.digestKey)) {
    hash.update(chunk);
    bytes += chunk.length;
  }
  return bytes === record.statement.bytes && hash.digest('hex') === record.statement.sha256;
}

/** The bytes a digest's signature covers: its statement's canonical JSON. */
export function statementBytes(statement: DigestStatement): Buffer {
  return Buffer.from(canonicalize(statement), 'utf8');
}
