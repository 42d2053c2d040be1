import { GetObjectCommand, InvalidObjectState, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

import { makeHandler } from '../../../functions/staff-api/handler';
import { S3DownloadLinks } from '../../../shared/adapters/s3';
import type { DownloadRequest } from '../../../shared/domain/attachments/download';
import { CASE_ID, COMPLAINT_ID, harness } from '../commands/fixtures';

const AGENT_CLAIMS = { sub: 'agent-tremblay', 'cognito:groups': ['agent'], 'custom:units': 'statistics' };
const OFFICER_CLAIMS = { sub: 'rp-lavoie', 'cognito:groups': ['complaints-officer'] };
const AUDITOR_CLAIMS = { sub: 'aud-bouchard', 'cognito:groups': ['auditor'] };
const ROUTE = 'GET /api/staff/cases/{caseId}/attachments/{attachmentId}';
const FOLDER = '3f9a0c2b7d1e4a56';

function event(
  path: string,
  claims: Record<string, unknown> = AGENT_CLAIMS,
  headers: Record<string, string> = {},
  method = 'GET',
): APIGatewayProxyEventV2WithJWTAuthorizer {
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: path,
    rawQueryString: '',
    headers,
    requestContext: {
      authorizer: { principalId: '', integrationLatency: 0, jwt: { claims, scopes: [] } },
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '192.0.2.1', userAgent: 'jest' },
      requestId: 'req-1',
    } as unknown as APIGatewayProxyEventV2WithJWTAuthorizer['requestContext'],
    isBase64Encoded: false,
  };
}

type Response = APIGatewayProxyStructuredResultV2 & { body: string; headers: Record<string, string> };

async function setup(links?: S3DownloadLinks) {
  const h = harness();
  for (const [caseId, category] of [
    [CASE_ID, 'statistics'],
    [COMPLAINT_ID, 'service-complaint'],
  ] as const) {
    await h.seed({
      caseId,
      category,
      attachments: [
        {
          key: `${caseId}/${FOLDER}/01-Résumé (1).pdf`,
          filename: 'Résumé (1).pdf',
          contentType: 'application/pdf',
          size: 2048,
        },
      ],
    });
  }
  const requests: DownloadRequest[] = [];
  const handle = makeHandler({
    ...h.deps,
    logger: { info: () => undefined, warn: () => undefined, error: () => undefined },
    originCheck: { mode: 'off' },
    downloadLinks: links ?? {
      linkFor: (request) => {
        requests.push(request);
        return Promise.resolve({ url: 'http://127.0.0.1:4569/signed?X-Amz-Expires=60' });
      },
    },
  });
  const call = async (...args: Parameters<typeof event>) => (await handle(event(...args))) as Response;
  return { h, call, requests };
}

describe('staff API: attachment download links', () => {
  it('answers the link, its expiry, the name, type and size, never cached', async () => {
    const { call, requests } = await setup();

    const response = await call(`/api/staff/cases/${CASE_ID}/attachments/${FOLDER}.01`);

    expect(response.statusCode).toBe(200);
    expect(response.headers['cache-control']).toBe('no-store');
    expect(JSON.parse(response.body)).toEqual({
      url: 'http://127.0.0.1:4569/signed?X-Amz-Expires=60',
      expiresAt: '2026-03-04T15:01:00.000Z',
      filename: 'Résumé (1).pdf',
      contentType: 'application/pdf',
      size: 2048,
    });
    expect(requests).toHaveLength(1);
  });

  it('an unknown attachment is 404 ATTACHMENT_NOT_FOUND, in French or English', async () => {
    const { call } = await setup();

    const fr = await call(`/api/staff/cases/${CASE_ID}/attachments/${FOLDER}.07`);
    const en = await call(`/api/staff/cases/${CASE_ID}/attachments/${FOLDER}.07`, AGENT_CLAIMS, {
      'accept-language': 'en',
    });

    expect(fr.statusCode).toBe(404);
    expect(fr.body).toContain('ATTACHMENT_NOT_FOUND');
    expect(fr.body).toContain('Aucune pièce jointe de ce dossier ne correspond à cet identifiant.');
    expect(en.body).toContain('No attachment of this case matches this id.');
  });

  it("a complaint's attachment: 404 for an agent (refusal recorded with the route), 403 for an auditor", async () => {
    const { h, call, requests } = await setup();

    const agent = await call(`/api/staff/cases/${COMPLAINT_ID}/attachments/${FOLDER}.01`);
    const auditor = await call(`/api/staff/cases/${COMPLAINT_ID}/attachments/${FOLDER}.01`, AUDITOR_CLAIMS);

    expect(agent.statusCode).toBe(404);
    expect(agent.body).toContain('CASE_NOT_FOUND');
    expect(auditor.statusCode).toBe(403);
    expect(requests).toHaveLength(0);
    const refused = (await h.ledger.read(COMPLAINT_ID)).filter((e) => e.type === 'access.refused');
    expect(refused.at(-1)?.data).toEqual({ action: 'read', route: ROUTE });
  });

  it("the complaints officer's download is recorded with the attachment id", async () => {
    const { h, call } = await setup();

    const response = await call(`/api/staff/cases/${COMPLAINT_ID}/attachments/${FOLDER}.01`, OFFICER_CLAIMS);

    expect(response.statusCode).toBe(200);
    expect((await h.ledger.read(COMPLAINT_ID)).at(-1)).toMatchObject({
      type: 'case.read',
      data: { scope: 'content', attachmentId: `${FOLDER}.01` },
    });
  });

  it('an attachment S3 cannot serve yet (archived: InvalidObjectState) is a 409 that says so in French or English, not a 500', async () => {
    const s3 = mockClient(S3Client);
    s3.on(GetObjectCommand).rejects(
      new InvalidObjectState({
        message: 'The operation is not valid for the object’s storage class',
        $metadata: { httpStatusCode: 403 },
      }),
    );
    const client = new S3Client({
      region: 'ca-central-1',
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
    });
    const { call } = await setup(new S3DownloadLinks({ client, bucket: 'jalon-attachments' }));

    const fr = await call(`/api/staff/cases/${CASE_ID}/attachments/${FOLDER}.01`);
    const en = await call(`/api/staff/cases/${CASE_ID}/attachments/${FOLDER}.01`, AGENT_CLAIMS, {
      'accept-language': 'en',
    });
    s3.restore();

    expect(fr.statusCode).toBe(409);
    expect(fr.body).toContain('ATTACHMENT_ARCHIVED');
    expect(fr.body).toContain('Ce fichier est archivé');
    expect(en.statusCode).toBe(409);
    expect(en.body).toContain('This file is archived');
  });

  it('only GET is allowed on the route', async () => {
    const { call } = await setup();

    const response = await call(
      `/api/staff/cases/${CASE_ID}/attachments/${FOLDER}.01`,
      AGENT_CLAIMS,
      {},
      'POST',
    );

    expect(response.statusCode).toBe(405);
  });
});
