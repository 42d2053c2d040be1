import { EmailIntakeEnvSchema } from '../../../functions/email-intake/env';
import { parseEnv } from '../../../shared/schemas/env';
import { DEFAULT_ATTACHMENT_LIMITS } from '../../../shared/domain/intake/email/attachments';
import { refusalNote, refusedFilesText } from '../../../shared/domain/intake/email/refusal-notice';
import type { RefusedAttachment } from '../../../shared/domain/ledger/events';
import { renderTemplate } from '../../../shared/templates/render';

const MIB = 1024 * 1024;
const REFUSED: RefusedAttachment[] = [
  { filename: 'outil.exe', contentType: 'application/x-msdownload', size: 4, reason: 'dangerous-type' },
  { filename: 'video.mp4', contentType: 'video/mp4', size: 12.4 * MIB, reason: 'file-too-large' },
  { filename: 'plan-3.pdf', contentType: 'application/pdf', size: 9 * MIB, reason: 'total-too-large' },
  { filename: 'x.pdf', contentType: 'application/pdf', size: 10, reason: 'too-many-files' },
];

describe('refused attachments in words', () => {
  it('lists each file with its reason and the limits, in French', () => {
    expect(refusedFilesText(REFUSED, DEFAULT_ATTACHMENT_LIMITS, 'fr').split('\n')).toEqual([
      '- outil.exe\u00a0: type de fichier non accepté (programme, script ou document à macros)',
      '- video.mp4\u00a0: 12,4\u00a0Mo, au-delà de la limite de 10,0\u00a0Mo par fichier',
      '- plan-3.pdf\u00a0: la limite de 25,0\u00a0Mo par courriel était atteinte',
      '- x.pdf\u00a0: plus de 50 pièces jointes dans un même courriel',
    ]);
  });

  it('and in English', () => {
    expect(refusedFilesText(REFUSED.slice(1, 2), DEFAULT_ATTACHMENT_LIMITS, 'en')).toBe(
      '- video.mp4: 12.4 MB, over the limit of 10.0 MB per file',
    );
  });

  it('lists at most 20 files, then counts the rest', () => {
    const many = Array.from({ length: 23 }, (_, i) => ({ ...REFUSED[0]!, filename: `f${i}.exe` }));
    const lines = refusedFilesText(many, DEFAULT_ATTACHMENT_LIMITS, 'fr').split('\n');

    expect(lines).toHaveLength(21);
    expect(lines[20]).toBe('- et 3 autres fichiers');
  });

  it('the staff note says the files stay in the original message', () => {
    expect(refusalNote(REFUSED.slice(0, 1), DEFAULT_ATTACHMENT_LIMITS)).toMatch(
      /^\[Jalon\] Pièces jointes refusées à la réception \(conservées seulement dans le courriel original/,
    );
  });

  it('renders the attachment-refused message with the list, in both languages, naming no file', () => {
    for (const language of ['fr', 'en'] as const) {
      const refusedFiles = refusedFilesText(REFUSED.slice(0, 1), DEFAULT_ATTACHMENT_LIMITS, language, {
        names: false,
      });
      const { subject, text, html } = renderTemplate('attachment-refused', language, {
        reference: 'SCT-2026-000123',
        receivedDate: '3 mars 2026',
        refusedFiles,
        contact: 'Secrétariat du Conseil du trésor',
      });

      expect(subject).toContain('SCT-2026-000123');
      expect(text).toContain(refusedFiles);
      expect(html).toMatch(language === 'fr' ? /pièce jointe refusée n°\s1/ : /refused attachment no\. 1/);
      expect(`${subject}${text}${html}`).not.toContain('outil.exe');
    }
  });
});

describe('email-intake environment', () => {
  const ENV = {
    CASES_TABLE_NAME: 'jalon-prod-cases',
    LEDGER_TABLE_NAME: 'jalon-prod-ledger',
    CONTROL_TABLE_NAME: 'jalon-prod-control',
    HOLDING_TABLE_NAME: 'jalon-prod-holding',
    STATE_MACHINE_ARN: 'arn:aws:states:ca-central-1:123456789012:stateMachine:jalon-prod-case-lifecycle',
    SENDER_ADDRESS: 'Secrétariat <no-reply@sct.example>',
    RAW_MAIL_BUCKET_NAME: 'jalon-prod-raw-mail',
    ATTACHMENTS_BUCKET_NAME: 'jalon-prod-attachments',
    INTAKE_MAIL_DOMAIN: 'demandes.sct.example',
    POLICY_ID: 'sct',
  };

  it('accepts the variables the email stack sets', () => {
    expect(parseEnv(EmailIntakeEnvSchema, ENV)).toMatchObject({ INTAKE_MAIL_DOMAIN: 'demandes.sct.example' });
  });

  it('names a missing or malformed variable, never its value', () => {
    const rest: Record<string, string> = { ...ENV };
    delete rest.HOLDING_TABLE_NAME;
    expect(() => parseEnv(EmailIntakeEnvSchema, rest)).toThrow(/HOLDING_TABLE_NAME/);
    expect(() => parseEnv(EmailIntakeEnvSchema, { ...ENV, INTAKE_MAIL_DOMAIN: 'not a domain' })).toThrow(
      /INTAKE_MAIL_DOMAIN/,
    );
  });
});
