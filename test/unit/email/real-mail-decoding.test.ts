import { senderOf } from '../../../shared/domain/intake/email/classify';
import { parseEmail } from '../../../shared/domain/intake/email/parse';
import { receiveEmail } from '../../../shared/domain/intake/email/receive-email';
import type { EmailIntakeDeps } from '../../../shared/domain/intake/email/receive-email';
import { SCT_EMAIL_ROUTING } from '../../../shared/domain/intake/email/routing';
import {
  InMemoryCaseLedger,
  InMemoryReferenceAllocator,
} from '../../../shared/domain/ledger/in-memory-ledger';
import { InMemoryRateCounter } from '../../../shared/domain/messaging/rate-counter';
import { loadSctPolicy } from '../../../shared/domain/policy/sct';
import {
  InMemoryAttachmentStore,
  InMemoryHoldingPen,
  InMemoryRawMail,
  InMemoryReplyAddressBook,
  RecordingNotifier,
  RecordingWorkflow,
} from './fakes';

const DOMAIN = 'intake.sct.example';

/** A raw message from header lines and a body; `bytes` are spliced in where `\u0000` stands. */
function raw(lines: readonly string[], body: string, bytes: readonly number[] = []): Buffer {
  const text = `${lines.join('\r\n')}\r\n\r\n${body}`;
  const pieces = text.split('\u0000');
  return Buffer.concat(
    pieces.flatMap((piece, index) => [
      Buffer.from(piece, 'latin1'),
      ...(index < bytes.length ? [Buffer.from([bytes[index] ?? 0])] : []),
    ]),
  );
}

function intake() {
  const rawMail = new InMemoryRawMail();
  const ledger = new InMemoryCaseLedger();
  const deps: EmailIntakeDeps = {
    ledger,
    references: new InMemoryReferenceAllocator(),
    rateCounter: new InMemoryRateCounter(),
    workflow: new RecordingWorkflow(),
    clock: { now: () => new Date('2026-03-03T14:12:07.000Z') },
    policy: loadSctPolicy(),
    rawMail,
    attachments: new InMemoryAttachmentStore(),
    holdingPen: new InMemoryHoldingPen(),
    caseReferences: ledger,
    replyAddresses: new InMemoryReplyAddressBook({ mailbox: 'demandes', domain: DOMAIN }),
    notifier: new RecordingNotifier(),
    settings: { intakeDomain: DOMAIN, ownAddresses: ['no-reply@sct.example'], routing: SCT_EMAIL_ROUTING },
  };
  const deliver = async (message: Buffer) => {
    rawMail.put('raw', 'inbound/m', message);
    const result = await receiveEmail(deps, { bucket: 'raw', key: 'inbound/m' });
    return { result, projection: 'caseId' in result ? await ledger.getCase(result.caseId ?? '') : undefined };
  };
  return { deliver };
}

const HEAD = [
  'From: Marie Tremblay <marie@example.com>',
  `To: demandes@${DOMAIN}`,
  'Message-ID: <m@example.com>',
];

describe('a part whose Content-Type is empty', () => {
  const message = raw(
    [...HEAD, 'Subject: Demande', 'MIME-Version: 1.0', 'Content-Type: multipart/mixed; boundary="b"'],
    ['--b', 'Content-Type:', '', 'Bonjour, voici ma demande.', '--b--', ''].join('\r\n'),
  );

  it('is read as plain text (RFC 2045: the default type), without throwing', async () => {
    const email = await parseEmail(message);
    expect(email.text).toContain('Bonjour, voici ma demande.');
    expect(email.attachments).toEqual([]);
  });

  it('makes a case with that text, not a processing error', async () => {
    const { result, projection } = await intake().deliver(message);
    expect(result).toMatchObject({ outcome: 'case', created: true });
    expect(projection?.body).toBe('Bonjour, voici ma demande.');
  });

  it('reads a part whose Content-Type is not a media type (no subtype) as plain text too', async () => {
    const email = await parseEmail(
      raw([...HEAD, 'MIME-Version: 1.0', 'Content-Type: text'], 'Bonjour, voici ma demande.\r\n'),
    );
    expect(email.text).toContain('Bonjour, voici ma demande.');
    expect(email.attachments).toEqual([]);
  });

  it('keeps an empty-typed part named as a file as an attachment of an unknown type', async () => {
    const email = await parseEmail(
      raw(
        [...HEAD, 'MIME-Version: 1.0', 'Content-Type: multipart/mixed; boundary="b"'],
        [
          '--b',
          'Content-Type: text/plain',
          '',
          'Ci-joint.',
          '--b',
          'Content-Type:',
          'Content-Disposition: attachment; filename="note.bin"',
          '',
          'data',
          '--b--',
          '',
        ].join('\r\n'),
      ),
    );
    expect(email.attachments).toMatchObject([
      { filename: 'note.bin', contentType: 'application/octet-stream' },
    ]);
  });
});

