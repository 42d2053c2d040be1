import { RemovalPolicy } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import type { OriginVerifyEnv } from '../../../shared/schemas/env';
import { acknowledgeOriginVerifySecret } from '../nag-acknowledgements';
import type { JalonFunction } from './jalon-function';

/**
 * The value of the `x-origin-verify` header one CloudFront distribution sends to its API origin
 * (`shared/http/origin-verify.ts`): a generated Secrets Manager secret of 64 letters and digits (it travels as
 * an HTTP header). CloudFront takes it through a dynamic reference at deployment, so the template never holds
 * it; the API's Lambdas read it through the secrets extension (`grantOriginVerify`). Nothing to keep when the
 * stack goes: a new value is as good. Rotating it means putting a new value and deploying the stack again.
 */
export function originVerifySecret(
  scope: Construct,
  id: string,
  props: { readonly description: string },
): secretsmanager.Secret {
  const secret = new secretsmanager.Secret(scope, id, {
    description: props.description,
    generateSecretString: { passwordLength: 64, excludePunctuation: true, includeSpace: false },
    removalPolicy: RemovalPolicy.DESTROY,
  });
  acknowledgeOriginVerifySecret(secret);
  return secret;
}

/** The variable naming the secret, for a function built with `secretsExtension()`. */
export function originVerifyEnvironment(
  secret: secretsmanager.ISecret,
): Pick<OriginVerifyEnv, 'ORIGIN_VERIFY_SECRET_ARN'> {
  return { ORIGIN_VERIFY_SECRET_ARN: secret.secretArn };
}

/** The secrets extension layer the checking functions read the secret through (no Secrets Manager client). */
export function secretsExtension(): lambda.ParamsAndSecretsLayerVersion {
  return lambda.ParamsAndSecretsLayerVersion.fromVersion(lambda.ParamsAndSecretsVersions.V1_0_103, {
    cacheSize: 10,
    logLevel: lambda.ParamsAndSecretsLogLevel.WARN,
  });
}

/** Read access to the secret, and to no other, for a function that checks the header. */
export function grantOriginVerify(secret: secretsmanager.ISecret, fn: JalonFunction): void {
  secret.grantRead(fn.function);
}
