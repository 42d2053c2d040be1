import * as z from '../../zod-mini';

import { SystemError } from '../../errors';

/** A secret could not be read (the extension or Secrets Manager failed, or the secret has no string value). */
export class SecretReadError extends SystemError {
  override readonly name = 'SecretReadError';

  constructor(details: { readonly status?: number; readonly reason: string }) {
    super('SECRET_UNAVAILABLE', 'The secret could not be read.', { transient: true, details });
  }
}

export interface SecretsExtensionReaderConfig {
  /** The Lambda's `AWS_SESSION_TOKEN`: the extension only answers callers that present it. */
  readonly sessionToken: string;
  /** `PARAMETERS_SECRETS_EXTENSION_HTTP_PORT` (the extension's default: 2773). */
  readonly port?: number;
  /** For tests: where the extension listens (default `localhost`). */
  readonly host?: string;
  readonly fetch?: typeof fetch;
}

const SecretValueSchema = z.object({ SecretString: z.string().check(z.minLength(1)) });

/**
 * Reads Secrets Manager secrets through the AWS Parameters and Secrets Lambda Extension (a layer serving
 * `GET /secretsmanager/get?secretId=…` on localhost), so the function needs no Secrets Manager client. The
 * answer is the `GetSecretValue` response; only `SecretString` is used. Never logs or returns more than it.
 */
export class SecretsExtensionReader {
  private readonly sessionToken: string;
  private readonly base: string;
  private readonly fetch: typeof fetch;

  constructor(config: SecretsExtensionReaderConfig) {
    this.sessionToken = config.sessionToken;
    this.base = `http://${config.host ?? 'localhost'}:${config.port ?? 2773}`;
    this.fetch = config.fetch ?? globalThis.fetch;
  }

  /** @throws SecretReadError */
  async secretString(secretId: string): Promise<string> {
    const url = `${this.base}/secretsmanager/get?secretId=${encodeURIComponent(secretId)}`;
    let response: Response;
    try {
      response = await this.fetch(url, {
        headers: { 'X-Aws-Parameters-Secrets-Token': this.sessionToken },
        signal: AbortSignal.timeout(3_000),
      });
    } catch (error) {
      throw new SecretReadError({ reason: error instanceof Error ? error.name : 'unknown' });
    }
    const text = await response.text();
    if (!response.ok) throw new SecretReadError({ status: response.status, reason: 'status' });
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new SecretReadError({ status: response.status, reason: 'not-json' });
    }
    const parsed = SecretValueSchema.safeParse(body);
    if (!parsed.success) throw new SecretReadError({ status: response.status, reason: 'no-secret-string' });
    return parsed.data.SecretString;
  }
}
