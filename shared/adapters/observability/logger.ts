import { Logger } from '@aws-lambda-powertools/logger';

/**
 * The one logger of Jalon's Lambdas (Powertools, structured JSON). Log identifiers, codes and error names
 * only: never message bodies, email addresses or names.
 */
export function createLogger(serviceName: string): Logger {
  return new Logger({ serviceName });
}
