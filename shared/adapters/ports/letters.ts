import type { S3Client } from '@aws-sdk/client-s3';

import type { LetterDeps } from '../../domain/letters/ports';
import { PdfkitLetterRenderer } from '../pdf/pdfkit-letter-renderer';
import { S3LetterStore } from '../s3/letter-store';

/** Letters for requesters without email: rendered with pdfkit, kept in the letters bucket. */
export function lettersOn(input: { readonly s3: S3Client; readonly bucket: string }): LetterDeps {
  return {
    renderer: new PdfkitLetterRenderer(),
    store: new S3LetterStore({ client: input.s3, bucket: input.bucket }),
  };
}
