import { createPrivateKey, createPublicKey, generateKeyPairSync, sign } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import type { DigestSigner } from '../../shared/domain/audit/ledger-digest';

/**
 * The local stack's `DigestSigner` (there is no KMS emulator): an ECDSA P-256 key pair made once and kept in
 * the data folder (`ledger-digest-key.pem`, mode 600), or for the process's life in memory. It signs as KMS
 * does with `ECDSA_SHA_256` (DER signature over the message's SHA-256), so the same verification reads both.
 */
export class LocalDigestSigner implements DigestSigner {
  readonly keyId = 'local';

  private constructor(private readonly key: KeyObject) {}

  /** Loads the key from `keyFile`, creating it when absent; without `keyFile`, a key for this process. */
  static open(options: { readonly keyFile?: string } = {}): LocalDigestSigner {
    if (options.keyFile === undefined) return new LocalDigestSigner(newKey());
    let pem: string | undefined;
    try {
      pem = readFileSync(options.keyFile, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    if (pem !== undefined) return new LocalDigestSigner(createPrivateKey(pem));
    const key = newKey();
    mkdirSync(path.dirname(options.keyFile), { recursive: true });
    writeFileSync(options.keyFile, key.export({ format: 'pem', type: 'pkcs8' }), { mode: 0o600, flag: 'wx' });
    return new LocalDigestSigner(key);
  }

  sign(message: Buffer): Promise<Buffer> {
    return Promise.resolve(sign('sha256', message, this.key));
  }

  publicKey(): Promise<Buffer> {
    return Promise.resolve(createPublicKey(this.key).export({ format: 'der', type: 'spki' }));
  }
}

function newKey(): KeyObject {
  return generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
}
