import { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';

/**
 * The one logger of Jalon's Lambdas (Powertools, structured JSON). Log identifiers, codes and error names
 * only: never message bodies, email addresses or names.
 */
export function createLogger(serviceName: string): Logger {
  return new Logger({ serviceName });
}

/**
 * A Lambda entry point around `handler`: every line `logger` writes during an invocation carries that
 * invocation's context (`function_name`, `function_version`, `function_request_id`, `cold_start`, memory), as
 * Powertools' `injectLambdaContext` does, so a log line leads to its request. Every `functions/<name>/index.ts`
 * exports its handler through it. `context` is optional only for tests that call an entry point directly;
 * Lambda always gives it.
 */
export function withLambdaContext<TEvent, TResult>(
  logger: Logger,
  handler: (event: TEvent) => Promise<TResult>,
): (event: TEvent, context?: Context) => Promise<TResult> {
  return async (event, context) => {
    if (context !== undefined) logger.addContext(context);
    return handler(event);
  };
}
