import { Command, InvalidArgumentError, Option } from 'commander';
import { checkDeployment, formatFindings, projectContext, type ReportLanguage } from './deploy-check';

/**
 * `npm run deploy:check -- --stage prod [-c key=value…] [--lang en]`: checks the settings `npx cdk deploy`
 * would read (cdk.json, cdk.context.json, then each `-c` as on the cdk command line), offline. Prints one line
 * per problem and exits 1 when an error blocks the deploy.
 */

/** `-c key=value`, repeatable, kept as strings exactly as the cdk command line passes them to the app. */
function contextArgument(value: string, previous: Record<string, string>): Record<string, string> {
  const separator = value.indexOf('=');
  if (separator <= 0) throw new InvalidArgumentError('expected key=value / attendu clé=valeur.');
  return { ...previous, [value.slice(0, separator)]: value.slice(separator + 1) };
}

const program = new Command();
program
  .name('deploy:check')
  .description(
    'Vérifie les réglages d’une étape avant npx cdk deploy / Checks the settings of a stage before npx cdk deploy.',
  )
  .requiredOption('--stage <name>', 'the stage to deploy (dev, test, prod)')
  .option(
    '-c, --context <key=value>',
    'a context value, as with cdk deploy -c (repeatable)',
    contextArgument,
    {},
  )
  .addOption(new Option('--lang <lang>', 'language of the report').choices(['fr', 'en']).default('fr'))
  .action((options: { stage: string; context: Record<string, string>; lang: ReportLanguage }) => {
    const findings = checkDeployment({
      stage: options.stage,
      context: { ...projectContext(), ...options.context },
    });
    process.stdout.write(`${formatFindings(options.stage, findings, options.lang).join('\n')}\n`);
    if (findings.some((finding) => finding.severity === 'error')) process.exitCode = 1;
  });

program.parse(process.argv);
