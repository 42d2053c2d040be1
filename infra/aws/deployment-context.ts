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

/**
 * One thing wrong with the settings of a stage, said in both languages: operators may read either, and
 * `npm run deploy:check` prints one line per problem in the language asked for.
 */
export interface SettingProblem {
  /** The context key at fault (`stage`, `senderAddress`…). */
  readonly key: string;
  readonly en: string;
  readonly fr: string;
}

/**
 * Context values the app cannot deploy with: every problem found, each naming its key and the values it
 * accepts. The message is the English text of each problem, one a line. A plain string is taken as an
 * English-only problem of an unnamed key.
 */
export class InvalidDeploymentContextError extends Error {
  override readonly name = 'InvalidDeploymentContextError';
  readonly problems: readonly SettingProblem[];

  constructor(problems: string | SettingProblem | readonly SettingProblem[]) {
    const list = typeof problems === 'string' ? [{ key: '', en: problems, fr: problems }] : [problems].flat();
    super(list.map((problem) => problem.en).join('\n'));
    this.problems = list;
  }
}

/**
 * Gathers the problems of several settings so that one run reports them all, not only the first: each
 * setting is parsed in `attempt`, and `settle` throws them together.
 */
export class SettingProblems {
  private readonly found: SettingProblem[] = [];

  /** The parsed value, or `undefined` when the parse threw an `InvalidDeploymentContextError` (recorded). */
  attempt<T>(parse: () => T): T | undefined {
    try {
      return parse();
    } catch (error) {
      if (!(error instanceof InvalidDeploymentContextError)) throw error;
      this.found.push(...error.problems);
      return undefined;
    }
  }

  /** Records a problem found without a parse (a key missing, say). */
  add(problem: SettingProblem): void {
    this.found.push(problem);
  }

  /** The problems recorded so far, in the order found. */
  list(): readonly SettingProblem[] {
    return [...this.found];
  }

  /**
   * The values of the attempts, once none failed.
   *
   * @throws InvalidDeploymentContextError with every problem recorded, if any.
   */
  settle<const T extends readonly unknown[]>(...values: T): { [K in keyof T]: Exclude<T[K], undefined> } {
    if (this.found.length > 0) throw new InvalidDeploymentContextError(this.found);
    // An attempt returns undefined only when it failed, and a failure is recorded: none is left here.
    return values as { [K in keyof T]: Exclude<T[K], undefined> };
  }
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
  throw new InvalidDeploymentContextError({
    key: CONTEXT_KEYS.stage,
    en:
      `Invalid context '${CONTEXT_KEYS.stage}': ${JSON.stringify(value)}. Allowed values: ${STAGES.join(', ')} ` +
      `(e.g. -c ${CONTEXT_KEYS.stage}=prod; default ${DEFAULT_STAGE}).`,
    fr:
      `Réglage '${CONTEXT_KEYS.stage}' invalide : ${JSON.stringify(value)}. Valeurs permises : ` +
      `${STAGES.join(', ')} (p. ex. -c ${CONTEXT_KEYS.stage}=prod; ${DEFAULT_STAGE} par défaut).`,
  });
}

function parseOptional(node: Node, key: string, pattern: RegExp, example: string): string | undefined {
  const value: unknown = node.tryGetContext(key);
  if (value === undefined) return undefined;
  if (typeof value === 'string' && pattern.test(value)) return value;
  throw new InvalidDeploymentContextError({
    key,
    en:
      `Invalid context '${key}': ${JSON.stringify(value)}. Expected something like ${example}, or omit it ` +
      'for an environment-agnostic synth.',
    fr:
      `Réglage '${key}' invalide : ${JSON.stringify(value)}. Attendu : une valeur comme ${example}, ou ` +
      'aucune pour une synthèse sans environnement.',
  });
}

/** Reads and validates the deployment context of an app (or any construct's node). */
export function readDeploymentContext(node: Node): DeploymentContext {
  const problems = new SettingProblems();
  const parsedStage = problems.attempt(() => parseStage(node.tryGetContext(CONTEXT_KEYS.stage)));
  const account = problems.attempt(() =>
    parseOptional(node, CONTEXT_KEYS.account, ACCOUNT_PATTERN, '123456789012'),
  );
  const region = problems.attempt(() =>
    parseOptional(node, CONTEXT_KEYS.region, REGION_PATTERN, 'ca-central-1'),
  );
  const [stage] = problems.settle(parsedStage);
  return { stage, env: { ...(account ? { account } : {}), ...(region ? { region } : {}) } };
}

/** Stages whose data outlives the stack: tables and key are retained and protected from deletion. */
export function retainsData(stage: Stage): boolean {
  return stage !== 'dev';
}
