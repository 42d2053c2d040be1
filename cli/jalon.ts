import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SFNClient } from '@aws-sdk/client-sfn';
import { Command, InvalidArgumentError, Option } from 'commander';
import { DynamoDbCaseLedger } from '../shared/adapters/dynamodb/dynamodb-case-ledger';
import { DynamoDbLedgerScanner } from '../shared/adapters/dynamodb/ledger-scanner';
import { documentClientOn } from '../shared/adapters/ports/document-client';
import { CalendarIdSchema } from '../shared/domain/time';
import { parseLocalDate } from '../shared/domain/time/local-date';
import { advanceClock, ClockCommandError, DEFAULT_STACK_URL, readClock } from './commands/clock';
import { deadlineFor, InputError, runBatch, todayInQuebec } from './commands/deadline';
import { formatHolidays, holidaysOf } from './commands/holidays';
import { startLedgerBackfill } from './commands/ledger-backfill';
import { reindexCases } from './commands/reindex';
import { formatReplanSummary, ReplanCommandError, replanStack } from './commands/replan';
import { fetchReport, fetchReportCases, ReportCommandError } from './commands/report';
import {
  commandErrorOf,
  formatChanges,
  formatListing,
  formatLoadSummary,
  groupsWithoutAddresses,
  loadDirectory,
  missingGroupsWarning,
  parseDirectoryFile,
  StaffCommandError,
  staffEditor,
  unknownGroupWarning,
  type StaffCommandLanguage,
} from './commands/staff';
import { fetchWhatIf, fetchWhatIfCases } from './commands/what-if';
import { readFileSync } from 'node:fs';
import { RoleSchema } from '../shared/domain/identity/identity';
import { loadSctPolicy } from '../shared/domain/policy/sct';

const program = new Command();
program
  .name('jalon')
  .description('Jalon: service commitments on written requests and complaints (legal time, policies, cases).')
  .showHelpAfterError();

const calendarOption = () =>
  new Option('--calendar <id>', 'calendar of business days')
    .choices(CalendarIdSchema.options)
    .default('qc-fonction-publique');
const dateArgument = (value: string) => {
  try {
    parseLocalDate(value);
  } catch {
    throw new InvalidArgumentError('expected a date YYYY-MM-DD.');
  }
  return value;
};

const asOfOption = () =>
  new Option('--as-of <date>', 'apply the calendar version in effect on this local date (YYYY-MM-DD)')
    .default(todayInQuebec(), 'today in Québec')
    .argParser(dateArgument);

program
  .command('deadline')
  .description('Compute a legal deadline with its proof (JSON).')
  .option('--received <instant>', 'legal clock start, ISO-8601 with offset (e.g. 2026-12-18T15:00:00Z)')
  .option('--days <n>', 'length of the delay', (value) => {
    if (!/^\d+$/.test(value)) throw new InvalidArgumentError('expected a whole number of days.');
    return Number(value);
  })
  .addOption(
    new Option('--unit <unit>', 'how the delay is counted')
      .choices(['business', 'calendar', 'hours'])
      .default('business'),
  )
  .addOption(calendarOption())
  .addOption(asOfOption())
  .option('--batch', 'read one JSON request per line on stdin, write one JSON result per line')
  .action(async function (
    this: Command,
    options: {
      received?: string;
      days?: number;
      unit: string;
      calendar: string;
      asOf: string;
      batch?: boolean;
    },
  ) {
    if (options.batch) {
      const { errors } = await runBatch(process.stdin, process.stdout, options.asOf);
      if (errors > 0)
        process.stderr.write(`${errors} line(s) could not be computed; see their "error" field.\n`);
      return;
    }
    const missing = [!options.received && '--received', options.days === undefined && '--days'].filter(
      Boolean,
    );
    if (missing.length > 0)
      this.error(`error: missing ${missing.join(' and ')} (or use --batch)`, { exitCode: 2 });
    try {
      const deadline = deadlineFor(
        { received: options.received, days: options.days, unit: options.unit, calendar: options.calendar },
        options.asOf,
      );
      process.stdout.write(`${JSON.stringify(deadline, null, 2)}\n`);
    } catch (error) {
      if (error instanceof InputError) this.error(`error: ${error.message}`, { exitCode: 2 });
      throw error;
    }
  });