describe('UTF-7', () => {
  it('decodes UTF-7 encoded words in the subject and display names', async () => {
    const email = await parseEmail(
      raw(
        [
          'From: =?utf-7?Q?Ren+AOk-e_C+APQ-t+AOk-?= <renee@example.com>',
          'Subject: =?utf-7?Q?Die_Hasen_und_die_Fr+APY-sche?= (=?UTF-7?B?K0FPay0=?=)',
        ],
        'x\r\n',
      ),
    );
    expect(email.subject).toBe('Die Hasen und die Frösche (é)');
    expect(email.from).toEqual([{ address: 'renee@example.com', name: 'Renée Côté' }]);
  });

  it('decodes a UTF-7 text body, and leaves other parts alone', async () => {
    const email = await parseEmail(
      raw(
        [...HEAD, 'MIME-Version: 1.0', 'Content-Type: multipart/mixed; boundary="b"'],
        [
          '--b',
          'Content-Type: text/plain; charset="utf-7"',
          'Content-Transfer-Encoding: 7bit',
          '',
          'Die Hasen klagten einst +APw-ber ihre mi+AN8-liche Lage+ADs-',
          '--b',
          'Content-Type: text/plain; charset=us-ascii',
          '',
          'C++ -- 1+1-2',
          '--b--',
          '',
        ].join('\r\n'),
      ),
    );
    expect(email.text).toContain('Die Hasen klagten einst über ihre mißliche Lage;');
    expect(email.text).toContain('C++ -- 1+1-2');
  });

  it('files a UTF-7 message as a case with its decoded subject and body', async () => {
    const { projection } = await intake().deliver(
      raw(
        [...HEAD, 'Subject: =?utf-7?Q?Fr+APY-sche?=', 'Content-Type: text/plain; charset=UTF-7'],
        'Demande d+AOk-taill+AOk-e\r\n',
      ),
    );
    expect(projection).toMatchObject({ subject: 'Frösche', body: 'Demande détaillée' });
  });
});

describe('8-bit text without a charset', () => {
  it('is read as windows-1252 when it is not UTF-8, as mail clients do', async () => {
    const email = await parseEmail(
      raw([...HEAD, 'Subject: Demande'], 'Demande d\u0000taill\u0000e, 50 \u0000\r\n', [0xe9, 0xe9, 0x80]),
    );
    expect(email.text).toBe('Demande détaillée, 50 €\n');
  });

  it('is read as UTF-8 when it is valid UTF-8, also in a part labelled ASCII', async () => {
    const email = await parseEmail(
      raw(
        [...HEAD, 'MIME-Version: 1.0', 'Content-Type: multipart/mixed; boundary="b"'],
        ['--b', 'Content-Type: text/plain; charset=us-ascii', '', 'Envoy\u0000\u0000', '--b--', ''].join(
          '\r\n',
        ),
        [0xc3, 0xa9],
      ),
    );
    expect(email.text).toBe('Envoyé\n');
  });

  it('reads 7-bit text as it is', async () => {
    const message = raw([...HEAD, 'Subject: Demande'], 'Bonjour\r\n');
    expect((await parseEmail(message)).text).toBe('Bonjour\n');
  });
});

