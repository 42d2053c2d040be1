import {
  automatedKindOf,
  classify,
  decideReply,
  intakeRecipients,
  referenceIn,
  senderForged,
  senderOf,
  verdictOf,
} from '../../../shared/domain/intake/email/classify';
import type { ClassifyContext } from '../../../shared/domain/intake/email/classify';
import { readHeaders } from '../../../shared/domain/intake/email/headers';
import type { InboundEmail } from '../../../shared/domain/intake/email/parse';
import { SCT_EMAIL_ROUTING } from '../../../shared/domain/intake/email/routing';
import { loadSctPolicy } from '../../../shared/domain/policy/sct';

const DOMAIN = 'intake.sct.example';
const TOKEN = 'abcdefghijklmnopqrstuvwxyz';
const CONTEXT: ClassifyContext = {
  intakeDomain: DOMAIN,
  ownAddresses: ['no-reply@sct.example'],
  routing: SCT_EMAIL_ROUTING,
  policy: loadSctPolicy(),
};

function email(overrides: Partial<InboundEmail> = {}): InboundEmail {
  return {
    from: [{ address: 'marie@example.com', name: 'Marie' }],
    to: [{ address: `demandes@${DOMAIN}` }],
    cc: [],
    subject: 'Une question',
    text: 'Bonjour',
    attachments: [],
    ...overrides,
  };
}

const headers = (...lines: string[]) => readHeaders(Buffer.from(`${lines.join('\r\n')}\r\n\r\n`));

describe('verdictOf', () => {
  it('quarantines a FAIL virus verdict before a spam one', () => {
    expect(verdictOf(headers('X-SES-Spam-Verdict: FAIL', 'X-SES-Virus-Verdict: FAIL'))).toMatchObject({
      kind: 'virus',
    });
    expect(verdictOf(headers('X-SES-Spam-Verdict: FAIL', 'X-SES-Virus-Verdict: PASS'))).toMatchObject({
      kind: 'spam',
    });
  });

  it('does not let a sender-added PASS hide the server FAIL', () => {
    expect(verdictOf(headers('X-SES-Spam-Verdict: FAIL', 'X-SES-Spam-Verdict: PASS'))?.kind).toBe('spam');
  });

  it('ignores PASS, GRAY and absent verdicts', () => {
    expect(verdictOf(headers('X-SES-Spam-Verdict: PASS', 'X-SES-Virus-Verdict: GRAY'))).toBeUndefined();
    expect(verdictOf([])).toBeUndefined();
  });
});

describe('automatedKindOf', () => {
  it.each([
    [
      'a delivery-status report',
      ['Content-Type: multipart/report; report-type="delivery-status"; boundary=x'],
      {},
      'bounce',
    ],
    ['MAILER-DAEMON', [], { from: [{ address: 'MAILER-DAEMON@mx.example.net' }] }, 'bounce'],
    ['postmaster', [], { from: [{ address: 'postmaster@example.net' }] }, 'bounce'],
    ['an « Undeliverable » subject', [], { subject: 'Undeliverable: Votre demande' }, 'bounce'],
    ['a « Non remis » subject', [], { subject: 'Non remis : Votre demande' }, 'bounce'],
    ['Auto-Submitted: auto-replied', ['Auto-Submitted: auto-replied'], {}, 'auto-reply'],
    ['X-Autoreply', ['X-Autoreply: yes'], {}, 'auto-reply'],
    ['X-Autorespond', ['X-Autorespond: 1'], {}, 'auto-reply'],
    ['Precedence: auto_reply', ['Precedence: auto_reply'], {}, 'auto-reply'],
    ['« Réponse automatique »', [], { subject: 'Réponse automatique : Votre demande' }, 'auto-reply'],
    ['« Absence du bureau »', [], { subject: 'Absence du bureau' }, 'auto-reply'],
    ['« Message d’absence »', [], { subject: 'Message d’absence' }, 'auto-reply'],
    ['"Out of Office"', [], { subject: 'Out of Office: Votre demande' }, 'auto-reply'],
    ['"Automatic reply"', [], { subject: 'Automatic reply: Votre demande' }, 'auto-reply'],
    ['Auto-Submitted: auto-generated', ['Auto-Submitted: auto-generated'], {}, 'auto-generated'],
    [
      'Auto-Submitted: auto-notified',
      ['Auto-Submitted: auto-notified; owner-email="x@y"'],
      {},
      'auto-generated',
    ],
    [
      'a read receipt',
      ['Content-Type: multipart/report; report-type=disposition-notification'],
      {},
      'auto-generated',
    ],
    ['a no-reply sender', [], { from: [{ address: 'no-reply@service.example' }] }, 'auto-generated'],
    ['Precedence: bulk', ['Precedence: bulk'], {}, 'bulk'],
    ['Precedence: list', ['Precedence: list'], {}, 'bulk'],
    ['Return-Path: <>', ['Return-Path: <>'], {}, 'bounce'],
  ] as const)('recognizes %s', (_what, lines, overrides, kind) => {
    expect(automatedKindOf(headers(...lines), email(overrides))?.kind).toBe(kind);
  });

  it.each([
    ['Auto-Submitted: no', ['Auto-Submitted: no'], {}],
    ['X-Autoreply: no', ['X-Autoreply: no'], {}],
    ['an ordinary subject about an absence', [], { subject: 'Absence de réponse à ma demande' }],
    ['a subject that mentions a vacation', [], { subject: 'Question sur les vacances des employés' }],
    ['an ordinary Return-Path', ['Return-Path: <marie@example.com>'], {}],
  ] as const)('lets a person’s mail through: %s', (_what, lines, overrides) => {
    expect(automatedKindOf(headers(...lines), email(overrides))).toBeUndefined();
  });
});

