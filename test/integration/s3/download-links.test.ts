import { S3AttachmentWriter, S3DownloadLinks } from '../../../shared/adapters/s3';
import { startS3rver } from '../../support/s3rver';
import type { LocalS3 } from '../../support/s3rver';

const KEY = 'case-0001-statistics/3f9a0c2b7d1e4a56/01-Resume (1).pdf';
const BYTES = Buffer.from('%PDF-1.7 pièce jointe\n');

describe('S3DownloadLinks (presigned GET) against s3rver', () => {
  let s3: LocalS3;
  let links: S3DownloadLinks;

  beforeAll(async () => {
    s3 = await startS3rver();
    const writer = new S3AttachmentWriter({ client: s3.client, bucket: s3.buckets.attachments });
    await writer.put({
      key: KEY,
      filename: 'Résumé (1).pdf',
      contentType: 'application/pdf',
      content: BYTES,
    });
    await writer.put({
      key: 'case-0001-statistics/3f9a0c2b7d1e4a56/02-page.html',
      filename: 'page.html',
      contentType: 'text/html',
      content: Buffer.from('<script>alert(1)</script>'),
    });
    links = new S3DownloadLinks({ client: s3.client, bucket: s3.buckets.attachments });
  });

  afterAll(async () => {
    await s3.stop();
  });

  it('the link downloads the bytes, as an attachment under the UTF-8 file name, valid 60 s', async () => {
    const { url } = await links.linkFor({
      key: KEY,
      filename: 'Résumé (1).pdf',
      contentType: 'application/pdf',
      expiresInSeconds: 60,
    });

    expect(url.startsWith(`${s3.endpoint}/`)).toBe(true);
    expect(new URL(url).searchParams.get('X-Amz-Expires')).toBe('60');
    const response = await fetch(url);
    expect(response.status).toBe(200);
    expect(Buffer.from(await response.arrayBuffer())).toEqual(BYTES);
    expect(response.headers.get('content-disposition')).toBe(
      `attachment; filename="Resume (1).pdf"; filename*=UTF-8''R%C3%A9sum%C3%A9%20%281%29.pdf`,
    );
    expect(response.headers.get('content-type')).toBe('application/pdf');
    expect(response.headers.get('cache-control')).toBe('no-store');
  });

  it('the declared type is the one signed into the link, not the stored one', async () => {
    const { url } = await links.linkFor({
      key: 'case-0001-statistics/3f9a0c2b7d1e4a56/02-page.html',
      filename: 'page.html',
      contentType: 'application/octet-stream',
      expiresInSeconds: 60,
    });

    const response = await fetch(url);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/octet-stream');
    expect(response.headers.get('content-disposition')).toMatch(/^attachment; /);
  });

  it('the overrides are query parameters of the signed request (SigV4 signs every query parameter)', async () => {
    const { url } = await links.linkFor({
      key: KEY,
      filename: 'Résumé (1).pdf',
      contentType: 'application/pdf',
      expiresInSeconds: 60,
    });
    const query = new URL(url).searchParams;

    expect(query.get('response-content-disposition')).toMatch(/^attachment; filename=/);
    expect(query.get('response-content-type')).toBe('application/pdf');
    expect(query.get('X-Amz-Algorithm')).toBe('AWS4-HMAC-SHA256');
    expect(query.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
  });
});
