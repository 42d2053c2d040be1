import { getAttachmentDownload, getCase } from '../../../shared/domain/case/commands';
import type { DownloadLinks, DownloadRequest } from '../../../shared/domain/attachments/download';
import { attachmentIdOf, downloadContentType } from '../../../shared/domain/attachments/download';
import { toAuditEvents } from '../../../shared/domain/audit/event-details';
import type { AttachmentRef } from '../../../shared/domain/case/case';
import { AccessDeniedError, AttachmentNotFoundError, CaseNotFoundError } from '../../../shared/errors';
import {
  ADMIN,
  AGENT,
  AUDITOR,
  CASE_ID,
  COMPLAINT_ID,
  COMPLAINTS_OFFICER,
  FlakyLedger,
  NOW,
  SUPERVISOR,
  harness,
} from './fixtures';

/** Records what links were asked for and answers a recognizable URL. */
class RecordingDownloadLinks implements DownloadLinks {
  readonly requests: DownloadRequest[] = [];

  linkFor(request: DownloadRequest): Promise<{ url: string }> {
    this.requests.push(request);
    return Promise.resolve({ url: `https://store.example/${encodeURIComponent(request.key)}?sig=x` });
  }
}

const MESSAGE_FOLDER = '3f9a0c2b7d1e4a56';

function attachment(caseId: string, nn: string, filename: string, contentType: string): AttachmentRef {
  return { key: `${caseId}/${MESSAGE_FOLDER}/${nn}-${filename}`, filename, contentType, size: 1234 };
}

async function caseWithAttachments(caseId: string, category: string) {
  const h = harness();
  const files = [
    attachment(caseId, '01', 'Résumé (1).pdf', 'application/pdf'),
    attachment(caseId, '02', 'page.html', 'text/html'),
  ];
  await h.seed({ caseId, category, attachments: files });
  const reply = {
    key: `${caseId}/a1b2c3d4e5f60718/01-tableau.xlsx`,
    filename: 'tableau.xlsx',
    contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    size: 99,
  };
  await h.ledger.append(caseId, {
    type: 'message.received',
    at: NOW,
    actor: { kind: 'citizen' },
    data: {
      messageId: 'a1b2c3d4e5f60718'.repeat(4),
      rawKey: 'inbound/reply',
      from: 'requester',
      attachments: [reply],
      receivedAt: NOW,
    },
  });
  const links = new RecordingDownloadLinks();
  return { h, links, deps: { ...h.deps, downloadLinks: links }, files, reply };
}