program
  .command('holidays')
  .description('List the observed holidays of a year (names in French by default).')
  .argument('<year>', 'year, e.g. 2027', (value) => {
    if (!/^\d{4}$/.test(value)) throw new InvalidArgumentError('expected a year such as 2027.');
    return Number(value);
  })
  .addOption(calendarOption())
  .addOption(asOfOption())
  .addOption(new Option('--lang <lang>', 'language of the names').choices(['fr', 'en']).default('fr'))
  .option('--json', 'print JSON instead of text')
  .action((year: number, options: { calendar: string; asOf: string; lang: 'fr' | 'en'; json?: boolean }) => {
    const calendar = CalendarIdSchema.parse(options.calendar);
    const holidays = holidaysOf(year, calendar, options.asOf);
    process.stdout.write(
      options.json ? `${JSON.stringify(holidays, null, 2)}\n` : `${formatHolidays(holidays, options.lang)}\n`,
    );
  });

const clock = program
  .command('clock')
  .description('Show the clock of the running local stack (npm start).')
  .option('--url <url>', 'local stack URL', DEFAULT_STACK_URL)
  .configureHelp({ showGlobalOptions: true })
  .action(async function (this: Command, options: { url: string }) {
    try {
      const { now, virtual } = await readClock(options.url);
      process.stdout.write(`${now}${virtual ? ' (virtual)' : ' (real time)'}\n`);
    } catch (error) {
      if (error instanceof ClockCommandError) this.error(`error: ${error.message}`, { exitCode: 1 });
      throw error;
    }
  });

clock
  .command('advance')
  .description('Move the virtual clock (npm start -- --virtual-clock) and wait until the stack is idle.')
  .argument('[duration]', 'how far: 3d, 12h, 2w, 90m, 1d12h or an ISO duration such as P3D')
  .option('--to <instant>', 'move to this ISO instant instead')
  .action(async function (this: Command, duration: string | undefined) {
    // `--url` belongs to `clock`, wherever it is written on the command line.
    const options = this.optsWithGlobals<{ to?: string; url: string }>();
    try {
      const now = await advanceClock(options.url, {
        ...(duration !== undefined ? { by: duration } : {}),
        ...(options.to !== undefined ? { to: options.to } : {}),
      });
      process.stdout.write(`${now}\n`);
    } catch (error) {
      if (error instanceof ClockCommandError) this.error(`error: ${error.message}`, { exitCode: 1 });
      throw error;
    }
  });

program
  .command('replan')
  .description(
    'Re-plan the open cases of the running local stack after a calendar gained a version (prints a summary).',
  )
  .option('--url <url>', 'local stack URL', DEFAULT_STACK_URL)
  .option('--json', 'print JSON instead of text')
  .action(async function (this: Command, options: { url: string; json?: boolean }) {
    try {
      const summary = await replanStack(options.url);
      process.stdout.write(
        options.json ? `${JSON.stringify(summary, null, 2)}\n` : `${formatReplanSummary(summary)}\n`,
      );
      if (summary.failed.length > 0) process.exitCode = 1;
    } catch (error) {
      if (error instanceof ReplanCommandError) this.error(`error: ${error.message}`, { exitCode: 1 });
      throw error;
    }
  });

program
  .command('reindex-cases')
  .description(
    'Repair every case projection written before the search layout (docs/case-search.md), on the tables named (AWS credentials and region from the environment).',
  )
  .requiredOption('--cases-table <name>', 'the cases table, e.g. jalon-prod-cases')
  .requiredOption('--ledger-table <name>', 'the ledger table, e.g. jalon-prod-ledger')
  .option('--endpoint <url>', 'a DynamoDB endpoint (dynalite) instead of AWS')
  .action(async (options: { casesTable: string; ledgerTable: string; endpoint?: string }) => {
    const client = documentClientOn(
      new DynamoDBClient(options.endpoint !== undefined ? { endpoint: options.endpoint } : {}),
    );
    const tables = { cases: options.casesTable, ledger: options.ledgerTable };
    const caseIds = await new DynamoDbLedgerScanner({ client, tables }).caseIds();
    const summary = await reindexCases(caseIds, new DynamoDbCaseLedger({ client, tables }));
    process.stdout.write(`Cases checked: ${summary.checked}\n`);
    if (summary.failed.length > 0) {
      process.stdout.write(`Failed (run again): ${summary.failed.join(', ')}\n`);
      process.exitCode = 1;
    }
  });

