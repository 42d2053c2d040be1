import type { Environment } from 'aws-cdk-lib';
import type { Node } from 'constructs';

/**
 * The deployment target of one synthesis, read from CDK context (`-c stage=prod -c account=… -c region=…`).
 * Context rather than environment variables, so that a synth is reproducible from its command line alone
 * and no ambient AWS profile can silently pick the target.
 */

/** The stages Jalon deploys. Only `dev` may lose data when its stack is destroyed. */
export const STAGES = ['dev', 'test', 'prod'] as const;
export type Stage = (typeof STAGES)[number];

/** Used when `-c stage=…` is absent, so a bare `npx cdk synth` targets a disposable environment. */
export const DEFAULT_STAGE: Stage = 'dev';

export const CONTEXT_KEYS = { stage: 'stage', account: 'account', region: 'region' } as const;

export interface DeploymentContext {
  readonly stage: Stage;
  /**
   * Account and region only when given: without them the stacks are environment-agnostic, so synth needs no
   * credentials and no lookups.
   */
  readonly env: Environment;
}

/** A context value the app cannot deploy with. The message names the key and the values it accepts. */
export class InvalidDeploymentContextError extends Error {
  override readonly name = 'InvalidDeploymentContextError';
}

const ACCOUNT_PATTERN = /^\d{12}$/;
/** e.g. `ca-central-1`, `us-gov-west-1`; catches typos such as `ca-central1` before CloudFormation does. */
const REGION_PATTERN = /^[a-z]{2}(-[a-z]+)+-\d+$/;

export function isStage(value: unknown): value is Stage {
  return typeof value === 'string' && (STAGES as readonly string[]).includes(value);
}

/** Validates a stage name; the error lists the allowed values so the fix is obvious from the message. */
export function parseStage(value: unknown): Stage {
  if (value === undefined) return DEFAULT_STAGE;
  if (isStage(value)) return value;
  throw new InvalidDeploymentContextError(
    `Invalid context '${CONTEXT_KEYS.stage}': ${JSON.stringify(value)}. Allowed values: ${STAGES.join(', ')} ` +
      `(e.g. -c ${CONTEXT_KEYS.stage}=prod; default ${DEFAULT_STAGE}).`,
  );
}

function parseOptional(node: Node, key: string, pattern: RegExp, example: string): string | undefined {
  const value: unknown = node.tryGetContext(key);
  if (value === undefined) return undefined;
  if (typeof value === 'string' && pattern.test(value)) return value;
  throw new InvalidDeploymentContextError(
    `Invalid context '${key}': ${JSON.stringify(value)}. Expected something like ${example}, or omit it ` +
      'for an environment-agnostic synth.',
  );
}

/** Reads and validates the deployment context of an app (or any construct's node). */
export function readDeploymentContext(node: Node): DeploymentContext {
  const stage = parseStage(node.tryGetContext(CONTEXT_KEYS.stage));
  const account = parseOptional(node, CONTEXT_KEYS.account, ACCOUNT_PATTERN, '123456789012');
  const region = parseOptional(node, CONTEXT_KEYS.region, REGION_PATTERN, 'ca-central-1');
  return { stage, env: { ...(account ? { account } : {}), ...(region ? { region } : {}) } };
}

/** Stages whose data outlives the stack: tables and key are retained and protected from deletion. */
export function retainsData(stage: Stage): boolean {
  return stage !== 'dev';
}
