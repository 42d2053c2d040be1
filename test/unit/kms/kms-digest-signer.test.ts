import { generateKeyPairSync, sign } from 'node:crypto';

import { GetPublicKeyCommand, KMSClient, SignCommand } from '@aws-sdk/client-kms';
import { mockClient } from 'aws-sdk-client-mock';

import { KmsDigestSigner } from '../../../shared/adapters/kms/kms-digest-signer';
import { verifyDigestSignature, writeLedgerDigest } from '../../../shared/domain/audit/ledger-digest';
import type { DigestSignatureRecord } from '../../../shared/domain/audit/ledger-digest';

const KEY_ARN = 'arn:aws:kms:ca-central-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const kms = mockClient(KMSClient);
const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' });

beforeEach(() => {
  kms.reset();
  // KMS as it behaves: ECDSA_SHA_256 over the RAW message, and the SPKI DER public key.
  kms.on(SignCommand).callsFake((input: { Message: Uint8Array }) => ({
    Signature: sign('sha256', Buffer.from(input.Message), pair.privateKey),
  }));
  kms.on(GetPublicKeyCommand).resolves({ PublicKey: pair.publicKey.export({ format: 'der', type: 'spki' }) });
});

async function signedDigest(signer: KmsDigestSigner) {
  const saved: { body?: Buffer; record?: DigestSignatureRecord } = {};
  await writeLedgerDigest(
    {
      heads: async function* () {
        yield [{ caseId: 'c-1', seq: 4, hash: 'a'.repeat(64) }];
      },
      signer,
      store: {
        save: async (body, record) => {
          saved.body = body;
          saved.record = record;
        },
      },
      now: () => new Date('2026-12-07T05:00:00Z'),
    },
    '2026-12-07',
  );
  return { body: saved.body!, record: saved.record! };
}

describe('KmsDigestSigner', () => {
  it('signs the statement with the key (ECDSA_SHA_256, RAW) and verifies with the public key read once', async () => {
    const signer = new KmsDigestSigner({ client: new KMSClient({}), keyId: KEY_ARN });
    const { body, record } = await signedDigest(signer);

    expect(kms.commandCalls(SignCommand)[0]!.args[0].input).toMatchObject({
      KeyId: KEY_ARN,
      MessageType: 'RAW',
      SigningAlgorithm: 'ECDSA_SHA_256',
    });
    expect(record).toMatchObject({ keyId: KEY_ARN, statement: { heads: 1, bytes: body.length } });
    const store = {
      bytes: async function* () {
        yield body;
      },
    };
    expect(await verifyDigestSignature({ signer, store }, record)).toBe(true);
    expect(await verifyDigestSignature({ signer, store }, record)).toBe(true);
    expect(kms.commandCalls(GetPublicKeyCommand)).toHaveLength(1);
    // One byte changed in the digest, or a statement naming another count: refused.
    const altered = {
      bytes: async function* () {
        yield Buffer.from(body.toString('utf8').replace('"seq":4', '"seq":3'));
      },
    };
    expect(await verifyDigestSignature({ signer, store: altered }, record)).toBe(false);
    const restated = { ...record, statement: { ...record.statement, heads: 2 } };
    expect(await verifyDigestSignature({ signer, store }, restated)).toBe(false);
  });

  it('turns KMS throttling into a retryable TransientError', async () => {
    kms.on(SignCommand).rejects(Object.assign(new Error('slow down'), { name: 'ThrottlingException' }));
    const signer = new KmsDigestSigner({ client: new KMSClient({}), keyId: KEY_ARN });

    await expect(signer.sign(Buffer.from('x'))).rejects.toMatchObject({ name: 'TransientError' });
  });
});
