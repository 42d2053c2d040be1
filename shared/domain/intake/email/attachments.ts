import type { AttachmentRefusalReason } from '../../ledger/events';
import { extensionOf } from './sanitize';

const MIB = 1024 * 1024;

/** What email intake keeps of a message's attachments; the rest stays only in the raw message. */
export interface AttachmentLimits {
  /** Largest single file kept. */
  readonly maxFileBytes: number;
  /** Largest total kept per message (files are taken in message order until it is reached). */
  readonly maxTotalBytes: number;
  /** Most files kept per message (a case holds at most 50 references). */
  readonly maxFiles: number;
}

export const DEFAULT_ATTACHMENT_LIMITS: AttachmentLimits = {
  maxFileBytes: 10 * MIB,
  maxTotalBytes: 25 * MIB,
  maxFiles: 50,
};

/**
 * Extensions refused whatever the declared type: Windows and Unix executables and installers, scripts,
 * shortcuts and registry files, disk images that mount as executables, and macro-enabled Office documents.
 */
export const DANGEROUS_EXTENSIONS: ReadonlySet<string> = new Set([
  'exe', 'com', 'scr', 'pif', 'cpl', 'dll', 'sys', 'drv', 'ocx',
  'msi', 'msp', 'mst', 'msix', 'msixbundle', 'appx', 'appxbundle',
  'bat', 'cmd', 'ps1', 'psm1', 'psd1', 'ps1xml', 'psc1',
  'vb', 'vbs', 'vbe', 'js', 'jse', 'mjs', 'wsf', 'wsh', 'wsc', 'ws', 'sct', 'hta', 'msc',
  'jar', 'jnlp', 'class',
  'sh', 'bash', 'zsh', 'ksh', 'csh', 'command', 'run', 'bin', 'elf', 'app', 'dmg', 'pkg',
  'lnk', 'url', 'scf', 'reg', 'inf', 'gadget', 'application', 'chm', 'settingcontent-ms',
  'iso', 'img', 'vhd', 'vhdx',
  'docm', 'dotm', 'xlsm', 'xltm', 'xlam', 'xla', 'pptm', 'potm', 'ppsm', 'ppam', 'sldm',
]); // prettier-ignore

/** Media types refused whatever the file name: executables, scripts, installers, macro-enabled Office. */
export const DANGEROUS_CONTENT_TYPES: ReadonlySet<string> = new Set([
  'application/x-msdownload',
  'application/x-msdos-program',
  'application/x-dosexec',
  'application/x-executable',
  'application/x-elf',
  'application/x-mach-binary',
  'application/vnd.microsoft.portable-executable',
  'application/x-ms-installer',
  'application/x-msi',
  'application/x-ms-shortcut',
  'application/x-sh',
  'application/x-csh',
  'application/x-shellscript',
  'text/x-shellscript',
  'text/x-sh',
  'application/x-bat',
  'application/bat',
  'application/x-powershell',
  'application/javascript',
  'application/x-javascript',
  'application/ecmascript',
  'text/javascript',
  'text/ecmascript',
  'text/vbscript',
  'application/x-vbscript',
  'application/hta',
  'application/java-archive',
  'application/x-java-archive',
  'application/x-java-jnlp-file',
  'application/vnd.ms-word.document.macroenabled.12',
  'application/vnd.ms-word.template.macroenabled.12',
  'application/vnd.ms-excel.sheet.macroenabled.12',
  'application/vnd.ms-excel.template.macroenabled.12',
  'application/vnd.ms-excel.addin.macroenabled.12',
  'application/vnd.ms-powerpoint.presentation.macroenabled.12',
  'application/vnd.ms-powerpoint.template.macroenabled.12',
  'application/vnd.ms-powerpoint.slideshow.macroenabled.12',
  'application/vnd.ms-powerpoint.addin.macroenabled.12',
  'application/vnd.ms-powerpoint.slide.macroenabled.12',
]);

function startsWith(content: Uint8Array, bytes: readonly number[]): boolean {
  return bytes.every((byte, index) => content[index] === byte);
}

