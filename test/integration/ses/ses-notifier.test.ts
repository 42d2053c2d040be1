import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';

import { SESv2Client } from '@aws-sdk/client-sesv2';

import { EmailServiceUnavailableError, SesNotifier } from '../../../shared/adapters/ses';
import { deliveryKeyOf } from '../../../shared/domain/messaging/delivery-key';
import { referralFor } from '../../../shared/domain/messaging/referral';
import { getCategory, loadSctPolicy } from '../../../shared/domain/policy';
import { EmulatorAcceptedMessages } from '../../../infra/local/accepted-messages';
import { startSesEmulator } from '../../support/ses-emulator';
import type { SesEmulator } from '../../support/ses-emulator';
import { REFERENCE, SAMPLE_VALUES } from '../../unit/templates/sample-values';

const FROM = 'ne-pas-repondre@sct.gouv.qc.ca';
const REQUESTER = 'marie.tremblay@example.com';
const REPLY_TO = 'dossier+0b8f5c1e@reponses.sct.gouv.qc.ca';

let emulator: SesEmulator;
let notifier: SesNotifier;

beforeAll(async () => {
  emulator = await startSesEmulator();
  notifier = new SesNotifier({ client: emulator.createClient(), from: FROM });
});

afterAll(async () => {
  await emulator.stop();
});

beforeEach(async () => {
  await emulator.clear();
});

describe('SesNotifier on aws-ses-v2-local', () => {
  it('delivers the acknowledgement with subject, text, HTML, recipient and reply-to', async () => {
    const { messageId } = await notifier.send({
      template: 'acknowledgement',
      language: 'fr',
      to: [REQUESTER],
      replyTo: REPLY_TO,
      values: SAMPLE_VALUES.acknowledgement,
      caseId: '0b8f5c1e-4d0a-4c55-9d43-3f0b2a7f6e11',
    });

    const emails = await emulator.readStore();
    expect(emails).toHaveLength(1);
    const [email] = emails;
    expect(email?.messageId).toBe(messageId);
    expect(email?.from).toBe(FROM);
    expect(email?.destination.to).toEqual([REQUESTER]);
    expect(email?.replyTo).toEqual([REPLY_TO]);
    expect(email?.subject).toBe(`Accusé de réception de votre demande – ${REFERENCE}`);
    expect(email?.body.text).toContain('Nous vous transmettrons une réponse au plus tard le 31 mars 2026.');
    expect(email?.body.text).toContain('responsable-plaintes@sct.gouv.qc.ca');
    expect(email?.body.html).toContain('<html lang="fr">');
    expect(email?.body.html).toContain('<strong>31 mars 2026</strong>');
  });

  it('keeps the delivery key with the message, so the local record of accepted messages finds it by that key', async () => {
    const deliveryKey = deliveryKeyOf('0b8f5c1e-4d0a-4c55-9d43-3f0b2a7f6e11', 'ack-deadline-action:message');
    const accepted = new EmulatorAcceptedMessages();
    expect(await accepted.find(deliveryKey)).toBeUndefined();

    const { messageId } = await notifier.send({
      template: 'acknowledgement',
      language: 'fr',
      to: [REQUESTER],
      replyTo: REPLY_TO,
      values: SAMPLE_VALUES.acknowledgement,
      caseId: '0b8f5c1e-4d0a-4c55-9d43-3f0b2a7f6e11',
      deliveryKey,
    });

    expect(await accepted.find(deliveryKey)).toEqual({ messageId });
    expect(
      await accepted.find(deliveryKeyOf('0b8f5c1e-4d0a-4c55-9d43-3f0b2a7f6e11', 'notify:task')),
    ).toBeUndefined();
  });

  it('delivers an English answer cover with the Protecteur du citoyen paragraph, values escaped in HTML', async () => {
    await notifier.send({
      template: 'answer-cover',
      language: 'en',
      to: [REQUESTER],
      replyTo: REPLY_TO,
      values: {
        ...SAMPLE_VALUES['answer-cover'],
        subject: 'Tables <b>2025</b> & "2026"',
        referral: referralFor(
          loadSctPolicy(),
          getCategory(loadSctPolicy(), 'service-complaint'),
          'en',
          REFERENCE,
        ),
      },
    });

    const [email] = await emulator.readStore();
    expect(email?.subject).toBe(`Answer to your request – ${REFERENCE}`);
    expect(email?.body.text).toContain('“Tables <b>2025</b> & "2026"”');
    expect(email?.body.html).toContain('“Tables &lt;b&gt;2025&lt;/b&gt; &amp; &quot;2026&quot;”');
    expect(email?.body.text).toContain('1 800 463-5070');
    expect(email?.body.html).toContain('<html lang="en">');
  });

  it.each(['lea=roy@example.org', '"lea roy"@example.org', "o'brien+dossiers@example.org"])(
    'delivers to %s, an address RFC 5322 allows and the form accepts, unchanged',
    async (address) => {
      await notifier.send({
        template: 'acknowledgement',
        language: 'fr',
        to: [address],
        replyTo: REPLY_TO,
        values: SAMPLE_VALUES.acknowledgement,
        caseId: '0b8f5c1e-4d0a-4c55-9d43-3f0b2a7f6e11',
      });

      const emails = await emulator.readStore();
      expect(emails.map((email) => email.destination.to)).toEqual([[address]]);
    },
  );

  it('delivers a staff message to several addresses without reply-to', async () => {
    await notifier.send({
      template: 'task-notification',
      language: 'fr',
      to: ['equipe-statistiques@sct.gouv.qc.ca', 'coordination@sct.gouv.qc.ca'],
      values: SAMPLE_VALUES['task-notification'],
    });

    const [email] = await emulator.readStore();
    expect(email?.destination.to).toEqual([
      'equipe-statistiques@sct.gouv.qc.ca',
      'coordination@sct.gouv.qc.ca',
    ]);
    expect(email?.replyTo).toEqual([]);
    expect(email?.subject).toBe(`Nouveau dossier ${REFERENCE} – Statistiques`);
    expect(email?.body.html).toContain('href="https://jalon.example.gouv.qc.ca/dossiers/0b8f5c1e"');
  });

  it('reports an unreachable mail service as a transient error', async () => {
    const port = await closedPort();
    const unreachable = new SESv2Client({
      endpoint: `http://127.0.0.1:${port}`,
      region: 'ca-central-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      maxAttempts: 1,
    });
    try {
      const sending = new SesNotifier({ client: unreachable, from: FROM }).send({
        template: 'ops-alert',
        language: 'fr',
        to: ['exploitation@sct.gouv.qc.ca'],
        values: SAMPLE_VALUES['ops-alert'],
      });

      await expect(sending).rejects.toThrow(EmailServiceUnavailableError);
      await expect(sending).rejects.toMatchObject({ transient: true });
      expect(await emulator.readStore()).toEqual([]);
    } finally {
      unreachable.destroy();
    }
  });
});

/** A port nothing listens on: bound, read, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
