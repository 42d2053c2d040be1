import './real-timers';

import { mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { S3Client } from '@aws-sdk/client-s3';
import type { SESv2Client } from '@aws-sdk/client-sesv2';
import { SFNClient } from '@aws-sdk/client-sfn';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

import { MAX_BODY_BYTES, negotiateLanguage, payloadTooLarge } from '../../functions/staff-api/http';
import { workflowTasksFunction } from '../../functions/workflow-tasks/wiring';
import { DynamoDbStaffDirectoryEditor } from '../../shared/adapters/dynamodb';
import type { TableNames } from '../../shared/adapters/dynamodb';
import { caseLedgerOn } from '../../shared/adapters/ports/case-ledger';
import { rateCounterOn } from '../../shared/adapters/ports/rate-counter';
import { referencesOn } from '../../shared/adapters/ports/references';
import { lettersOn } from '../../shared/adapters/ports/letters';
import { ledgerScannerOn } from '../../shared/adapters/ports/ledger-scanner';
import { notifierOn } from '../../shared/adapters/ports/notifier';
import type { SenderConfig } from '../../shared/adapters/ports/notifier';
import { replyAddressesOn } from '../../shared/adapters/ports/reply-addresses';
import { reportAggregatesOn } from '../../shared/adapters/ports/report-aggregates';
import type { SharedPorts } from '../../shared/adapters/ports/shared-ports';
import { staffDirectoryOn } from '../../shared/adapters/ports/staff-directory';
import { workflowOn } from '../../shared/adapters/ports/workflow';
import { LOCAL_FORM_RATE_LIMIT } from '../../shared/domain/intake/form/rate-limiter';
import type { Role } from '../../shared/domain/identity/identity';
import type { CaseLedger } from '../../shared/domain/ledger/ports';
import { isOpen } from '../../shared/domain/ledger/projection';
import type { Clock } from '../../shared/domain/messaging/ports';
import { loadSctPolicy } from '../../shared/domain/policy/sct';
import { bundledCalendars } from '../../shared/domain/time';
import { resumeStart } from '../../shared/domain/workflow/generations';
import type { Workflow } from '../../shared/domain/workflow/ports';
import { readCaseLifecycleDefinition } from '../../statemachines/definition';
import { staffSite } from '../../web/staff';
import { LocalIdentityProvider } from './auth/local-identity-provider';
import { LoggedCaseLedger } from './case-event-log';
import { ActivityTracker } from './clock/activity-tracker';
import { VirtualClock } from './clock/virtual-clock';
import { ClockControl, savedVirtualNow, saveVirtualNow } from './clock-control';
import { createLocalConsole } from './console-log';
import { claimDataFolder } from './data-folder';
import type { LocalConsole } from './console-log';
import { DEMO_USERS, seedDemoStaffDirectory } from './demo-users';
import { LOCAL_REGION, LOCAL_STAGE, localClientOptions, startEmulators } from './emulators';
import type { Emulators, LocalBuckets } from './emulators';
import { createLocalHttpServer } from './http-server';
import type { ApiRouteBinding, LocalHttpApp } from './http-server';
import { LOCAL_INTAKE_DOMAIN, wireIntake } from './intake-wiring';
import type { IntakeWiring } from './intake-wiring';
import { LocalMailEvents } from './mail-events';
import { ledgerCaseIds } from './open-cases';
import { CALENDARS_DIR, localReplan, readCalendarFolder } from './replan';
import { EmulatorAcceptedMessages } from './accepted-messages';
import { MirroringCaseLedger, localLedgerMirrorDeps } from './ledger-mirror';
import { replayPendingMailReports } from './mail-events-catch-up';
import { startMirrorCatchUp } from './mirror-catch-up';
import { executionArchiveDeps } from '../../functions/execution-archive/wiring';
import { archiveExecution } from '../../shared/domain/audit/execution-archive';
import { LocalReportReplay, ReportFeedingCaseLedger } from './report-aggregates';
import {
  registerLedgerMirrorBackfill,
  registerLedgerVerification,
  writeLocalDigestIfDue,
} from './ledger-verification';
import { LocalDigestSigner } from './local-digest-signer';
import { Outbox } from './outbox';
import { realNow, realSleep } from './real-timers';
import { LOCAL_AUTHSERV_ID, startSmtpIntake } from './smtp-intake';
import type { LocalMailAuthenticator, SmtpIntake } from './smtp-intake';
import { createSfnRequestHandler } from './stepfunctions/http';
import { LocalStepFunctions } from './stepfunctions/engine';
import type { TaskHandler } from './stepfunctions/engine';
import { AUDIT_API_ROUTES } from '../../functions/audit-api/routes';
import { auditApiFunction } from '../../functions/audit-api/wiring';
import { HOLDING_API_ROUTES } from '../../functions/holding-api/routes';
import { holdingApiFunction } from '../../functions/holding-api/wiring';
import { STAFF_API_ROUTES } from '../../functions/staff-api/routes';
import { staffApiFunction } from '../../functions/staff-api/wiring';
import { mailEventsFunction } from '../../functions/mail-events/wiring';

/** `.jalon/` at the repository root, from this file's location (never the working directory). */
export const DEFAULT_DATA_DIR = path.resolve(__dirname, '..', '..', '.jalon');
export const STATE_MACHINE_NAME = `jalon-${LOCAL_STAGE}-case-lifecycle`;
/** The verified SES identity of the local deployment. */
export const LOCAL_SENDER_ADDRESS = 'no-reply@sct.example';
export const LOCAL_SENDER = `Jalon SCT <${LOCAL_SENDER_ADDRESS}>`;
/** Where SMTP intake keeps raw messages in the raw-mail bucket (`RAW_MAIL_PREFIX` of the email stack). */
export const INBOUND_MAIL_PREFIX = 'inbound/';

/** What the staff API answers for a body over its limit, in the language the request prefers. */
function staffApiTooLarge(headers: Readonly<Record<string, string | string[] | undefined>>) {
  const acceptLanguage = headers['accept-language'];
  return payloadTooLarge(
    negotiateLanguage(Array.isArray(acceptLanguage) ? acceptLanguage[0] : acceptLanguage),
  );
}

export interface LocalStackOptions {
  /** dynalite and s3rver in memory (a temporary folder for s3rver), nothing kept after stop. */
  readonly memory?: boolean;
  /** The data folder when not in memory (default `DEFAULT_DATA_DIR`). */
  readonly dataDir?: string;
  /** See `EmulatorsOptions.dynaliteOnMainThread` (tests that watch dynalite's server). */
  readonly dynaliteOnMainThread?: boolean;
  /**
   * A virtual clock starting at this instant; `true` resumes the instant saved in the data folder (the real
   * time on a first run or in memory); absent or `false`, real time.
   */
  readonly virtualClock?: boolean | string;
  /** HTTP port (0: a free one). Default 3000. */
  readonly port?: number;
  /** SMTP intake port (0: a free one). Default 2525. */
  readonly smtpPort?: number;
  /** No banner, no case-event lines, no info logs (warnings and errors still go to stderr). */
  readonly quiet?: boolean;
  /**
   * The citizen form's per-client rate limit (default `LOCAL_FORM_RATE_LIMIT`: a burst of 5, then one a
   * minute); `false` for none, e.g. a benchmark submitting a thousand forms.
   */
  readonly formRateLimit?: false | { readonly capacity: number; readonly refillPerSecond: number };
  /** The SPF, DKIM and DMARC verdicts SMTP intake writes on each message (`none` for all by default). */
  readonly mailAuthentication?: LocalMailAuthenticator;
  /** Where the console writes (default process stdout/stderr). */
  readonly stdout?: (text: string) => void;
  readonly stderr?: (text: string) => void;
  /**
   * Tests only: interposes on every workflow task (fault injection, e.g. a task that fails for good). The
   * wrapper gets the task as the engine calls it, with the Task state's name in the context.
   */
  readonly wrapTask?: (task: TaskHandler) => TaskHandler;
  /**
   * Tests only: interposes on every Task of the job state machines (the ledger verification, the mirror
   * back-fill), e.g. a step that throws or hangs while its execution is stopped.
   */
  readonly wrapJobTask?: (task: TaskHandler) => TaskHandler;
  /**
   * Tests only: the SES events of accepted messages are dropped instead of reaching the mail-events handler,
   * as those still on their way are lost when the process is killed.
   */
  readonly dropMailEvents?: boolean;
  /**
   * Tests only: interposes on the DynamoDB ledger under every local handler (fault injection, e.g. a record
   * lost after its email was sent).
   */
  readonly wrapLedger?: (ledger: CaseLedger) => CaseLedger;
  /**
   * The calendar folder: read at start for planning, and afresh by `POST /api/local/replan` (default: the
   * bundled calendars, `CALENDARS_DIR`).
   */
  readonly calendarsDir?: string;
}

export interface LocalStack {
  readonly urls: {
    readonly web: string;
    readonly healthz: string;
    readonly staffApi: string;
    readonly auditApi: string;
    /** The staff and auditor pages' login screen (demo roles). */
    readonly staffPages: string;
    readonly outbox: string;
    readonly outboxPage: string;
    readonly clock: string;
    /** `POST`: re-plans the open cases after a calendar change (`npx jalon replan`). */
    readonly replan: string;
    readonly login: string;
    readonly sfn: string;
    readonly dynamodb: string;
    readonly ses: string;
    readonly s3: string;
    readonly smtp: string;
  };
  readonly ports: {
    readonly http: number;
    readonly smtp: number;
    readonly dynamodb: number;
    readonly ses: number;
    readonly s3: number;
  };
  /** `undefined` in memory. */
  readonly dataDir: string | undefined;
  /** The virtual clock, when there is one. */
  readonly clock: VirtualClock | undefined;
  readonly sfn: LocalStepFunctions;
  readonly stateMachineArn: string;
  /** The ledger mirror back-fill's state machine (`npx jalon ledger backfill`, `docs/ledger-mirror.md`). */
  readonly ledgerMirrorBackfillArn: string;
  /** The ledger the handlers write through (reads go to dynalite). */
  readonly ledger: CaseLedger;
  /** The handlers' DynamoDB client, on their way to dynalite (the bench's baseline requests go the same way). */
  readonly dynamo: DynamoDBClient;
  readonly tables: TableNames;
  readonly buckets: LocalBuckets;
  /** Open cases whose workflow was started again at start-up. */
  readonly resumedCases: number;
  /** A token for a seeded demo user, as `POST /api/local/login` gives. */
  token(role: Role): string;
  /** Stops everything (idempotent). */
  stop(): Promise<void>;
}

/**
 * Starts the whole of Jalon in this process, with no AWS account: the emulators (dynalite, aws-ses-v2-local,
 * s3rver), the SMTP intake, the case-lifecycle ASL on the local Step Functions engine with every Task bound to
 * the workflow-tasks handler, and one HTTP server for the APIs (as API Gateway would invoke them), the Step
 * Functions facade and the local-only routes. Each handler comes from its function's `wiring.ts`, the one
 * its Lambda's `index.ts` calls, with SDK clients pointed at the emulators (`docs/wiring.md`).
 *
 * Order matters: emulators, tables and listeners first; then the virtual clock (DESIGN.md: after the emulators
 * and tables); then the engine and the handlers; then every open case's workflow is started again (restart
 * safety: the tasks are idempotent and re-derive everything from the ledger); then `/healthz` turns 200.
 */
export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const console = createLocalConsole({
    quiet: options.quiet === true,
    ...(options.stdout !== undefined ? { stdout: options.stdout } : {}),
    ...(options.stderr !== undefined ? { stderr: options.stderr } : {}),
  });
  const dataDir = options.memory === true ? undefined : (options.dataDir ?? DEFAULT_DATA_DIR);
  const inData = (name: string) => (dataDir === undefined ? undefined : path.join(dataDir, name));
  if (dataDir !== undefined) mkdirSync(dataDir, { recursive: true });
  const releaseDataFolder = dataDir === undefined ? undefined : claimDataFolder(dataDir);

  const cleanups: (() => Promise<void> | void)[] = releaseDataFolder === undefined ? [] : [releaseDataFolder];
  const cleanup = async () => {
    for (const step of cleanups.reverse()) {
      try {
        await step();
      } catch (error) {
        console.warn('shutdown step failed', { errorName: (error as Error).name });
      }
    }
  };

  try {
    const activity = new ActivityTracker();
    // Before the SES emulator starts, and closed after it stops: no accepted message escapes the journal.
    const outbox = new Outbox(inData('outbox.jsonl'));
    outbox.restore();
    cleanups.push(() => outbox.close());
    const emulators = await startEmulators({
      ...(dataDir !== undefined ? { dataDir } : {}),
      ...(options.dynaliteOnMainThread === true ? { dynaliteOnMainThread: true } : {}),
    });
    cleanups.push(() => emulators.stop());

    const identity = LocalIdentityProvider.open(
      dataDir !== undefined ? { keyFile: path.join(dataDir, 'local-signing-key.jwk.json') } : {},
    );
    const app: LocalHttpApp = { ready: false, activity, identity, outbox, console, routes: [] };
    const httpServer = createLocalHttpServer(app);
    const httpPort = await listen(httpServer, options.port ?? 3000, 'PORT/--port');
    const base = `http://127.0.0.1:${httpPort}`;
    cleanups.push(() => closeServer(httpServer));

    // SMTP intake listens before the handlers exist; it reads the email-intake function when mail arrives.
    const late: { wiring?: IntakeWiring } = {};
    const smtp: SmtpIntake = await startSmtpIntake({
      port: options.smtpPort ?? 2525,
      s3: emulators.s3.client,
      bucket: emulators.s3.buckets.rawMail,
      prefix: INBOUND_MAIL_PREFIX,
      activity,
      ...(options.mailAuthentication !== undefined ? { authenticate: options.mailAuthentication } : {}),
      console,
      emailIntake: () => late.wiring?.emailIntake,
    }).catch((error: unknown) => {
      throw portError(error, options.smtpPort ?? 2525, 'SMTP_PORT/--smtp-port');
    });
    // Cleanups run in reverse: SMTP closes after the clock is uninstalled, so its close timer is a real one.
    cleanups.push(() => smtp.stop());

    const clockFile = inData('clock.json');
    let clock: VirtualClock | undefined;
    if (options.virtualClock !== undefined && options.virtualClock !== false) {
      const saved = savedVirtualNow(clockFile);
      const start = typeof options.virtualClock === 'string' ? options.virtualClock : (saved ?? realNow());
      if (
        typeof options.virtualClock === 'string' &&
        saved !== undefined &&
        Date.parse(saved) > new Date(start).getTime()
      ) {
        console.warn('virtual clock starts before the instant a previous run reached', { saved, start });
      }
      // Each new instant is on disk before anything can happen at it, so a `kill -9` never moves time back.
      clock = VirtualClock.install({
        now: start,
        activity,
        ...(clockFile !== undefined ? { onMove: (instant: Date) => saveVirtualNow(clockFile, instant) } : {}),
      });
      const installed = clock;
      cleanups.push(() => installed.uninstall());
    }
    const clockControl = new ClockControl(clock);
    app.clock = clockControl;

    const engine = new LocalStepFunctions({ region: LOCAL_REGION, activity });
    app.sfn = createSfnRequestHandler(engine, { activity });
    const sfnClient = new SFNClient({
      endpoint: `${base}/sfn`,
      region: LOCAL_REGION,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      ...localClientOptions(),
    });
    cleanups.push(() => sfnClient.destroy());

    const composed = await composeHandlers({
      emulators,
      engine,
      sfnClient,
      base,
      console,
      activity,
      ...(options.wrapTask !== undefined ? { wrapTask: options.wrapTask } : {}),
      ...(options.wrapJobTask !== undefined ? { wrapJobTask: options.wrapJobTask } : {}),
      ...(options.dropMailEvents === true ? { dropMailEvents: true } : {}),
      ...(options.wrapLedger !== undefined ? { wrapLedger: options.wrapLedger } : {}),
      ...(options.calendarsDir !== undefined ? { calendarsDir: options.calendarsDir } : {}),
      ...(dataDir !== undefined ? { digestKeyFile: path.join(dataDir, 'ledger-digest-key.pem') } : {}),
    });
    cleanups.push(async () => {
      composed.mailEvents.close();
      // Stop every execution, then let the handlers already in flight finish their I/O before the emulators go.
      await engine.close();
      await drain(activity, 5_000);
    });
    app.routes = composed.routes;

    const wiring = wireIntake({
      ports: composed.ports,
      clients: composed.clients,
      config: composed.config,
      logger: console,
      formRateLimit: options.formRateLimit ?? LOCAL_FORM_RATE_LIMIT,
    });
    late.wiring = wiring;
    app.routes = [...app.routes, ...wiring.routes];
    const staffPages = staffSite(composed.ports.policy);
    app.pages = (pathname, query) => {
      const html = staffPages(pathname);
      return html !== undefined ? { status: 200, html } : wiring.pages(pathname, query);
    };
    if (wiring.staticDir !== undefined) app.staticDir = wiring.staticDir;

    if (dataDir !== undefined) {
      // Events appended before a crash but not yet fed to the report aggregates (or data kept from before
      // they existed): one replay at start catches them up (docs/service-statement-report.md).
      await composed.reportReplay.start();
      await composed.reportReplay.idle();
      // Mirror copies a `kill -9` left queued: the back-fill's use case over the cases whose mirror lags.
      void startMirrorCatchUp({
        client: emulators.dynamo.client,
        tables: emulators.dynamo.tables,
        s3: emulators.s3.client,
        bucket: emulators.s3.buckets.ledgerMirror,
        now: () => composed.ports.clock.now(),
        activity,
        console,
      });
    }
    // The daily digest has no scheduler here: the day's is written at start when missing.
    await composed.writeDigest().catch((error: unknown) =>
      console.warn('ledger digest not written', {
        errorName: error instanceof Error ? error.name : 'unknown',
      }),
    );
    const resumedCases = await resumeOpenCases(
      composed.ports.ledger,
      emulators,
      composed.ports.workflow,
      console,
    );
    app.replan = localReplan({
      ledger: composed.ports.ledger,
      workflow: composed.ports.workflow,
      emulators,
      clock: clockControl,
      sfn: sfnClient,
      stateMachineArn: composed.stateMachineArn,
      policy: composed.ports.policy,
      calendarsDir: options.calendarsDir ?? CALENDARS_DIR,
      console,
    });
    await clock?.runUntilIdle();
    if (dataDir !== undefined) {
      // SES events a `kill -9` lost on their way: produced again for the messages whose reports are missing,
      // once the resumed steps have recorded the messages the emulator had accepted before the kill.
      const scanner = ledgerScannerOn(emulators.dynamo);
      void replayPendingMailReports({
        events: () => scanner.events(),
        mailEvents: composed.mailEvents,
        activity,
        console,
      });
    }
    app.ready = true;

    const urls = {
      web: `${base}/`,
      healthz: `${base}/healthz`,
      staffApi: `${base}/api/staff/cases`,
      auditApi: `${base}/api/audit`,
      staffPages: `${base}/staff/login`,
      outbox: `${base}/api/local/outbox`,
      outboxPage: `${base}/local/outbox`,
      clock: `${base}/api/local/clock`,
      replan: `${base}/api/local/replan`,
      login: `${base}/api/local/login`,
      sfn: `${base}/sfn`,
      dynamodb: emulators.dynamo.endpoint,
      ses: emulators.ses.endpoint,
      s3: emulators.s3.endpoint,
      smtp: `smtp://127.0.0.1:${smtp.port}`,
    };
    const stack: LocalStack = {
      urls,
      ports: {
        http: httpPort,
        smtp: smtp.port,
        dynamodb: emulators.dynamo.port,
        ses: emulators.ses.port,
        s3: emulators.s3.port,
      },
      dataDir,
      clock,
      sfn: engine,
      stateMachineArn: composed.stateMachineArn,
      ledgerMirrorBackfillArn: composed.ledgerMirrorBackfillArn,
      ledger: composed.ports.ledger,
      dynamo: emulators.dynamo.rawClient,
      tables: emulators.dynamo.tables,
      buckets: emulators.s3.buckets,
      resumedCases,
      token: (role) => identity.issue(DEMO_USERS[role]).token,
      stop: once(async () => {
        app.ready = false;
        await cleanup();
      }),
    };
    printBanner(console, stack, clockControl);
    return stack;
  } catch (error) {
    await cleanup();
    throw error;
  }
}