/** Whether `content` holds `needle` (latin1), looking only at its first 64 MiB. */
function contains(content: Uint8Array, needle: string): boolean {
  return Buffer.from(content.buffer, content.byteOffset, Math.min(content.length, 64 * MIB)).includes(
    Buffer.from(needle, 'latin1'),
  );
}

/**
 * What the bytes say, whatever the name and the declared type: a Windows (`MZ`), Linux (ELF) or macOS (Mach-O)
 * executable, a script with a `#!` line, an Office Open XML package holding a VBA project (a `.docm` renamed
 * `.docx`: ZIP stores member names in clear), or an OLE document with a VBA project (old `.doc`/`.xls` with
 * macros).
 */
export function looksExecutable(content: Uint8Array): boolean {
  if (startsWith(content, [0x4d, 0x5a])) return true;
  if (startsWith(content, [0x7f, 0x45, 0x4c, 0x46])) return true;
  for (const magic of [
    [0xfe, 0xed, 0xfa, 0xce],
    [0xfe, 0xed, 0xfa, 0xcf],
    [0xce, 0xfa, 0xed, 0xfe],
    [0xcf, 0xfa, 0xed, 0xfe],
    [0xca, 0xfe, 0xba, 0xbe],
  ]) {
    if (startsWith(content, magic)) return true;
  }
  if (startsWith(content, [0x23, 0x21])) return true;
  if (startsWith(content, [0x50, 0x4b, 0x03, 0x04])) return contains(content, 'vbaProject.bin');
  if (startsWith(content, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) {
    return contains(
      content,
      '_\u0000V\u0000B\u0000A\u0000_\u0000P\u0000R\u0000O\u0000J\u0000E\u0000C\u0000T',
    );
  }
  return false;
}

/** Whether an attachment is refused as dangerous: by extension, by declared media type, or by its bytes. */
export function isDangerous(attachment: {
  readonly filename: string;
  readonly contentType: string;
  readonly content: Uint8Array;
}): boolean {
  return (
    DANGEROUS_EXTENSIONS.has(extensionOf(attachment.filename)) ||
    DANGEROUS_CONTENT_TYPES.has(attachment.contentType.toLowerCase()) ||
    looksExecutable(attachment.content)
  );
}

/** An attachment as screening sees it. */
export interface ScreenedFile {
  readonly filename: string;
  readonly contentType: string;
  readonly content: Uint8Array;
}

export interface AttachmentScreening<T extends ScreenedFile> {
  readonly accepted: readonly { readonly file: T; readonly position: number }[];
  readonly refused: readonly {
    readonly file: T;
    readonly position: number;
    readonly reason: AttachmentRefusalReason;
  }[];
}

/**
 * Sorts a message's attachments into kept and refused, in message order (`position` counts from 1):
 * 1. a dangerous file (`isDangerous`) is refused (`dangerous-type`);
 * 2. a file over `maxFileBytes` is refused (`file-too-large`);
 * 3. a file that would take the kept total over `maxTotalBytes` is refused (`total-too-large`), later smaller
 *    files may still fit;
 * 4. beyond `maxFiles` kept files, the rest is refused (`too-many-files`).
 * Refusing an attachment never refuses the message: the case is created without it.
 */
export function screenAttachments<T extends ScreenedFile>(
  files: readonly T[],
  limits: AttachmentLimits = DEFAULT_ATTACHMENT_LIMITS,
): AttachmentScreening<T> {
  const accepted: { file: T; position: number }[] = [];
  const refused: { file: T; position: number; reason: AttachmentRefusalReason }[] = [];
  let total = 0;
  files.forEach((file, index) => {
    const position = index + 1;
    const size = file.content.length;
    let reason: AttachmentRefusalReason | undefined;
    if (isDangerous(file)) reason = 'dangerous-type';
    else if (size > limits.maxFileBytes) reason = 'file-too-large';
    else if (total + size > limits.maxTotalBytes) reason = 'total-too-large';
    else if (accepted.length >= limits.maxFiles) reason = 'too-many-files';
    if (reason !== undefined) {
      refused.push({ file, position, reason });
      return;
    }
    total += size;
    accepted.push({ file, position });
  });
  return { accepted, refused };
}
