/** Escapes text for an HTML text node or a double-quoted attribute value. */
export function escapeHtml(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/**
 * Attributes from a record: `true` writes the bare attribute, `false` and `undefined` leave it out, strings
 * are escaped. Keys are written as given (they are constants of the renderers, never input).
 */
export function attributes(record: Readonly<Record<string, string | boolean | undefined>>): string {
  return Object.entries(record)
    .filter(([, value]) => value !== undefined && value !== false)
    .map(([key, value]) => (value === true ? ` ${key}` : ` ${key}="${escapeHtml(String(value))}"`))
    .join('');
}
