import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { PdfkitLetterRenderer } from '../../../shared/adapters/pdf/pdfkit-letter-renderer';
import { printableLetter } from '../../../shared/domain/letters/prepare';
import type { CaseProjection } from '../../../shared/domain/ledger/projection';
import { contactBlock } from '../../../shared/domain/messaging/values';
import { dateInWords, instantDateInWords } from '../../../shared/domain/time/date-in-words';
import { loadSctPolicy } from '../../../shared/domain/policy';
import type { Language } from '../../../shared/templates/catalog';
import { type TemplateRequest } from '../../../shared/templates/render';
import { referralFor } from '../../../shared/domain/messaging/referral';
import { getCategory } from '../../../shared/domain/policy/load';

const policy = loadSctPolicy();
const AT = '2026-03-04T15:00:00.000Z';
const REFERENCE = 'SCT-2026-000042';

/** The text pdftotext reads from a PDF, whitespace collapsed (no-break spaces included). */
function pdfText(pdf: Uint8Array): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'letter-'));
  try {
    const file = path.join(dir, 'letter.pdf');
    writeFileSync(file, pdf);
    return execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' })
      .replace(/\s+/gu, ' ')
      .trim();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function squash(text: string): string {
  return text.replace(/\s+/gu, ' ').trim();
}

function projectionFor(language: Language): CaseProjection {
  return {
    requester: {
      name: 'Marie Tremblay',
      language,
      postalAddress: {
        lines: ['12, rue des Érables'],
        municipality: 'Lévis',
        province: 'QC',
        postalCode: 'G6V 1A1',
        country: 'CA',
      },
    },
  } as unknown as CaseProjection;
}

async function render(request: TemplateRequest): Promise<{ pdf: Uint8Array; text: string }> {
  const letter = printableLetter(policy, projectionFor(request.language), request, AT);
  const pdf = await new PdfkitLetterRenderer().render(letter);
  return { pdf, text: pdfText(pdf) };
}

describe.each(['fr', 'en'] as const)('a printed letter in %s', (language) => {
  it('is a PDF whose text holds the letterhead, reference, promised date and contact of the acknowledgement', async () => {
    const contact = contactBlock(policy, language);
    const { pdf, text } = await render({
      template: 'acknowledgement',
      language,
      values: {
        reference: REFERENCE,
        requesterName: 'Marie Tremblay',
        subject: 'Statistiques 2025',
        receivedDate: instantDateInWords('2026-03-02T14:00:00.000Z', language),
        answerByDate: dateInWords('2026-04-15', language),
        contact,
      },
    });

    expect(Buffer.from(pdf.subarray(0, 5)).toString('latin1')).toBe('%PDF-');
    expect(text).toContain('Secrétariat du Conseil du trésor');
    expect(text).toContain('875, Grande Allée Est');
    expect(text).toContain(REFERENCE);
    expect(text).toContain(squash(dateInWords('2026-04-15', language)));
    expect(text).toContain(squash(instantDateInWords(AT, language)));
    expect(text).toContain(language === 'fr' ? 'au plus tard le' : 'no later than');
    expect(text).toContain('Marie Tremblay');
    expect(text).toContain('12, rue des Érables Lévis QC G6V 1A1');
    expect(text).toContain(squash(contact));
  });

  it('carries the Protecteur du citoyen referral of a complaint answer', async () => {
    const referral = referralFor(policy, getCategory(policy, 'service-complaint'), language, REFERENCE);
    expect(referral.length).toBeGreaterThan(0);
    const { text } = await render({
      template: 'answer-cover',
      language,
      values: {
        reference: REFERENCE,
        requesterName: 'Marie Tremblay',
        subject: 'Plainte',
        answer: language === 'fr' ? 'Voici notre réponse.' : 'Here is our answer.',
        referral,
        contact: contactBlock(policy, language),
      },
    });

    expect(text).toContain(squash(referral));
    expect(text).toContain('Protecteur du citoyen');
  });
});
