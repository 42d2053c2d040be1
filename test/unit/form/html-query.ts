/** A start tag of the rendered HTML, with its attributes (values unescaped for `&amp;` and `&quot;` only). */
export interface Tag {
  readonly name: string;
  readonly attributes: Readonly<Record<string, string>>;
  /** Offset in the page, to compare order. */
  readonly index: number;
}

const START_TAG = /<([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[^\s=>/]+(?:="[^"]*")?)*)\s*\/?>/g;
const ATTRIBUTE = /([^\s=]+)(?:="([^"]*)")?/g;

/**
 * The start tags of a page rendered by the citizen renderers. A regular expression is enough here: the
 * renderers escape every attribute value, so no `"` or `>` appears inside one.
 */
export function tagsOf(html: string, name?: string): Tag[] {
  const found: Tag[] = [];
  for (const match of html.matchAll(START_TAG)) {
    const tagName = (match[1] ?? '').toLowerCase();
    if (name !== undefined && tagName !== name) continue;
    const attributes: Record<string, string> = {};
    for (const attribute of (match[2] ?? '').matchAll(ATTRIBUTE)) {
      attributes[attribute[1] ?? ''] = (attribute[2] ?? '').replace(/&quot;/g, '"').replace(/&amp;/g, '&');
    }
    found.push({ name: tagName, attributes, index: match.index });
  }
  return found;
}

/**
 * What a reader of the page meets in its own language: the text and the attribute values (the sentences
 * `form.js` shows live in `data-*` attributes), without the elements marked with the other language
 * (`lang="xx"`, e.g. the organization's French name on the English page).
 */
export function textOutside(html: string, otherLanguage: string): string {
  const marked = new RegExp(`<([a-z]+)[^>]*\\slang="${otherLanguage}"[^>]*>[\\s\\S]*?</\\1>`, 'g');
  return html
    .replace(marked, ' ')
    .replace(
      /<[^>]+>/g,
      (tag) => ` ${[...tag.matchAll(HUMAN_ATTRIBUTE)].map((match) => match[1]).join(' ')} `,
    );
}

/** Attributes whose values people read or hear (the rest are identifiers). */
const HUMAN_ATTRIBUTE =
  /\s(?:aria-label|title|alt|placeholder|data-(?:summary-one|summary-many|error-prefix|sending|network-error|confirmation-title|at))="([^"]*)"/g;

/** The visible text of a page: tags removed, blanks collapsed. */
export function plainText(html: string): string {
  return html.replace(/<[^>]+>/g, '').replace(/\s+/g, ' ');
}
