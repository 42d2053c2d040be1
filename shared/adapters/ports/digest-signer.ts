import type { KMSClient } from '@aws-sdk/client-kms';

import type { DigestSigner } from '../../domain/audit/ledger-digest';
import { KmsDigestSigner } from '../kms/kms-digest-signer';

/**
 * The key the ledger digests are signed with: the KMS key in AWS, or a signer already built where there is no
 * KMS (the local stack's key file).
 */
export type DigestKey =
  { readonly kms: KMSClient; readonly keyId: string } | { readonly signer: DigestSigner };

/** The digest signer of a key (`DigestKey`). */
export function digestSignerOn(key: DigestKey): DigestSigner {
  return 'signer' in key ? key.signer : new KmsDigestSigner({ client: key.kms, keyId: key.keyId });
}
