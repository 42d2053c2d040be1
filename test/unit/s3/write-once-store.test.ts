import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';

import { S3WriteOnceStore } from '../../../shared/adapters/s3';

const KEY = 'ledger/v1/case-0001-abcdefgh/0000000001.json';

describe('S3WriteOnceStore (S3 answers mocked)', () => {
  it('sends If-None-Match and Content-MD5, and reads the winner when the conditional write loses', async () => {
    const client = new S3Client({ region: 'ca-central-1' });
    const s3 = mockClient(client);
    const winner = { transformToString: () => Promise.resolve('{"winner":true}') };
    s3.on(GetObjectCommand).resolves({ Body: winner as never });
    s3.on(PutObjectCommand).rejects(
      Object.assign(new Error('exists'), { name: 'PreconditionFailed', $metadata: { httpStatusCode: 412 } }),
    );
    const store = new S3WriteOnceStore({ client, bucket: 'mirror', label: 'ledger-mirror' });

    const result = await store.putIfAbsent(KEY, '{"mine":true}');

    expect(result).toEqual({ written: false, existing: '{"winner":true}' });
    expect(s3.calls().map((call) => call.args[0].constructor.name)).toEqual([
      'PutObjectCommand',
      'GetObjectCommand',
    ]);
    const put = s3.commandCalls(PutObjectCommand)[0]?.args[0].input;
    expect(put).toMatchObject({ IfNoneMatch: '*', ContentType: 'application/json', Key: KEY });
    expect(put?.ContentMD5).toMatch(/^[A-Za-z0-9+/]{22}==$/);
  });

  it('writes a new key with the conditional put alone, reading nothing', async () => {
    const client = new S3Client({ region: 'ca-central-1' });
    const s3 = mockClient(client);
    s3.on(PutObjectCommand).resolves({});
    const store = new S3WriteOnceStore({ client, bucket: 'mirror', label: 'ledger-mirror' });

    const result = await store.putIfAbsent(KEY, '{"mine":true}');

    expect(result).toEqual({ written: true });
    expect(s3).toHaveReceivedCommandTimes(PutObjectCommand, 1);
    expect(s3).not.toHaveReceivedCommand(GetObjectCommand);
  });
});