describe('senderOf', () => {
  it('accepts one plausible address', () => {
    expect(senderOf(email())).toEqual({ address: 'marie@example.com', name: 'Marie' });
  });

  it.each([
    ['no From', [], 'no-from'],
    ['a From without an address', [{ address: '', name: 'Marie' }], 'no-from'],
    ['two From mailboxes', [{ address: 'a@example.com' }, { address: 'b@example.com' }], 'unknown-sender'],
    ['a group', [{ address: 'a@example.com', group: true }], 'unknown-sender'],
    ['a malformed address', [{ address: 'a@@example..com' }], 'unknown-sender'],
  ] as const)('holds %s', (_what, from, kind) => {
    expect(senderOf(email({ from }))).toMatchObject({ route: 'hold', kind });
  });
});

describe('intakeRecipients', () => {
  it('takes the envelope recipient from the server stamp, then To and Cc, on the intake domain only', () => {
    const recipients = intakeRecipients(
      headers(`Received: from x by inbound for <PLAINTES@${DOMAIN}>; Tue, 3 Mar 2026 14:00:00 +0000`),
      email({ to: [{ address: 'marie@example.com' }], cc: [{ address: `Statistiques@${DOMAIN}` }] }),
      DOMAIN,
    );

    expect(recipients).toEqual([`plaintes@${DOMAIN}`, `statistiques@${DOMAIN}`]);
  });

  it('does not take a look-alike domain', () => {
    expect(intakeRecipients([], email({ to: [{ address: `demandes@evil-${DOMAIN}` }] }), DOMAIN)).toEqual([]);
  });
});

describe('referenceIn', () => {
  it('finds a reference in any letter case and normalizes it', () => {
    expect(referenceIn('RE: dossier sct-2026-000123 (suite)')).toBe('SCT-2026-000123');
    expect(referenceIn('Référence:SCT-2026-000045.')).toBe('SCT-2026-000045');
  });

  it('ignores longer numbers and plain dates', () => {
    expect(referenceIn('Facture SCT-2026-0001234')).toBeUndefined();
    expect(referenceIn('Réunion du 2026-03-03')).toBeUndefined();
    expect(referenceIn(undefined)).toBeUndefined();
  });
});

