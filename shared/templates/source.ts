import type { TemplateId } from './catalog';

/**
 * One language version of a template, as data. Placeholders are written `{{name}}` and must be the names the
 * catalogue lists for the template, in the subject, the text and the HTML alike.
 *
 * - `subject`: one line.
 * - `text`: the plain-text body; paragraphs are separated by a blank line.
 * - `html`: the inner body as simple HTML (paragraphs, `strong`, `a`); `render.ts` wraps it in the page
 *   layout.
 *
 * A line that holds only an optional placeholder (alone, or alone inside `<p>…</p>`) disappears with the
 * blank line after it when the value is empty, so an absent paragraph leaves no gap.
 */
export interface TemplateSource {
  readonly subject: string;
  readonly text: string;
  readonly html: string;
}

/** Every template of one language. */
export type TemplateSet = Readonly<Record<TemplateId, TemplateSource>>;
