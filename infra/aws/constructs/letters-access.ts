import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { LETTERS_PREFIX } from '../../../shared/adapters/s3/letter-store';
import type { Stage } from '../deployment-context';
import { acknowledgeLetterAccess } from '../nag-acknowledgements';
import type { JalonFunction } from './jalon-function';
import type { DataStack } from '../stacks/data-stack';

/**
 * Physical name of the letters bucket of a stage in an account and region (bucket names are global, hence
 * both). Fixed, like the table names, so that the functions' stacks find it without a cross-stack output.
 */
export function lettersBucketName(stage: Stage, account: string, region: string): string {
  return `jalon-${stage}-letters-${account}-${region}`;
}

/** The letters bucket of the data stack as a consumer stack sees it (the PDFs are under `LETTERS_PREFIX`). */
export interface LettersAccess {
  readonly bucketName: string;
  readonly bucket: s3.IBucket;
  /** ARN pattern of the letter objects (`…/letters/*`): the only objects the functions touch. */
  readonly objectsArn: string;
  /** The key of the bucket's SSE-KMS (the data key). */
  readonly keyArn: string;
}

/**
 * The data stack's letters bucket, referenced from another stack of the same stage by its physical name (the
 * account and region of that stack, which are the data stack's), as `tablesOf` does for the tables: the
 * object ARN is then a plain string of the consumer's pseudo parameters, so its IAM wildcard can be
 * acknowledged by its exact text. The dependency on the data stack is declared explicitly.
 */
export function lettersBucketOf(scope: Construct, stage: Stage, data: DataStack): LettersAccess {
  const stack = Stack.of(scope);
  stack.addStackDependency(data, 'the functions store and read the letters in the letters bucket');
  const bucketName = lettersBucketName(stage, stack.account, stack.region);
  const bucket = s3.Bucket.fromBucketName(scope, 'LettersBucket', bucketName);
  return {
    bucketName,
    bucket,
    objectsArn: bucket.arnForObjects(`${LETTERS_PREFIX}*`),
    keyArn: data.dataKey.keyArn,
  };
}

/** What a function does with the letters: the workflow writes them, the staff API writes and serves them. */
export type LetterAccessMode = 'write' | 'read-write';

/**
 * Grants a function exactly what its letter store needs, on the role: `s3:PutObject` (and `s3:GetObject` to
 * serve them) on `letters/*`, never a delete, a list or another object; the data key only through S3
 * (`kms:ViaService`), `kms:GenerateDataKey` to write (SSE-KMS with a bucket key) and `kms:Decrypt` to read.
 * Explicit statements rather than `grantPut`/`grantReadWrite`, which add `s3:Abort*`, `s3:DeleteObject*`,
 * `s3:GetBucket*`, `s3:List*` and `s3:PutObjectRetention`.
 */
export function grantLetterAccess(fn: JalonFunction, letters: LettersAccess, mode: LetterAccessMode): void {
  const stack = Stack.of(fn);
  const read = mode === 'read-write';
  const statements = [
    new iam.PolicyStatement({
      sid: read ? 'StoreAndReadLetters' : 'StoreLetters',
      actions: read ? ['s3:GetObject', 's3:PutObject'] : ['s3:PutObject'],
      resources: [letters.objectsArn],
    }),
    new iam.PolicyStatement({
      sid: 'UseDataKeyForLetters',
      actions: read ? ['kms:Decrypt', 'kms:GenerateDataKey'] : ['kms:GenerateDataKey'],
      resources: [letters.keyArn],
      conditions: { StringEquals: { 'kms:ViaService': `s3.${stack.region}.amazonaws.com` } },
    }),
  ];
  for (const statement of statements) fn.role.addToPrincipalPolicy(statement);
  acknowledgeLetterAccess(
    fn.role,
    letters.objectsArn,
    read
      ? 'stores (s3:PutObject) and serves (s3:GetObject) them; no delete, no list'
      : 'stores them (s3:PutObject); no read, no delete',
  );
}
