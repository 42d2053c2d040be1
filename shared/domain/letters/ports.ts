import type { Language } from '../../templates/catalog';

/** What a printed letter shows, top to bottom; every line already in the requester's language. */
export interface PrintableLetter {
  readonly language: Language;
  /** The sender's letterhead: name first, then the postal address lines. */
  readonly letterhead: readonly string[];
  /** Place and date line (« Québec, le lundi 2 mars 2026 »). */
  readonly dateLine: string;
  /** The addressee block: the requester's name and postal address, when recorded (window envelope). */
  readonly addressee: readonly string[];
  /** « Objet : … » line. */
  readonly subjectLine: string;
  /** The body: the same text as the email, paragraphs separated by a blank line. */
  readonly body: string;
}

/** Turns a letter into a printable document (PDF in production). */
export interface LetterRenderer {
  render(letter: PrintableLetter): Promise<Uint8Array>;
}

/** Keeps the printable documents of letters, by case and letter id. */
export interface LetterStore {
  put(caseId: string, letterId: string, document: Uint8Array): Promise<void>;
  /** The document, or `undefined` when none is stored under that id. */
  get(caseId: string, letterId: string): Promise<Uint8Array | undefined>;
}

/** The ports for letters. */
export interface LetterDeps {
  readonly renderer: LetterRenderer;
  readonly store: LetterStore;
}

/** A letter store in memory (tests). */
export class InMemoryLetterStore implements LetterStore {
  readonly documents = new Map<string, Uint8Array>();
  async put(caseId: string, letterId: string, document: Uint8Array): Promise<void> {
    this.documents.set(`${caseId}/${letterId}`, document);
  }
  async get(caseId: string, letterId: string): Promise<Uint8Array | undefined> {
    return this.documents.get(`${caseId}/${letterId}`);
  }
}