describe('windows-1252 letters (0x80–0x9F) in text labelled Latin-1 or windows-1252', () => {
  // Node's TextDecoder reads these bytes as Latin-1 control characters since 20.18.3 (nodejs/node#60888).
  it('are read in the body, as mail clients do', async () => {
    const email = await parseEmail(
      raw(
        [...HEAD, 'MIME-Version: 1.0', 'Content-Type: text/plain; charset=iso-8859-1'],
        'Co\u0000t : 50 \u0000, \u0000d\u0000j\u0000 pay\u0000\u0000\r\n',
        [0xfb, 0x80, 0x93, 0xe9, 0xe0, 0xe9, 0x94],
      ),
    );
    expect(email.text).toBe('Coût : 50 €, “déjà payé”\n');
  });

  it('are read in an HTML part labelled windows-1252, encoded quoted-printable', async () => {
    const email = await parseEmail(
      raw(
        [
          ...HEAD,
          'MIME-Version: 1.0',
          'Content-Type: text/html; charset=windows-1252',
          'Content-Transfer-Encoding: quoted-printable',
        ],
        '<p>L=92avis =96 50 =80</p>\r\n',
      ),
    );
    expect(email.html).toContain('<p>L’avis – 50 €</p>');
    expect(email.text).toContain('L’avis – 50 €');
  });

  it('are read in encoded words and RFC 2231 file names', async () => {
    const email = await parseEmail(
      raw(
        [
          ...HEAD,
          'Subject: =?windows-1252?Q?L=92avis_=96_50_=80?=',
          'MIME-Version: 1.0',
          'Content-Type: multipart/mixed; boundary="b"',
        ],
        [
          '--b',
          'Content-Type: text/plain; charset=utf-8',
          '',
          'Ci-joint.',
          '--b',
          "Content-Type: application/pdf; name*=iso-8859-1''Re%E7u%20%80.pdf",
          "Content-Disposition: attachment; filename*=iso-8859-1''Re%E7u%20%80.pdf",
          'Content-Transfer-Encoding: base64',
          '',
          'JVBERi0xLjQKJSVFT0YK',
          '--b--',
          '',
        ].join('\r\n'),
      ),
    );
    expect(email.subject).toBe('L’avis – 50 €');
    expect(email.attachments.map((attachment) => attachment.filename)).toEqual(['Reçu €.pdf']);
  });
});

describe('charsets the runtime decodes (KOI8-R, GB2312, ISO-2022-JP)', () => {
  it.each([
    ['koi8-r', [0xf0, 0xd2, 0xc9, 0xd7, 0xc5, 0xd4], 'Привет'],
    ['gb2312', [0xd6, 0xd0, 0xce, 0xc4], '中文'],
    ['iso-2022-jp', [0x1b, 0x24, 0x42, 0x46, 0x7c, 0x4b, 0x5c, 0x1b, 0x28, 0x42], '日本'],
  ])('reads %s in the body and in an encoded word of the subject', async (charset, bytes, text) => {
    const encoded = Buffer.from(bytes).toString('base64');
    const email = await parseEmail(
      Buffer.concat([
        Buffer.from(
          `${[...HEAD, `Subject: =?${charset}?B?${encoded}?=`, 'MIME-Version: 1.0'].join('\r\n')}\r\n` +
            `Content-Type: text/plain; charset=${charset}\r\n\r\n`,
          'latin1',
        ),
        Buffer.from(bytes),
        Buffer.from('\r\n', 'latin1'),
      ]),
    );
    expect(email.subject).toBe(text);
    expect(email.text).toBe(`${text}\n`);
  });
});

describe('a file sent without transfer encoding', () => {
  it('is kept byte for byte: its line endings as sent, without the delimiter’s', async () => {
    const email = await parseEmail(
      raw(
        [...HEAD, 'MIME-Version: 1.0', 'Content-Type: multipart/mixed; boundary="b"'],
        [
          '--b',
          'Content-Type: text/plain; charset=utf-8',
          '',
          'Ci-joint.',
          '--b',
          'Content-Type: text/csv; name="tableau.csv"',
          'Content-Disposition: attachment; filename="tableau.csv"',
          '',
          'a;b',
          '1;2',
          '--b--',
          '',
        ].join('\r\n'),
      ),
    );
    expect(email.attachments.map((attachment) => attachment.content.toString('latin1'))).toEqual([
      'a;b\r\n1;2',
    ]);
  });
});