interface ComposeInput {
  readonly emulators: Emulators;
  readonly engine: LocalStepFunctions;
  readonly sfnClient: SFNClient;
  readonly base: string;
  readonly console: LocalConsole;
  /** The work in flight the virtual clock and the stop wait for (the ledger mirror's copies). */
  readonly activity: ActivityTracker;
  readonly wrapTask?: (task: TaskHandler) => TaskHandler;
  readonly wrapJobTask?: (task: TaskHandler) => TaskHandler;
  readonly dropMailEvents?: boolean;
  readonly wrapLedger?: (ledger: CaseLedger) => CaseLedger;
  /** A calendar folder to plan with instead of the bundled calendars (as read at start). */
  readonly calendarsDir?: string;
  /** The digest signing key's file (`LocalDigestSigner`); a key for the process when absent. */
  readonly digestKeyFile?: string;
}

/**
 * The ports every local handler shares (one instance each, built with the same builders as the Lambdas'
 * wiring), so that the citizen-facing intake gets the very same ones.
 */
export type LocalPorts = SharedPorts;

/** The emulators' SDK clients, as each Lambda builds its own. */
export interface LocalClients {
  readonly dynamo: DynamoDBDocumentClient;
  readonly s3: S3Client;
  readonly ses: SESv2Client;
  readonly sfn: SFNClient;
}

