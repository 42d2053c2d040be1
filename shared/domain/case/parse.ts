import * as z from '../../zod-mini';

import { ValidationError } from '../../errors';

/**
 * Parses `value` with `schema` or throws a `ValidationError` listing the failing paths and issue codes.
 * The offending values are never copied into the error: they may be personal data.
 */
export function parseOrThrow<S extends z.core.$ZodType>(
  schema: S,
  value: unknown,
  what: string,
): z.output<S> {
  const result = z.safeParse(schema, value);
  if (result.success) return result.data;
  throw new ValidationError(
    `Invalid ${what}.`,
    result.error.issues.map((issue) => ({
      path: issue.path.map(String).join('.'),
      code: issue.code,
      message: issue.message,
    })),
  );
}
