import { existsSync } from 'node:fs';
import path from 'node:path';

import type { S3Client } from '@aws-sdk/client-s3';
import type { S3Event } from 'aws-lambda';

import { makeHandler as makeFormIntakeHandler } from '../../functions/form-intake/handler';
import { TokenBucketRateLimiter } from '../../shared/domain/intake/form/rate-limiter';
import type { TokenBucketOptions } from '../../shared/domain/intake/form/rate-limiter';
import { renderCitizenSite } from '../../web/citizen';
import type { LocalConsole } from './console-log';
import type { ApiRouteBinding, PageRenderer } from './http-server';
import type { LocalPorts } from './local-stack';
import { realNow } from './real-timers';

const ROOT = path.resolve(__dirname, '..', '..');

/** The citizen form's route, as `infra/aws/constructs/citizen-http-api.ts` declares it (no authorizer). */
export const CITIZEN_REQUESTS_ROUTE = { method: 'POST', path: '/api/requests' } as const;

export interface IntakeWiringInput extends LocalPorts {
  readonly s3: S3Client;
  readonly buckets: { readonly rawMail: string; readonly attachments: string };
  readonly logger: LocalConsole;
  /**
   * The form's per-client limiter (what the WAF rate rule does in AWS); `false` turns it off (benchmarks
   * submitting thousands of forms from 127.0.0.1).
   */
  readonly formRateLimit: false | Pick<TokenBucketOptions, 'capacity' | 'refillPerSecond'>;
}

/** What the citizen-facing intake adds to the local stack, and what is still missing. */
export interface IntakeWiring {
  /** `POST /api/requests` (no authorizer). */
  readonly routes: ApiRouteBinding[];
  /** The email-intake function SMTP intake invokes with S3 events, once it exists. */
  readonly emailIntake?: (event: S3Event) => Promise<unknown>;
  /** The citizen form pages: `/`, `/demande` (French), `/en/`, `/en/request` (English). */
  readonly pages: PageRenderer;
  /** `web/static`, served at the site root as CloudFront serves the site bucket. */
  readonly staticDir?: string;
  /** A short note per missing piece, for the banner. */
  readonly missing: string[];
}

/**
 * The citizen-facing part of the composition: the web form (the form-intake handler behind
 * `POST /api/requests`), its pages (rendered once, as CDK renders them into the site bucket), the static
 * files, and email intake. Kept apart from `local-stack.ts` because these pieces were written alongside the
 * local stack: email intake is wired here once `functions/email-intake/` exists (until then SMTP intake keeps
 * each message in the raw-mail bucket and says that no case was made).
 */
export function wireIntake(input: IntakeWiringInput): IntakeWiring {
  const missing: string[] = [];
  const formIntake = makeFormIntakeHandler({
    ledger: input.ledger,
    references: input.references,
    workflow: input.workflow,
    clock: input.clock,
    policy: input.policy,
    calendars: input.calendars,
    metrics: {
      record: (outcome) => input.logger.info('metric WebFormSubmissions', { outcome }),
    },
    logger: input.logger,
    ...(input.formRateLimit !== false
      ? {
          // Abuse happens in real time: the limiter refills on the real clock, whatever the virtual one does.
          rateLimiter: new TokenBucketRateLimiter({
            ...input.formRateLimit,
            clock: { now: () => new Date(realNow()) },
          }),
        }
      : {}),
  });

  const pages = new Map(renderCitizenSite(input.policy).map((page) => [page.path, page.html]));
  const renderPage: PageRenderer = (pathname) => {
    const html = pages.get(pathname);
    return html === undefined ? undefined : { status: 200, html };
  };

  if (!existsSync(path.join(ROOT, 'functions', 'email-intake', 'handler.ts'))) {
    missing.push('email intake (functions/email-intake): SMTP mail is kept in S3 but makes no case');
  }
  const staticDir = path.join(ROOT, 'web', 'static');
  return {
    routes: [{ ...CITIZEN_REQUESTS_ROUTE, authorizer: 'none', handler: formIntake }],
    pages: renderPage,
    ...(existsSync(staticDir) ? { staticDir } : {}),
    missing,
  };
}