const ledger = program.command('ledger').description('Operator actions on the ledger and its WORM mirror.');

ledger
  .command('backfill')
  .description(
    'Start the mirror back-fill (docs/ledger-mirror.md): every ledger event and closed workflow execution the mirror bucket lacks, written once (AWS credentials and region from the environment).',
  )
  .requiredOption(
    '--state-machine <arn>',
    'the back-fill state machine, e.g. arn:aws:states:ca-central-1:123456789012:stateMachine:jalon-prod-ledger-mirror-backfill',
  )
  .option('--endpoint <url>', 'a Step Functions endpoint (the local stack’s /sfn) instead of AWS')
  .option('--no-wait', 'print the run id and return without waiting for the run to end')
  .action(async (options: { stateMachine: string; endpoint?: string; wait: boolean }) => {
    // The local stack's endpoint takes any signature; its region is the local one.
    const client = new SFNClient(
      options.endpoint !== undefined
        ? {
            endpoint: options.endpoint,
            region: process.env['AWS_REGION'] ?? 'ca-central-1',
            credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
          }
        : {},
    );
    const run = await startLedgerBackfill({
      client,
      stateMachineArn: options.stateMachine,
      wait: options.wait,
    });
    process.stdout.write(`${JSON.stringify(run, null, 2)}\n`);
    if (run.status !== undefined && run.status !== 'SUCCEEDED') process.exitCode = 1;
  });

program
  .command('report')
  .description(
    'The service-statement report of a period from the running local stack (as its demo auditor): JSON or CSV.',
  )
  .option(
    '--from <date>',
    'first day of the period, Québec date YYYY-MM-DD (default: 1 January of the stack’s year)',
    dateArgument,
  )
  .option(
    '--to <date>',
    'last day of the period, included, at most 366 days (default: the stack’s today)',
    dateArgument,
  )
  .addOption(new Option('--format <format>', 'output').choices(['json', 'csv']).default('json'))
  .addOption(
    new Option('--lang <lang>', 'language of the CSV headers and errors').choices(['fr', 'en']).default('fr'),
  )
  .addOption(
    new Option('--role <role>', 'demo role to read it as')
      .choices(['auditor', 'supervisor'])
      .default('auditor'),
  )
  .option(
    '--cases <indicator>',
    'instead of the report, the references behind one figure, one a line (every page of its drill-down)',
  )
  .option('--category <id>', 'with --cases: the figure of this category')
  .option('--channel <id>', 'with --cases: the figure of this channel')
  .option('--url <url>', 'local stack URL', DEFAULT_STACK_URL)
  .action(async function (
    this: Command,
    options: {
      from?: string;
      to?: string;
      format: 'json' | 'csv';
      lang: 'fr' | 'en';
      role: 'auditor' | 'supervisor';
      cases?: string;
      category?: string;
      channel?: string;
      url: string;
    },
  ) {
    try {
      const { url, cases, category, channel, ...request } = options;
      process.stdout.write(
        cases === undefined
          ? await fetchReport(url, request)
          : await fetchReportCases(url, {
              ...request,
              indicator: cases,
              ...(category !== undefined ? { category } : {}),
              ...(channel !== undefined ? { channel } : {}),
            }),
      );
    } catch (error) {
      if (error instanceof ReportCommandError)
        this.error(`error: ${error.message}`, { exitCode: error.exitCode });
      throw error;
    }
  });

const daysArgument = (value: string): number => {
  const days = Number(value);
  if (!Number.isInteger(days) || days < 1 || days > 100) {
    throw new InvalidArgumentError('expected a whole number of business days from 1 to 100.');
  }
  return days;
};

const pageSizeArgument = (value: string): number => {
  const size = Number(value);
  if (!Number.isInteger(size) || size < 1 || size > 500) {
    throw new InvalidArgumentError('expected a whole number from 1 to 500.');
  }
  return size;
};