describe('a raw 8-bit byte inside an RFC 2047 encoded word', () => {
  it('is read in the charset the word declares', async () => {
    const email = await parseEmail(
      raw(
        [
          'From: =?iso-8859-1?Q?Ren\u0000e_C\u0000t\u0000?= <renee@example.com>',
          'Subject: =?iso-8859-1?Q?Die_Hasen_und_die_Fr\u0000sche?=',
        ],
        'x\r\n',
        [0xe9, 0xf4, 0xe9, 0xf6],
      ),
    );
    expect(email.subject).toBe('Die Hasen und die Frösche');
    expect(email.from).toEqual([{ address: 'renee@example.com', name: 'Renée Côté' }]);
  });

  it('keeps raw UTF-8 outside encoded words as it is', async () => {
    const email = await parseEmail(
      Buffer.from('From: marie@example.com\r\nSubject: Réponse =?utf-8?Q?d=C3=A9taill=C3=A9e?=\r\n\r\nx\r\n'),
    );
    expect(email.subject).toBe('Réponse détaillée');
  });
});

describe('addresses RFC 5322 allows', () => {
  it.each([
    'bounce+marie=example.org@example.com',
    'a=b@example.com',
    '"marie tremblay"@example.com',
    '"marie@bureau"@example.com',
    "o'brien@example.com",
    'x/y@example.com',
  ])('accepts %s as a sender', (address) => {
    expect(senderOf({ from: [{ address }] })).toEqual({ address });
  });

  it.each([
    'a@@example.com',
    'a b@example.com',
    '"open@example.com',
    'a@example',
    'a@-example.com',
    '.a@example.com',
    // The mail service cannot answer an internationalized address (RFC 6532): staff see it in the holding pen.
    'josé@example.com',
  ])('still refuses %s', (address) => {
    expect(senderOf({ from: [{ address }] })).toMatchObject({ route: 'hold', kind: 'unknown-sender' });
  });

  it('makes a case for a sender with a quoted local part', async () => {
    const { result, projection } = await intake().deliver(
      raw(
        ['From: "marie tremblay"@example.com', `To: demandes@${DOMAIN}`, 'Subject: Demande'],
        'Bonjour\r\n',
      ),
    );
    expect(result).toMatchObject({ outcome: 'case' });
    expect(projection?.requester.email).toBe('"marie tremblay"@example.com');
  });
});

describe('part headers (written here: no public suite has these cases, see SOURCES.md)', () => {
  /** A message with a text part and one file part whose headers are `headers`. */
  function withFile(headers: readonly string[]): Buffer {
    return raw(
      [...HEAD, 'Subject: Demande', 'MIME-Version: 1.0', 'Content-Type: multipart/mixed; boundary="b"'],
      [
        '--b',
        'Content-Type: text/plain; charset=utf-8',
        '',
        'Ci-joint mon CV.',
        '--b',
        ...headers,
        '',
        'data',
        '--b--',
        '',
      ].join('\r\n'),
      [0xe9, 0xe9],
    );
  }
  const filenames = async (message: Buffer) =>
    (await parseEmail(message)).attachments.map((attachment) => attachment.filename);

  it.each([
    ['the filename', 'Content-Disposition: attachment; filename="=?iso-8859-1?Q?R\u0000sum\u0000.pdf?="'],
    ['the name', 'Content-Type: application/pdf;\r\n name="=?iso-8859-1?Q?R\u0000sum\u0000.pdf?="'],
  ])('reads a raw 8-bit byte in an encoded word of %s in the declared charset', async (_where, header) => {
    const headers = header.startsWith('Content-Type') ? [header] : ['Content-Type: application/pdf', header];
    expect(await filenames(withFile(headers))).toEqual(['Résumé.pdf']);
  });

  it.each([
    [
      'a Q word in the filename',
      'Content-Disposition: attachment; filename="=?utf-7?Q?R+AOk-sum+AOk-.pdf?="',
    ],
    ['a B word in the name', 'Content-Type: application/pdf; name="=?UTF-7?B?UitBT2stc3VtK0FPay0ucGRm?="'],
    ['an RFC 2231 value', "Content-Disposition: attachment; filename*=utf-7''R%2BAOk-sum%2BAOk-.pdf"],
    [
      'an RFC 2231 value in continuations, split inside a UTF-7 run',
      "Content-Disposition: attachment; filename*0*=utf-7''R%2BAOk-sum%2BA;\r\n filename*1*=Ok-.pdf",
    ],
  ])('decodes UTF-7 in %s', async (_where, header) => {
    const headers = header.startsWith('Content-Type') ? [header] : ['Content-Type: application/pdf', header];
    expect(await filenames(withFile(headers))).toEqual(['Résumé.pdf']);
  });

  it('reads raw 8-bit bytes in an RFC 2231 value in the charset it declares', async () => {
    const header = "Content-Disposition: attachment; filename*=iso-8859-1'fr'R\u0000sum\u0000.pdf";
    expect(await filenames(withFile(['Content-Type: application/pdf', header]))).toEqual(['Résumé.pdf']);
  });

  it('decodes a UTF-7 RFC 2231 name in the headers of a message that is itself the file', async () => {
    const message = raw(
      [
        ...HEAD,
        'MIME-Version: 1.0',
        "Content-Type: application/pdf; name*=UTF-7''R%2BAOk-sum%2BAOk-.pdf",
        'Content-Disposition: attachment',
      ],
      'data\r\n',
    );
    expect(await filenames(message)).toEqual(['Résumé.pdf']);
  });

  it('leaves well-formed part headers as they are', async () => {
    const headers = [
      'Content-Type: application/pdf',
      "Content-Disposition: attachment; filename*0*=iso-8859-1''R%E9sum; filename*1*=%E9%202026.pdf",
    ];
    expect(await filenames(withFile(headers))).toEqual(['Résumé 2026.pdf']);
  });

  it('keeps the decoded name with the stored file of the case', async () => {
    const { projection } = await intake().deliver(
      withFile([
        'Content-Type: application/pdf',
        "Content-Disposition: attachment; filename*=utf-7''R%2BAOk-sum%2BAOk-.pdf",
      ]),
    );
    expect(projection?.attachments?.map((attachment) => attachment.filename)).toEqual(['Résumé.pdf']);
  });
});