describe('classify', () => {
  it('makes a new request in the category of the mailbox', () => {
    expect(classify([], email({ to: [{ address: `statistiques@${DOMAIN}` }] }), CONTEXT)).toMatchObject({
      route: 'new',
      category: 'statistics',
      sender: { address: 'marie@example.com' },
    });
  });

  it('routes a reply address to the reply check', () => {
    expect(classify([], email({ to: [{ address: `demandes+${TOKEN}@${DOMAIN}` }] }), CONTEXT)).toEqual({
      route: 'reply',
      tokens: [TOKEN],
      sender: { address: 'marie@example.com', name: 'Marie' },
    });
  });

  it('holds a reference without a token', () => {
    expect(classify([], email({ subject: 'RE: SCT-2026-000123' }), CONTEXT)).toMatchObject({
      route: 'hold',
      kind: 'reference-without-token',
      reference: 'SCT-2026-000123',
    });
  });

  it('holds mail from the intake domain or the organization’s own address (no loops)', () => {
    expect(classify([], email({ from: [{ address: `agent@${DOMAIN}` }] }), CONTEXT)).toMatchObject({
      kind: 'loop',
    });
    expect(classify([], email({ from: [{ address: 'No-Reply@sct.example' }] }), CONTEXT)).toMatchObject({
      route: 'hold',
    });
    expect(
      classify([], email({ from: [{ address: 'jalon@sct.example' }] }), {
        ...CONTEXT,
        ownAddresses: ['jalon@sct.example'],
      }),
    ).toMatchObject({ kind: 'loop', detail: 'own-address' });
  });

  it('checks in order: a virus is quarantined even when it is also an auto-reply to a case address', () => {
    const result = classify(
      headers('X-SES-Virus-Verdict: FAIL', 'Auto-Submitted: auto-replied'),
      email({ to: [{ address: `demandes+${TOKEN}@${DOMAIN}` }] }),
      CONTEXT,
    );

    expect(result).toMatchObject({ route: 'hold', kind: 'virus', tokens: [TOKEN] });
  });

  it('holds an auto-reply to a case address and keeps its token for the record', () => {
    expect(
      classify(
        headers('Auto-Submitted: auto-replied'),
        email({ to: [{ address: `demandes+${TOKEN}@${DOMAIN}` }] }),
        CONTEXT,
      ),
    ).toMatchObject({ route: 'hold', kind: 'auto-reply', tokens: [TOKEN] });
  });
});

describe('decideReply', () => {
  const target = { caseId: 'sct-0123456789abcdef', requesterEmail: 'marie@example.com' };
  const sender = { address: 'Marie@Example.com' };

  it('files a reply from the case’s requester (address compared without case)', () => {
    expect(decideReply([target], sender, [])).toEqual({ route: 'reply', target });
  });

  it.each([
    ['"marie"@example.com', 'marie@example.com'],
    ['"marie tremblay"@example.com', '"Marie Tremblay"@example.com'],
    ['"marie\\ tremblay"@example.com', '"marie tremblay"@example.com'],
    ['marie=tag@example.com', 'Marie=Tag@example.com'],
  ])('files a reply from %s as from the requester at %s (the same mailbox, quoting aside)', (known, from) => {
    const requester = { ...target, requesterEmail: known };
    expect(decideReply([requester], { address: from }, [])).toEqual({ route: 'reply', target: requester });
  });

  it('holds a reply from an address that only looks like the requester’s', () => {
    const requester = { ...target, requesterEmail: '"marie tremblay"@example.com' };
    expect(decideReply([requester], { address: 'marietremblay@example.com' }, [])).toMatchObject({
      kind: 'token-mismatch',
    });
  });

  it('holds an unknown token, a stranger, tokens of two cases and a forged sender', () => {
    expect(decideReply([undefined], sender, [])).toMatchObject({ kind: 'unknown-token' });
    expect(decideReply([target], { address: 'other@example.com' }, [])).toMatchObject({
      kind: 'token-mismatch',
      caseId: target.caseId,
    });
    expect(decideReply([target, { ...target, caseId: 'sct-fedcba9876543210' }], sender, [])).toMatchObject({
      kind: 'token-mismatch',
      detail: 'several-cases',
    });
    expect(
      decideReply(
        [target],
        sender,
        headers('Authentication-Results: amazonses.com; spf=pass; dkim=pass; dmarc=fail'),
      ),
    ).toMatchObject({ kind: 'sender-unverified', caseId: target.caseId });
  });
});

describe('senderForged', () => {
  it.each([
    ['dmarc=fail', 'amazonses.com; spf=pass; dkim=pass; dmarc=fail', true],
    ['spf=fail without dkim=pass', 'amazonses.com; spf=fail; dkim=none', true],
    ['spf=fail with dkim=pass', 'amazonses.com; spf=fail; dkim=pass', false],
    ['everything passing', 'amazonses.com; spf=pass; dkim=pass; dmarc=pass', false],
  ])('%s', (_what, results, forged) => {
    expect(senderForged(headers(`Authentication-Results: ${results}`))).toBe(forged);
  });

  it('assumes nothing without the server’s results', () => {
    expect(senderForged([])).toBe(false);
  });

  it('reads only the field the organization’s own receiving server wrote', () => {
    expect(senderForged(headers('Authentication-Results: mx.example.net; dmarc=fail'))).toBe(false);
    expect(senderForged(headers('Authentication-Results: jalon.local; dmarc=fail'), 'jalon.local')).toBe(
      true,
    );
    expect(senderForged(headers('Authentication-Results: jalon.local; dmarc=fail'))).toBe(false);
  });
});
