import * as path from 'node:path';
import { RemovalPolicy, type Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

import { copyCommands, runtimeClosure } from './copied-modules';

/** The repository root: the esbuild working directory and where the one lock file lives. */
export const PROJECT_ROOT = path.join(__dirname, '..', '..', '..');

/**
 * The newest Node.js runtime aws-cdk-lib 2.276 knows. Named, not `NODEJS_LATEST`, so a CDK upgrade cannot
 * change the runtime of a deployed function without a diff in this file (cdk-nag L1 checks it stays newest).
 */
export const FUNCTION_RUNTIME = lambda.Runtime.NODEJS_24_X;
export const FUNCTION_ARCHITECTURE = lambda.Architecture.ARM_64;

export interface JalonFunctionProps {
  /** Physical function name, `jalon-<stage>-<name>`; fixed so logs, alarms and runbooks can name it. */
  readonly functionName: string;
  /** Handler module, absolute (`path.join(__dirname, …)`), exporting `handler`. */
  readonly entry: string;
  readonly description: string;
  /** Fully validated by the function's env schema at cold start; nothing here has a fallback. */
  readonly environment: Readonly<Record<string, string>>;
  readonly memorySize: number;
  readonly timeout: Duration;
  /** Log group name, under a prefix the log key's policy allows (see `OpsStack`). */
  readonly logGroupName: string;
  readonly logRetention: logs.RetentionDays;
  /** Encrypts the log group: logs hold identifiers and error names, and the key makes access auditable. */
  readonly logKey: kms.IKey;
  /** Keep the log group when the stack goes (every stage but dev). */
  readonly retainLogs: boolean;
  /** The AWS Parameters and Secrets Lambda Extension, for a function that reads a secret (no SDK client). */
  readonly paramsAndSecrets?: lambda.ParamsAndSecretsLayerVersion;
  /**
   * Packages left out of the bundle and copied beside it with their run-time dependencies, from the project's
   * `node_modules` (no registry access at synth): those that load their own files at run time (pdfkit resolves
   * its standard fonts by package subpath imports, which esbuild cannot inline).
   */
  readonly nodeModules?: readonly string[];
}

/** Bundling hooks that copy `names` and their run-time dependencies beside the bundle after esbuild ran. */
function copyModulesHooks(names: readonly string[]): nodejs.ICommandHooks {
  const packages = runtimeClosure(names, PROJECT_ROOT);
  return {
    beforeBundling: () => [],
    beforeInstall: () => [],
    afterBundling: (_inputDir, outputDir) => copyCommands(packages, outputDir),
  };
}

/**
 * A Jalon Lambda function with the defaults every handler shares: Node.js (newest) on arm64, bundled by the
 * local esbuild (no Docker) with minification and source maps, the AWS SDK v3 left to the runtime, X-Ray
 * active tracing, JSON logs into its own KMS-encrypted log group with a retention, and a role of its own
 * that may write only to that log group (no AWSLambdaBasicExecutionRole, whose `logs:*` on `*` cdk-nag
 * flags and which would let the function write into any log group).
 */
export class JalonFunction extends Construct {
  public readonly function: nodejs.NodejsFunction;
  public readonly role: iam.Role;
  public readonly logGroup: logs.LogGroup;
  /** The packages copied beside the bundle (`JalonFunctionProps.nodeModules`); empty when none. */
  public readonly copiedModules: readonly string[];

  constructor(scope: Construct, id: string, props: JalonFunctionProps) {
    super(scope, id);
    this.copiedModules = [...(props.nodeModules ?? [])];

    this.logGroup = new logs.LogGroup(this, 'LogGroup', {
      logGroupName: props.logGroupName,
      retention: props.logRetention,
      encryptionKey: props.logKey,
      removalPolicy: props.retainLogs ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });

    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of ${props.functionName}.`,
    });
    this.logGroup.grantWrite(this.role);

    this.function = new nodejs.NodejsFunction(this, 'Function', {
      functionName: props.functionName,
      description: props.description,
      entry: props.entry,
      handler: 'handler',
      projectRoot: PROJECT_ROOT,
      // Explicit: NodejsFunction would otherwise search upwards from the current working directory.
      depsLockFilePath: path.join(PROJECT_ROOT, 'package-lock.json'),
      runtime: FUNCTION_RUNTIME,
      architecture: FUNCTION_ARCHITECTURE,
      memorySize: props.memorySize,
      timeout: props.timeout,
      role: this.role,
      // Stack traces point into the TypeScript sources (the bundle ships its source maps).
      environment: { NODE_OPTIONS: '--enable-source-maps', ...props.environment },
      tracing: lambda.Tracing.ACTIVE,
      ...(props.paramsAndSecrets !== undefined ? { paramsAndSecrets: props.paramsAndSecrets } : {}),
      logGroup: this.logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      applicationLogLevelV2: lambda.ApplicationLogLevel.INFO,
      systemLogLevelV2: lambda.SystemLogLevel.WARN,
      bundling: {
        minify: true,
        sourceMap: true,
        // Source maps without the sources: the bundle stays small and the code is not shipped twice.
        sourcesContent: false,
        // The runtime's AWS SDK v3 (and its @smithy packages, per the cdk.json flag) is not bundled.
        externalModules: ['@aws-sdk/*', ...(props.nodeModules ?? [])],
        ...(props.nodeModules !== undefined ? { commandHooks: copyModulesHooks(props.nodeModules) } : {}),
        forceDockerBundling: false,
      },
    });
  }
}