program
  .command('what-if')
  .description(
    'The report of a period as recorded and as it would have been under a changed policy for one category (docs/what-if.md), from the running local stack.',
  )
  .requiredOption('--from <date>', 'first day of the period, Québec date YYYY-MM-DD', dateArgument)
  .requiredOption('--to <date>', 'last day of the period, included (at most 366 days)', dateArgument)
  .requiredOption('--category <id>', 'the category whose policy changes (statistics, media…)')
  .option('--ack-days <n>', 'acknowledgement delay, in business days', daysArgument)
  .option('--answer-days <n>', 'answer delay, in business days', daysArgument)
  .option('--no-automatic-acknowledgement', 'the workflow only escalates at the acknowledgement deadline')
  .addOption(new Option('--lang <lang>', 'language of errors').choices(['fr', 'en']).default('fr'))
  .addOption(
    new Option('--role <role>', 'demo role to run it as')
      .choices(['auditor', 'supervisor'])
      .default('auditor'),
  )
  .option(
    '--page-size <n>',
    'references per page of the lists (1 to 500; the API’s default is 100)',
    pageSizeArgument,
  )
  .option(
    '--cases <list>',
    'instead of the answer, every reference of one list, one a line: acknowledgement.breached, acknowledgement.noLongerBreached, answer.breached, answer.noLongerBreached, automaticInstead, or changed.<indicator>',
  )
  .option('--url <url>', 'local stack URL', DEFAULT_STACK_URL)
  .action(async function (
    this: Command,
    options: {
      from: string;
      to: string;
      category: string;
      pageSize?: number;
      cases?: string;
      ackDays?: number;
      answerDays?: number;
      automaticAcknowledgement: boolean;
      lang: 'fr' | 'en';
      role: 'auditor' | 'supervisor';
      url: string;
    },
  ) {
    try {
      const { url, automaticAcknowledgement, cases, ...options_ } = options;
      const request = {
        ...options_,
        // Commander sets it to true unless --no-automatic-acknowledgement: only the "no" is a change.
        ...(automaticAcknowledgement ? {} : { automaticAcknowledgement: false }),
      };
      process.stdout.write(
        cases === undefined
          ? await fetchWhatIf(url, request)
          : await fetchWhatIfCases(url, { ...request, list: cases }),
      );
    } catch (error) {
      if (error instanceof ReportCommandError)
        this.error(`error: ${error.message}`, { exitCode: error.exitCode });
      throw error;
    }
  });

interface StaffOptions {
  table: string;
  endpoint?: string;
  lang: StaffCommandLanguage;
  by?: string;
}

const staff = program
  .command('staff')
  .description(
    'The staff directory (docs/staff-directory.md): members and group addresses in the staff table, edited without a deploy; the functions see an edit within a minute (AWS credentials and region from the environment).',
  )
  .requiredOption('--table <name>', 'the staff table, e.g. jalon-prod-staff (jalon-local-staff locally)')
  .option('--endpoint <url>', 'a DynamoDB endpoint (the local stack’s dynalite) instead of AWS')
  .option('--by <name>', 'who makes the change, recorded on the entry and in its history (required to edit)')
  .addOption(new Option('--lang <lang>', 'language of messages').choices(['fr', 'en']).default('fr'))
  .configureHelp({ showGlobalOptions: true });

/** Runs a `staff` subcommand with the editor of the table named, errors said in the chosen language. */
function staffAction<A extends unknown[]>(
  run: (
    editor: ReturnType<typeof staffEditor>,
    options: StaffOptions & { by: string },
    ...args: A
  ) => Promise<void>,
  { edits }: { edits: boolean },
) {
  return async function (this: Command, ...args: A) {
    const options = this.optsWithGlobals<StaffOptions & Record<string, unknown>>();
    if (edits && (options.by === undefined || options.by.trim() === '')) {
      this.error(
        options.lang === 'fr'
          ? 'error: --by <nom> est requis pour modifier l’annuaire (qui fait la modification).'
          : 'error: --by <name> is required to edit the directory (who makes the change).',
        { exitCode: 2 },
      );
    }
    try {
      await run(staffEditor(options), { ...options, by: options.by ?? '' }, ...args);
    } catch (error) {
      const refused = commandErrorOf(error, options.lang);
      if (refused instanceof StaffCommandError)
        this.error(`error: ${refused.message}`, { exitCode: refused.exitCode });
      throw refused;
    }
  };
}

staff
  .command('list')
  .description('List the members and groups, and the groups the policy notifies that have no address.')
  .option('--json', 'print JSON instead of text')
  .action(
    staffAction(
      async (editor, options) => {
        const listing = await editor.list();
        const json = (options as { json?: boolean }).json === true;
        process.stdout.write(
          json
            ? `${JSON.stringify(listing, null, 2)}\n`
            : `${formatListing(listing, loadSctPolicy(), options.lang)}\n`,
        );
      },
      { edits: false },
    ),
  );