describe('attachment download links', () => {
  it('ids are URL-safe, without the case id, and the case page lists them on each attachment', async () => {
    const { h, files, reply } = await caseWithAttachments(CASE_ID, 'statistics');

    expect(attachmentIdOf(CASE_ID, files[0]!)).toBe(`${MESSAGE_FOLDER}.01`);
    expect(attachmentIdOf(CASE_ID, { key: `${CASE_ID}//01-x.pdf` })).toMatch(/^k[0-9a-f]{32}$/);
    const detail = await getCase(h.deps, AGENT, CASE_ID);
    expect(detail.content?.attachments.map((a) => a.attachmentId)).toEqual([
      `${MESSAGE_FOLDER}.01`,
      `${MESSAGE_FOLDER}.02`,
    ]);
    expect(detail.content?.messages[0]?.attachments[0]).toEqual({
      ...reply,
      attachmentId: 'a1b2c3d4e5f60718.01',
    });
  });

  it('an agent of an ordinary case gets a 60 s link under the file name; nothing is recorded', async () => {
    const { h, links, deps } = await caseWithAttachments(CASE_ID, 'statistics');
    const before = (await h.ledger.read(CASE_ID)).length;

    const download = await getAttachmentDownload(deps, AGENT, CASE_ID, `${MESSAGE_FOLDER}.01`);

    expect(download).toEqual({
      url: expect.stringMatching(/^https:\/\/store\.example\//) as unknown,
      expiresAt: '2026-03-04T15:01:00.000Z',
      filename: 'Résumé (1).pdf',
      contentType: 'application/pdf',
      size: 1234,
    });
    expect(links.requests).toEqual([
      {
        key: `${CASE_ID}/${MESSAGE_FOLDER}/01-Résumé (1).pdf`,
        filename: 'Résumé (1).pdf',
        contentType: 'application/pdf',
        expiresInSeconds: 60,
      },
    ]);
    expect(await h.ledger.read(CASE_ID)).toHaveLength(before);
  });

  it("a message's attachment downloads too", async () => {
    const { links, deps, reply } = await caseWithAttachments(CASE_ID, 'statistics');

    const download = await getAttachmentDownload(deps, SUPERVISOR, CASE_ID, 'a1b2c3d4e5f60718.01');

    expect(download.filename).toBe('tableau.xlsx');
    expect(links.requests[0]?.key).toBe(reply.key);
  });

  it('an active type (HTML) is served as application/octet-stream', async () => {
    const { links, deps } = await caseWithAttachments(CASE_ID, 'statistics');

    const download = await getAttachmentDownload(deps, AGENT, CASE_ID, `${MESSAGE_FOLDER}.02`);

    expect(download.contentType).toBe('application/octet-stream');
    expect(links.requests[0]?.contentType).toBe('application/octet-stream');
  });

  it.each([
    ['text/html', 'application/octet-stream'],
    ['application/xhtml+xml', 'application/octet-stream'],
    ['image/svg+xml', 'application/octet-stream'],
    ['text/xml', 'application/octet-stream'],
    ['application/xml', 'application/octet-stream'],
    ['text/javascript', 'application/octet-stream'],
    ['application/javascript', 'application/octet-stream'],
    ['application/pdf', 'application/pdf'],
    ['image/png', 'image/png'],
    ['text/plain', 'text/plain'],
  ])('%s is downloaded as %s', (stored, served) => {
    expect(downloadContentType(stored)).toBe(served);
  });

  it('an unknown attachment id on a readable case is ATTACHMENT_NOT_FOUND, and no link is issued', async () => {
    const { links, deps } = await caseWithAttachments(CASE_ID, 'statistics');

    await expect(getAttachmentDownload(deps, AGENT, CASE_ID, `${MESSAGE_FOLDER}.09`)).rejects.toBeInstanceOf(
      AttachmentNotFoundError,
    );
    expect(links.requests).toHaveLength(0);
  });

  it('readers of metadata only (auditor, administrator) are refused with 403, and no link is issued', async () => {
    const { links, deps } = await caseWithAttachments(CASE_ID, 'statistics');

    for (const reader of [AUDITOR, ADMIN]) {
      await expect(
        getAttachmentDownload(deps, reader, CASE_ID, `${MESSAGE_FOLDER}.01`),
      ).rejects.toBeInstanceOf(AccessDeniedError);
    }
    expect(links.requests).toHaveLength(0);
  });

  it("a complaint's attachment: the complaints officer's download is recorded before the link", async () => {
    const { h, links, deps } = await caseWithAttachments(COMPLAINT_ID, 'service-complaint');
    const ledgerSizeWhenLinked: number[] = [];
    const ordered: DownloadLinks = {
      linkFor: async (request) => {
        ledgerSizeWhenLinked.push((await h.ledger.read(COMPLAINT_ID)).length);
        return links.linkFor(request);
      },
    };
    const before = (await h.ledger.read(COMPLAINT_ID)).length;

    await getAttachmentDownload(
      { ...deps, downloadLinks: ordered },
      COMPLAINTS_OFFICER,
      COMPLAINT_ID,
      `${MESSAGE_FOLDER}.01`,
    );

    const events = await h.ledger.read(COMPLAINT_ID);
    const read = events.at(-1);
    expect(events).toHaveLength(before + 1);
    expect(read).toMatchObject({
      type: 'case.read',
      actor: { kind: 'staff', id: COMPLAINTS_OFFICER.id },
      data: { scope: 'content', attachmentId: `${MESSAGE_FOLDER}.01` },
    });
    expect(ledgerSizeWhenLinked).toEqual([before + 1]);
    expect(toAuditEvents(events).at(-1)?.details).toEqual({
      scope: 'content',
      attachmentId: `${MESSAGE_FOLDER}.01`,
    });
  });

  it("a complaint's attachment is not found for an agent, and the attempt is recorded as access.refused", async () => {
    const { h, links, deps } = await caseWithAttachments(COMPLAINT_ID, 'service-complaint');

    await expect(
      getAttachmentDownload(deps, AGENT, COMPLAINT_ID, `${MESSAGE_FOLDER}.01`, {
        route: 'GET /api/staff/cases/{caseId}/attachments/{attachmentId}',
      }),
    ).rejects.toBeInstanceOf(CaseNotFoundError);

    expect((await h.ledger.read(COMPLAINT_ID)).at(-1)).toMatchObject({
      type: 'access.refused',
      data: { action: 'read', route: 'GET /api/staff/cases/{caseId}/attachments/{attachmentId}' },
    });
    expect(links.requests).toHaveLength(0);
  });

  it("a complaint's attachment is refused (403) to an auditor, who reads metadata only", async () => {
    const { links, deps } = await caseWithAttachments(COMPLAINT_ID, 'service-complaint');

    await expect(
      getAttachmentDownload(deps, AUDITOR, COMPLAINT_ID, `${MESSAGE_FOLDER}.01`),
    ).rejects.toBeInstanceOf(AccessDeniedError);
    expect(links.requests).toHaveLength(0);
  });

  it('when the read of a complaint cannot be recorded, no link is issued', async () => {
    const { h, links, deps } = await caseWithAttachments(COMPLAINT_ID, 'service-complaint');
    const flaky = new FlakyLedger(h.ledger);
    flaky.failNextAppendOf('case.read');

    await expect(
      getAttachmentDownload(
        { ...deps, ledger: flaky },
        COMPLAINTS_OFFICER,
        COMPLAINT_ID,
        `${MESSAGE_FOLDER}.01`,
      ),
    ).rejects.toThrow('store unavailable');
    expect(links.requests).toHaveLength(0);
  });
});
