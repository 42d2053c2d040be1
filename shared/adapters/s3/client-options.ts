import type { S3ClientConfig } from '@aws-sdk/client-s3';

/**
 * Checksum options for an S3 client talking to s3rver (local stack and tests). Recent SDKs add CRC32
 * integrity checksums to every request and validate them on responses; s3rver predates them and refuses or
 * mangles such requests. With `WHEN_REQUIRED` the SDK only sends a checksum when the operation requires one
 * (the attachment writer sends `Content-MD5` itself). In AWS the defaults stay: do not use these there.
 * Pair them with `forcePathStyle: true` (s3rver serves no virtual-hosted buckets).
 */
export const LOCAL_S3_CHECKSUM_OPTIONS = {
  requestChecksumCalculation: 'WHEN_REQUIRED',
  responseChecksumValidation: 'WHEN_REQUIRED',
} as const satisfies Pick<S3ClientConfig, 'requestChecksumCalculation' | 'responseChecksumValidation'>;
