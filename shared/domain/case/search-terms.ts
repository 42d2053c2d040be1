import type { Case } from './case';

/** Shortest word a search looks up: one letter would match a large part of every year's cases. */
export const MIN_SEARCH_WORD_LENGTH = 2;

/** Most terms a case is indexed under: a long subject adds nothing a clerk types that its first words lack. */
export const MAX_TERMS_PER_CASE = 48;

/**
 * Text as a search compares it: decomposed (NFD) with the combining marks removed, then lower-cased, so that
 * « Gagné », « GAGNE » and « gagne » are the same word, and « Marie-Ève » is « marie-eve ».
 */
export function foldText(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase();
}

/** The words of a text, folded: runs of letters and digits (hyphens, apostrophes, dots and `@` separate). */
export function searchWords(text: string): string[] {
  return foldText(text).match(/[\p{L}\p{N}]+/gu) ?? [];
}

/**
 * The terms a case is found under (folded, deduplicated, at least `MIN_SEARCH_WORD_LENGTH` characters):
 * the words of the requester's name, the whole email address and the words of its local part (« marie.t@… »
 * is found by « marie » and by « marie.t@ »), and the words of the subject. The domain of an address is not
 * split into words: « gmail » or « com » would match most cases.
 */
export function searchTermsOf(target: Pick<Case, 'requester' | 'subject'>): string[] {
  const terms: string[] = [...searchWords(target.requester.name)];
  const email = target.requester.email;
  if (email !== undefined) {
    const folded = foldText(email);
    terms.push(folded, ...searchWords(folded.split('@')[0] ?? ''));
  }
  terms.push(...searchWords(target.subject));
  return [...new Set(terms.filter((term) => term.length >= MIN_SEARCH_WORD_LENGTH))].slice(
    0,
    MAX_TERMS_PER_CASE,
  );
}

/**
 * The words of a search query (folded). A query word is matched as a prefix; an email address typed whole is
 * one word (`marie.t@example.ca`), so that it matches the address and not every case of the domain.
 */
export function queryWords(query: string): string[] {
  const words: string[] = [];
  for (const part of query.trim().split(/\s+/u)) {
    if (part === '') continue;
    if (part.includes('@')) words.push(foldText(part));
    else words.push(...searchWords(part));
  }
  return [...new Set(words)];
}

/**
 * Whether a case matches every word of a query: each word is a prefix of one of the case's terms (the full
 * list, not the indexed one capped at `MAX_TERMS_PER_CASE`, so a match never depends on the index).
 */
export function matchesQuery(target: Pick<Case, 'requester' | 'subject'>, words: readonly string[]): boolean {
  if (words.length === 0) return false;
  const terms = allTermsOf(target);
  return words.every((word) => terms.some((term) => term.startsWith(word)));
}

function allTermsOf(target: Pick<Case, 'requester' | 'subject'>): string[] {
  const email = target.requester.email === undefined ? [] : [foldText(target.requester.email)];
  return [
    ...searchWords(target.requester.name),
    ...email,
    ...email.flatMap((address) => searchWords(address.split('@')[0] ?? '')),
    ...searchWords(target.subject),
  ];
}

/** The word of a query whose index entries are read: the longest, i.e. usually the most selective. */
export function lookupWord(words: readonly string[]): string | undefined {
  return words
    .filter((word) => word.length >= MIN_SEARCH_WORD_LENGTH)
    .reduce<string | undefined>(
      (best, word) => (best === undefined || word.length > best.length ? word : best),
      undefined,
    );
}
