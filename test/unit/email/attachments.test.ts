import {
  DEFAULT_ATTACHMENT_LIMITS,
  isDangerous,
  looksExecutable,
  screenAttachments,
} from '../../../shared/domain/intake/email/attachments';

const MIB = 1024 * 1024;
const pdf = (size = 100) =>
  Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(Math.max(0, size - 9), 0x20)]);
const file = (filename: string, content: Buffer = pdf(), contentType = 'application/pdf') => ({
  filename,
  contentType,
  content,
});

describe('dangerous attachments', () => {
  it.each([
    'setup.exe',
    'FACTURE.PDF.EXE',
    'script.js',
    'macro.docm',
    'budget.xlsm',
    'presentation.pptm',
    'lien.lnk',
    'install.msi',
    'run.ps1',
    'tool.jar',
    'page.hta',
    'image.iso',
    'virus.scr. ',
  ])('refuses %s by its extension', (name) => {
    expect(isDangerous(file(name))).toBe(true);
  });

  it.each([
    'application/x-msdownload',
    'application/vnd.ms-excel.sheet.macroEnabled.12',
    'application/javascript',
    'text/x-shellscript',
  ])('refuses the media type %s whatever the name', (contentType) => {
    expect(isDangerous(file('document.pdf', pdf(), contentType))).toBe(true);
  });

  it.each([
    ['a Windows executable', Buffer.from('MZ\x90\x00', 'latin1')],
    ['an ELF binary', Buffer.from('\x7fELF\x02\x01', 'latin1')],
    ['a Mach-O binary', Buffer.from([0xcf, 0xfa, 0xed, 0xfe, 0x07])],
    ['a script', Buffer.from('#!/bin/sh\nrm -rf /\n')],
    ['an OOXML package with a VBA project', Buffer.from('PK\x03\x04....word/vbaProject.bin....', 'latin1')],
    [
      'an OLE document with a VBA project',
      Buffer.concat([
        Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]),
        Buffer.from('_VBA_PROJECT', 'utf16le'),
      ]),
    ],
  ])('refuses %s by its bytes, even named .pdf', (_what, content) => {
    expect(looksExecutable(content)).toBe(true);
    expect(isDangerous(file('innocent.pdf', content))).toBe(true);
  });

  it.each([
    ['a PDF', pdf()],
    ['a plain .docx', Buffer.from('PK\x03\x04....word/document.xml....', 'latin1')],
    ['an old .doc without macros', Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0])],
    ['an empty file', Buffer.alloc(0)],
  ])('accepts %s', (_what, content) => {
    expect(isDangerous(file('document.pdf', content))).toBe(false);
  });
});

describe('screenAttachments', () => {
  it('keeps safe files and refuses dangerous ones, in message order with their positions', () => {
    const screening = screenAttachments([
      file('a.pdf'),
      file('b.exe'),
      file('c.png', Buffer.from('png'), 'image/png'),
    ]);

    expect(screening.accepted.map(({ file: f, position }) => [f.filename, position])).toEqual([
      ['a.pdf', 1],
      ['c.png', 3],
    ]);
    expect(screening.refused).toEqual([expect.objectContaining({ position: 2, reason: 'dangerous-type' })]);
  });

  it('refuses a file over 10 MiB, and accepts one of exactly 10 MiB', () => {
    const screening = screenAttachments([
      file('big.pdf', pdf(10 * MIB + 1)),
      file('limit.pdf', pdf(10 * MIB)),
    ]);

    expect(screening.refused.map((r) => [r.file.filename, r.reason])).toEqual([
      ['big.pdf', 'file-too-large'],
    ]);
    expect(screening.accepted.map((a) => a.file.filename)).toEqual(['limit.pdf']);
  });

  it('stops at 25 MiB per message, letting a later small file fit', () => {
    const screening = screenAttachments([
      file('1.pdf', pdf(9 * MIB)),
      file('2.pdf', pdf(9 * MIB)),
      file('3.pdf', pdf(9 * MIB)),
      file('4.pdf', pdf(MIB)),
    ]);

    expect(screening.accepted.map((a) => a.file.filename)).toEqual(['1.pdf', '2.pdf', '4.pdf']);
    expect(screening.refused.map((r) => [r.file.filename, r.reason])).toEqual([['3.pdf', 'total-too-large']]);
  });

  it('keeps at most 50 files', () => {
    const screening = screenAttachments(Array.from({ length: 52 }, (_, i) => file(`${i}.pdf`, pdf(10))));

    expect(screening.accepted).toHaveLength(DEFAULT_ATTACHMENT_LIMITS.maxFiles);
    expect(screening.refused.map((r) => r.reason)).toEqual(['too-many-files', 'too-many-files']);
  });

  it('takes other limits when given', () => {
    const screening = screenAttachments([file('a.pdf', pdf(200))], {
      maxFileBytes: 100,
      maxTotalBytes: 1000,
      maxFiles: 5,
    });

    expect(screening.refused[0]?.reason).toBe('file-too-large');
  });
});
