import { config } from 'zod/mini';
import { en } from 'zod/v4/locales';

/*
 * zod's functional build (`zod/mini`), for the schemas every function builds at load (`docs/cold-start.md`):
 * the same checks and issues as the full build, a fifth of its code. The full build installs its English
 * messages on its first schema; `zod/mini` installs none, so a bundle without the full build would word its
 * issues "Invalid input". Installing the same English messages here keeps every issue's `message` as it was,
 * whichever build a schema comes from (both share zod's core and its one configuration).
 */
if (config().localeError === undefined) config(en());

export * from 'zod/mini';
