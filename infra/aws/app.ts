import { App } from 'aws-cdk-lib';
import { InvalidDeploymentContextError } from './deployment-context';
import { addJalonStacks } from './jalon-app';

/**
 * The `cdk.json` app (`npx tsx infra/aws/app.ts`). Select the stage with `-c stage=dev|test|prod` (default
 * dev); add `-c account=… -c region=…` only to pin the environment, synth needs neither.
 */
const app = new App();
try {
  addJalonStacks(app);
} catch (error) {
  if (!(error instanceof InvalidDeploymentContextError)) throw error;
  // One line per problem instead of a stack trace: the fix is in the command line, not in the code.
  for (const problem of error.problems) console.error(`jalon: ${problem.en}`);
  process.exit(1);
}