staff
  .command('put')
  .description('Add or replace a staff member (every field given: the entry is replaced).')
  .argument('<id>', 'the member’s subject id (Cognito sub)')
  .addOption(new Option('--role <role...>', 'their roles').choices(RoleSchema.options))
  .option('--unit <unit...>', 'the units whose cases they handle')
  .option('--email <address>', 'their own address (reminders of the cases assigned to them)')
  .option('--name <name>', 'the name the console shows')
  .action(
    staffAction(
      async (editor, options, id: string) => {
        const { role, unit, email, name } = options as {
          role?: string[];
          unit?: string[];
          email?: string;
          name?: string;
        };
        const outcome = await editor.putMember(
          {
            id,
            roles: role ?? [],
            units: unit ?? [],
            ...(email !== undefined ? { email } : {}),
            ...(name !== undefined ? { name } : {}),
          },
          options.by,
        );
        process.stdout.write(`${outcome}\n`);
      },
      { edits: true },
    ),
  );

staff
  .command('remove')
  .description('Remove a staff member (their cases keep the id; the console then shows the id).')
  .argument('<id>', 'the member’s subject id')
  .action(
    staffAction(
      async (editor, options, id: string) => {
        await editor.removeMember(id, options.by);
        process.stdout.write('removed\n');
      },
      { edits: true },
    ),
  );

const staffGroup = staff.command('group').description('The notification addresses of a staff group.');

staffGroup
  .command('put')
  .description('Set the addresses of a group (replaces them).')
  .argument('<group>', 'the group, e.g. statistics-officers')
  .argument('<addresses...>', 'its addresses')
  .action(
    staffAction(
      async (editor, options, group: string, addresses: string[]) => {
        const outcome = await editor.putGroup(group, addresses, options.by);
        process.stdout.write(`${outcome}\n`);
        process.stdout.write(
          unknownGroupWarning(group, loadSctPolicy(), options.lang)
            .map((line) => `${line}\n`)
            .join(''),
        );
      },
      { edits: true },
    ),
  );

staffGroup
  .command('remove')
  .description('Remove a group: its notifications then reach nobody (the functions log it).')
  .argument('<group>', 'the group')
  .action(
    staffAction(
      async (editor, options, group: string) => {
        await editor.removeGroup(group, options.by);
        process.stdout.write('removed\n');
      },
      { edits: true },
    ),
  );

staff
  .command('load')
  .description(
    'Put every group and member of a JSON file {"groups": {group: [addresses]}, "members": [{id, roles, units, email?, name?}]} (the first directory of a stage; entries not in the file are kept).',
  )
  .argument('<file>', 'the JSON file')
  .action(
    staffAction(
      async (editor, options, file: string) => {
        const directory = parseDirectoryFile(readFileSync(file, 'utf8'), options.lang);
        const summary = await loadDirectory(editor, directory, options.by);
        const listing = await editor.list();
        const missing = groupsWithoutAddresses(
          listing.groups.map((group) => group.sk),
          loadSctPolicy(),
        );
        process.stdout.write(
          [formatLoadSummary(summary, options.lang), ...missingGroupsWarning(missing, options.lang)]
            .map((line) => `${line}\n`)
            .join(''),
        );
      },
      { edits: true },
    ),
  );

staff
  .command('history')
  .description('The recorded changes, newest first: when, who, what.')
  .option('--limit <n>', 'how many', (value) => {
    if (!/^\d+$/.test(value) || Number(value) < 1) throw new InvalidArgumentError('expected a whole number.');
    return Number(value);
  })
  .option('--json', 'print JSON (with each entry before and after) instead of text')
  .action(
    staffAction(
      async (editor, options) => {
        const { limit, json } = options as { limit?: number; json?: boolean };
        const changes = await editor.changes(limit ?? 100);
        process.stdout.write(
          json === true
            ? `${JSON.stringify(changes, null, 2)}\n`
            : `${formatChanges(changes, options.lang)}\n`,
        );
      },
      { edits: false },
    ),
  );

program.parseAsync(process.argv).catch((error: unknown) => {
  process.stderr.write(`jalon: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
