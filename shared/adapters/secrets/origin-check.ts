import { readOnce } from '../../http/origin-verify';
import type { OriginCheck } from '../../http/origin-verify';
import { LambdaSessionEnvSchema, parseEnv } from '../../schemas/env';
import type { OriginVerifyEnv } from '../../schemas/env';
import { SecretsExtensionReader } from './secrets-extension';

/**
 * The origin-verify check of a Lambda behind a CloudFront API origin, in AWS: required, its secret read
 * through the secrets extension on the container's first request and kept for the container's life (a failed
 * read is retried on the next request, see `readOnce`). Reads the Lambda's session token at cold start.
 */
export function requiredOriginCheck(env: OriginVerifyEnv): OriginCheck {
  const secrets = new SecretsExtensionReader({
    sessionToken: parseEnv(LambdaSessionEnvSchema).AWS_SESSION_TOKEN,
    ...(env.PARAMETERS_SECRETS_EXTENSION_HTTP_PORT !== undefined
      ? { port: env.PARAMETERS_SECRETS_EXTENSION_HTTP_PORT }
      : {}),
  });
  return { mode: 'required', expected: readOnce(() => secrets.secretString(env.ORIGIN_VERIFY_SECRET_ARN)) };
}