/** The local deployment's names, as each Lambda's environment gives its own. */
export interface LocalConfig {
  readonly tables: TableNames;
  readonly buckets: LocalBuckets;
  readonly sender: SenderConfig;
  readonly intakeDomain: string;
  readonly stateMachineArn: string;
}

/**
 * Builds the shared ports once (with the builders each function's `wiring.ts` uses, on the emulators'
 * clients), registers the case-lifecycle state machine with the workflow-tasks handler on every Task state,
 * and binds the staff, holding and audit APIs; each handler comes from its function's `wiring.ts`, called
 * with the emulators' clients and names as its Lambda's `index.ts` calls it with AWS's, plus the shared
 * ports and the few local differences (the ledger's stream-consumer decorators, real-time backoff, origin
 * check off, the emulator's accepted messages, the report fed as the ledger appends).
 */
async function composeHandlers(input: ComposeInput): Promise<{
  ports: LocalPorts;
  clients: LocalClients;
  config: LocalConfig;
  stateMachineArn: string;
  ledgerMirrorBackfillArn: string;
  routes: ApiRouteBinding[];
  reportReplay: LocalReportReplay;
  mailEvents: LocalMailEvents;
  /** Writes the day's signed digest of the case heads unless the mirror bucket has it. */
  writeDigest: () => Promise<void>;
}> {
  const { emulators, engine, console } = input;
  const { client, tables } = emulators.dynamo;
  const stateMachineArn = `arn:aws:states:${LOCAL_REGION}:${engine.accountId}:stateMachine:${STATE_MACHINE_NAME}`;
  // The emulators' clients and names, as each Lambda's environment names its own: every function's wiring
  // takes them, and the ports they share are built once below and handed to each (one ledger for all).
  const clients = {
    dynamo: client,
    s3: emulators.s3.client,
    ses: emulators.ses.client,
    sfn: input.sfnClient,
  };
  const config = {
    tables,
    buckets: emulators.s3.buckets,
    sender: { address: LOCAL_SENDER },
    intakeDomain: LOCAL_INTAKE_DOMAIN,
    stateMachineArn,
  };
  const policy = loadSctPolicy();
  const calendars =
    input.calendarsDir !== undefined ? readCalendarFolder(input.calendarsDir) : bundledCalendars();
  const clock: Clock = { now: () => new Date() };
  const reportAggregates = reportAggregatesOn({ client, tables, clock });
  // What SES event publishing, EventBridge and the mail-events queue do in AWS: each accepted message's event
  // reaches the mail-events handler, composed by its function's wiring.
  const mailEvents = new LocalMailEvents({
    activity: input.activity,
    console,
    ...(input.dropMailEvents === true ? { drop: true } : {}),
  });
  const adapter = () =>
    caseLedgerOn({
      client,
      tables,
      logger: console,
      // Contention on dynalite is real, so its backoff must elapse while virtual time is frozen.
      sleep: realSleep,
    });
  // The stream consumers of AWS (mirror, report aggregates, mail events) as decorators of a ledger.
  const references = new Map<string, string>();
  const decorated = (inner: CaseLedger) =>
    mailEvents.recordingLedger(
      new LoggedCaseLedger(
        new ReportFeedingCaseLedger(
          new MirroringCaseLedger(
            inner,
            localLedgerMirrorDeps({
              dynamo: { client, tables },
              s3: { client: emulators.s3.client, bucket: emulators.s3.buckets.ledgerMirror },
            }),
            input.activity,
            (message, details) => console.warn(message, details),
          ),
          reportAggregates,
          (message, details) => console.warn(message, details),
        ),
        (line) => console.print(line),
        references,
      ),
    );
  const dynamoLedger = adapter();
  const ledger = decorated(input.wrapLedger !== undefined ? input.wrapLedger(dynamoLedger) : dynamoLedger);
  mailEvents.handler = mailEventsFunction({
    clients,
    config,
    logger: console,
    metrics: { record: (outcome) => console.info('metric MailEvents', { outcome }) },
    // An adapter of its own, as the function's own Lambda instances in AWS: it remembers only the heads it read
    // or wrote, not those the other functions did (which the one adapter they share here remembers).
    shared: { ledger: decorated(adapter()), clock },
  });
  // The staff table on dynalite, seeded with the demo users, read as the Lambdas read it (60 s cache).
  await seedDemoStaffDirectory(
    new DynamoDbStaffDirectoryEditor({ client, tables: { staff: tables.staff }, clock }),
    policy,
  );
  const ports: LocalPorts = {
    ledger,
    notifier: mailEvents.wrap(notifierOn({ ses: emulators.ses.client, sender: config.sender })),
    clock,
    policy,
    calendars,
    workflow: workflowOn({ sfn: input.sfnClient, stateMachineArn }),
    references: referencesOn({ client, tables }),
    directory: staffDirectoryOn({ client, tables, logger: console }),
    replyAddresses: replyAddressesOn({ client, tables, intakeDomain: LOCAL_INTAKE_DOMAIN }),
    rateCounter: rateCounterOn({ client, tables }),
    letters: lettersOn({ s3: emulators.s3.client, bucket: emulators.s3.buckets.letters }),
    acceptedMessages: new EmulatorAcceptedMessages(),
  };

  const tasks = workflowTasksFunction({
    clients,
    config: { ...config, staffBaseUrl: `${input.base}/` },
    logger: console,
    shared: ports,
  });
  const run: TaskHandler = (payload) => tasks(payload);
  const wrapped = input.wrapTask !== undefined ? input.wrapTask(run) : run;
  const task: TaskHandler = async (payload, context) => {
    try {
      return await wrapped(payload, context);
    } catch (error) {
      console.warn('workflow task failed', {
        state: context.stateName,
        execution: context.executionName,
        errorName: error instanceof Error ? error.name : 'unknown',
      });
      throw error;
    }
  };
  const definition = readCaseLifecycleDefinition();
  const taskStates = Object.entries(JSON.parse(definition).States as Record<string, { Type: string }>)
    .filter(([, state]) => state.Type === 'Task')
    .map(([name]) => name);
  const created = await engine.createStateMachine({
    name: STATE_MACHINE_NAME,
    definition,
    taskHandlers: Object.fromEntries(taskStates.map((name) => [name, task])),
  });
  if (created !== stateMachineArn) throw new Error(`Unexpected state machine ARN ${created}.`);

  // No CloudFront in front of the local API, so no origin-verify header to check (off, explicitly).
  const originCheck = { mode: 'off' } as const;
  const staffApi = staffApiFunction({
    // Links signed for s3rver's endpoint (127.0.0.1 and its port): the browser on this machine follows them.
    clients,
    config,
    logger: console,
    metrics: {
      recordRegistrationLag: (sample) => console.info('metric IntakeRegistrationLagSeconds', { ...sample }),
    },
    originCheck,
    shared: ports,
  });
  const holdingApi = holdingApiFunction({
    clients,
    config: { ...config, authservId: LOCAL_AUTHSERV_ID },
    logger: console,
    originCheck,
    shared: ports,
  });
  const reportReplay = new LocalReportReplay({
    ledger,
    scanner: ledgerScannerOn({ client, tables }),
    aggregates: reportAggregates,
    clock,
    calendars,
    warn: (message, details) => console.warn(message, details),
  });
  const evidence = {
    client,
    tables,
    s3: emulators.s3.client,
    bucket: emulators.s3.buckets.ledgerMirror,
    signer: LocalDigestSigner.open(input.digestKeyFile !== undefined ? { keyFile: input.digestKeyFile } : {}),
    clock,
    console,
    ...(input.wrapJobTask !== undefined ? { wrapTask: input.wrapJobTask } : {}),
  };
  const verificationArn = await registerLedgerVerification({ ...evidence, engine });
  const ledgerMirrorBackfillArn = await registerLedgerMirrorBackfill({
    ...evidence,
    engine,
    sfn: input.sfnClient,
    stateMachineArn,
  });
  // Each closed generation's history, copied out as the EventBridge rule's Lambda does in AWS.
  const archive = executionArchiveDeps({ clients, config });
  engine.onExecutionClosed(async (closed) => {
    if (closed.stateMachineArn !== stateMachineArn) return;
    try {
      await archiveExecution(archive, closed.name);
    } catch (error) {
      console.warn('execution history not archived', {
        execution: closed.name,
        errorName: error instanceof Error ? error.name : 'unknown',
      });
    }
  });
  const auditApi = auditApiFunction({
    clients,
    config: { ...config, ledgerVerificationStateMachineArn: verificationArn },
    logger: console,
    originCheck,
    // Fed as the local ledger appends (no stream), so read from the start.
    reports: {
      reportSource: reportAggregates,
      reportReplay: { replay: reportReplay, store: reportAggregates },
    },
    shared: ports,
  });
  const routes: ApiRouteBinding[] = [
    ...STAFF_API_ROUTES.map((route) => ({
      ...route,
      authorizer: 'jwt' as const,
      handler: staffApi,
      bodyLimit: { maxBytes: MAX_BODY_BYTES, tooLarge: staffApiTooLarge },
    })),
    ...HOLDING_API_ROUTES.map((route) => ({
      ...route,
      authorizer: 'jwt' as const,
      handler: holdingApi,
      bodyLimit: { maxBytes: MAX_BODY_BYTES, tooLarge: staffApiTooLarge },
    })),
    ...AUDIT_API_ROUTES.map((route) => ({ ...route, authorizer: 'jwt' as const, handler: auditApi })),
  ];
  return {
    ports,
    clients,
    config,
    stateMachineArn,
    ledgerMirrorBackfillArn,
    routes,
    reportReplay,
    mailEvents,
    writeDigest: () => writeLocalDigestIfDue(evidence),
  };
}

