import { GetPublicKeyCommand, SignCommand } from '@aws-sdk/client-kms';
import type { KMSClient } from '@aws-sdk/client-kms';

import { TransientError } from '../../errors';
import type { DigestSigner } from '../../domain/audit/ledger-digest';

/** KMS errors worth a retry of the step (the SDK has already retried them). */
const TRANSIENT = new Set([
  'KMSInternalException',
  'DependencyTimeoutException',
  'ThrottlingException',
  'KeyUnavailableException',
]);

/**
 * `DigestSigner` on a KMS asymmetric key (`ECC_NIST_P256`, `SIGN_VERIFY`): `Sign` with `ECDSA_SHA_256` of the
 * digest's statement (`MessageType: RAW`, a few hundred bytes: the digest itself never goes to KMS), and the
 * public key from `GetPublicKey` (read once), with which anyone can check a digest without calling KMS.
 */
export class KmsDigestSigner implements DigestSigner {
  #publicKey: Promise<Buffer> | undefined;

  constructor(private readonly config: { readonly client: KMSClient; readonly keyId: string }) {}

  get keyId(): string {
    return this.config.keyId;
  }

  async sign(message: Buffer): Promise<Buffer> {
    const output = await this.call('Sign', () =>
      this.config.client.send(
        new SignCommand({
          KeyId: this.config.keyId,
          Message: message,
          MessageType: 'RAW',
          SigningAlgorithm: 'ECDSA_SHA_256',
        }),
      ),
    );
    if (output.Signature === undefined)
      throw new TransientError('KMS_NO_SIGNATURE', 'KMS Sign returned no signature');
    return Buffer.from(output.Signature);
  }

  publicKey(): Promise<Buffer> {
    this.#publicKey ??= this.call('GetPublicKey', () =>
      this.config.client.send(new GetPublicKeyCommand({ KeyId: this.config.keyId })),
    ).then((output) => {
      if (output.PublicKey === undefined)
        throw new TransientError('KMS_NO_PUBLIC_KEY', 'KMS GetPublicKey returned no key');
      return Buffer.from(output.PublicKey);
    });
    const pending = this.#publicKey;
    // A failed read is not kept: the next call asks again.
    pending.catch(() => {
      if (this.#publicKey === pending) this.#publicKey = undefined;
    });
    return pending;
  }

  private async call<T>(operation: string, send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (error) {
      const name = (error as { name?: unknown }).name;
      if (typeof name === 'string' && TRANSIENT.has(name))
        throw new TransientError('KMS_UNAVAILABLE', `KMS ${operation} failed`, {
          operation,
          errorName: name,
        });
      throw error;
    }
  }
}