describe('a UTF-7 body', () => {
  it('is decoded when it is the only body and it is HTML', async () => {
    const message = raw(
      [...HEAD, 'Subject: Demande', 'MIME-Version: 1.0', 'Content-Type: text/html; charset=utf-7'],
      '+ADw-p+AD4-Demande d+AOk-taill+AOk-e+ADw-/p+AD4-\r\n',
    );
    const email = await parseEmail(message);
    expect(email.html).toContain('<p>Demande détaillée</p>');
    const { projection } = await intake().deliver(message);
    expect(projection?.body).toBe('Demande détaillée');
  });

  it('is decoded in an HTML alternative of a multipart message, the text part still preferred', async () => {
    const email = await parseEmail(
      raw(
        [...HEAD, 'MIME-Version: 1.0', 'Content-Type: multipart/alternative; boundary="b"'],
        [
          '--b',
          'Content-Type: text/plain; charset=utf-7',
          '',
          'Demande d+AOk-taill+AOk-e',
          '--b',
          'Content-Type: text/html; charset="UTF-7"',
          'Content-Transfer-Encoding: quoted-printable',
          '',
          '+ADw-b+AD4-Demande d+AOk-taill+AOk-e+ADw-/b+AD4-',
          '--b--',
          '',
        ].join('\r\n'),
      ),
    );
    expect(email.text?.trim()).toBe('Demande détaillée');
    expect(email.html).toContain('<b>Demande détaillée</b>');
  });

  it('is left byte for byte in a file sent as an attachment (the stored file is what was sent)', async () => {
    const email = await parseEmail(
      raw(
        [...HEAD, 'MIME-Version: 1.0', 'Content-Type: multipart/mixed; boundary="b"'],
        [
          '--b',
          'Content-Type: text/plain; charset=utf-8',
          '',
          'Ci-joint.',
          '--b',
          'Content-Type: text/html; charset=utf-7',
          'Content-Disposition: attachment; filename="page.html"',
          '',
          '+ADw-p+AD4-Fr+APY-sche+ADw-/p+AD4-',
          '--b',
          'Content-Type: text/plain; charset=utf-7',
          'Content-Disposition: attachment; filename="note.txt"',
          '',
          'Fr+APY-sche',
          '--b--',
          '',
        ].join('\r\n'),
      ),
    );
    expect(
      email.attachments.map((attachment) => [attachment.filename, attachment.content.toString('latin1')]),
    ).toEqual([
      ['page.html', '+ADw-p+AD4-Fr+APY-sche+ADw-/p+AD4-'],
      ['note.txt', 'Fr+APY-sche'],
    ]);
  });
});