/**
 * Starts the workflow of every open case again, in its latest recorded generation (`resumeStart`; a case whose
 * enforcement stopped stays stopped until an administrator restarts it). The engine keeps executions in
 * memory, so after a restart none exists; each start re-plans from the ledger (idempotent appends), skips
 * steps already recorded as done and waits for the next one: no timer is lost and no message is sent twice.
 */
async function resumeOpenCases(
  ledger: CaseLedger,
  emulators: Emulators,
  workflow: Workflow,
  console: LocalConsole,
): Promise<number> {
  let resumed = 0;
  for (const caseId of await ledgerCaseIds(emulators.dynamo)) {
    try {
      const projection = await ledger.getCase(caseId);
      const start = projection === undefined || !isOpen(projection) ? undefined : resumeStart(projection);
      if (start === undefined) continue;
      await workflow.start(start);
      resumed += 1;
    } catch (error) {
      console.error('case workflow not resumed', { caseId, errorName: (error as Error).name });
    }
  }
  return resumed;
}

function printBanner(console: LocalConsole, stack: LocalStack, clock: ClockControl): void {
  const { urls } = stack;
  const lines = [
    `Jalon is running locally at ${urls.web}`,
    `  Citizen form      ${urls.web} (fr), ${urls.web}en/ (en)  (POST /api/requests)`,
    `  Staff pages       ${urls.staffPages}  (demo login; work list ${urls.web}staff/, auditor ${urls.web}audit/)`,
    `  Staff API         ${urls.staffApi}  (token: POST ${urls.login} {"role":"agent"})`,
    `  Audit API         ${urls.auditApi}/cases/{caseId}/timeline, ${urls.auditApi}/ledger/verifications  (role auditor)`,
    `  Report            ${urls.auditApi}/reports/service-statement?from=…&to=…  (npx jalon report --from … --to …)`,
    `  Outbox            ${urls.outboxPage}  (JSON: ${urls.outbox})`,
    `  Clock             ${clock.virtual ? `virtual, now ${clock.now().toISOString()}` : 'real time'}  (${urls.clock}${clock.virtual ? '; npx jalon clock advance 3d' : ''})`,
    `  Step Functions    ${urls.sfn}  (${stack.stateMachineArn})`,
    `  Mirror back-fill  npx jalon ledger backfill --state-machine ${stack.ledgerMirrorBackfillArn} --endpoint ${urls.sfn}`,
    `  SMTP intake       127.0.0.1:${stack.ports.smtp}  (any recipient; cases for @${LOCAL_INTAKE_DOMAIN}, e.g. statistiques@, plaintes@)`,
    `  DynamoDB          ${urls.dynamodb}  (dynalite: ${Object.values(stack.tables).join(', ')})`,
    `  Staff directory   npx jalon staff list --table ${stack.tables.staff} --endpoint ${urls.dynamodb}  (demo users; edits show within 60 s)`,
    `  SES               ${urls.ses}  (aws-ses-v2-local)`,
    `  S3                ${urls.s3}  (s3rver: ${Object.values(stack.buckets).join(', ')})`,
    `  Data              ${stack.dataDir ?? 'in memory'}`,
    `  Resumed           ${stack.resumedCases} open case workflow(s)`,
    'Case events (instant, reference, type, seq, case id). Ctrl-C stops.',
  ];
  for (const line of lines) console.print(line);
}

function listen(server: Server, port: number, setting: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => reject(portError(error, port, setting));
    server.once('error', onError);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function portError(error: unknown, port: number, setting: string): unknown {
  if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
    return new Error(`Port ${port} is already in use: choose another with ${setting}.`);
  }
  return error;
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

/** Waits (real time) until no tracked work is in flight, or `limitMs` has passed. */
async function drain(activity: ActivityTracker, limitMs: number): Promise<void> {
  const until = realNow() + limitMs;
  while (activity.inFlight > 0 && realNow() < until) await realSleep(10);
}

function once(operation: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | undefined;
  return () => (running ??= operation());
}
