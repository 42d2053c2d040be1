import { existsSync } from 'node:fs';
import path from 'node:path';

import type { EmailIntakeHandler } from '../../functions/email-intake/handler';
import { outcomeOf } from '../../functions/email-intake/metrics';
import { emailIntakeFunction } from '../../functions/email-intake/wiring';
import { formIntakeFunction } from '../../functions/form-intake/wiring';
import { TokenBucketRateLimiter } from '../../shared/domain/intake/form/rate-limiter';
import type { TokenBucketOptions } from '../../shared/domain/intake/form/rate-limiter';
import { renderCitizenSite } from '../../web/citizen';
import type { LocalConsole } from './console-log';
import type { ApiRouteBinding, PageRenderer } from './http-server';
import type { LocalClients, LocalConfig, LocalPorts } from './local-stack';
import { realNow } from './real-timers';
import { LOCAL_AUTHSERV_ID, STORED_AT_METADATA_KEY } from './smtp-intake';
import { CITIZEN_API_ROUTES } from '../../functions/form-intake/routes';

const ROOT = path.resolve(__dirname, '..', '..');

/**
 * The domain local intake mail is addressed to (`statistiques@sct.example`, `plaintes@sct.example`…, and the
 * per-case reply addresses `demandes+<token>@sct.example`); SMTP intake accepts any recipient, email intake
 * files what reaches this domain.
 */
export const LOCAL_INTAKE_DOMAIN = 'sct.example';

export interface IntakeWiringInput {
  /** The ports every local handler shares. */
  readonly ports: LocalPorts;
  readonly clients: LocalClients;
  readonly config: LocalConfig;
  readonly logger: LocalConsole;
  /**
   * The form's per-client limiter (what the WAF rate rule does in AWS); `false` turns it off (benchmarks
   * submitting thousands of forms from 127.0.0.1).
   */
  readonly formRateLimit: false | Pick<TokenBucketOptions, 'capacity' | 'refillPerSecond'>;
}

/** What the citizen-facing intake adds to the local stack. */
export interface IntakeWiring {
  /** `POST /api/requests` (no authorizer). */
  readonly routes: ApiRouteBinding[];
  /** The email-intake function SMTP intake invokes with the intake queue's events. */
  readonly emailIntake: EmailIntakeHandler;
  /** The citizen form pages: `/`, `/demande` (French), `/en/`, `/en/request` (English). */
  readonly pages: PageRenderer;
  /** `web/static`, served at the site root as CloudFront serves the site bucket. */
  readonly staticDir?: string;
}

/**
 * The citizen-facing part of the composition: the web form (the form-intake handler behind
 * `POST /api/requests`, composed by `functions/form-intake/wiring.ts` with the local per-client limiter), its
 * pages (rendered once, as CDK renders them into the site bucket), the static files, and email intake (the
 * email-intake handler, invoked by SMTP intake with the S3 event of each stored message; composed by
 * `functions/email-intake/wiring.ts`), on the emulators' clients and the shared ports.
 */
export function wireIntake(input: IntakeWiringInput): IntakeWiring {
  const { ports, clients, config } = input;
  const formIntake = formIntakeFunction({
    clients,
    config,
    shared: ports,
    metrics: {
      record: (outcome) => input.logger.info('metric WebFormSubmissions', { outcome }),
    },
    logger: input.logger,
    // No CloudFront in front of the local API, so no origin-verify header to check.
    originCheck: { mode: 'off' },
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

  const pages = new Map(renderCitizenSite(ports.policy).map((page) => [page.path, page.html]));
  const renderPage: PageRenderer = (pathname) => {
    const html = pages.get(pathname);
    return html === undefined ? undefined : { status: 200, html };
  };

  // The reply-address book the workflow and staff commands use: one address per case whoever creates it first.
  const emailIntake = emailIntakeFunction({
    clients,
    config: { ...config, authservId: LOCAL_AUTHSERV_ID, storedAtMetadataKey: STORED_AT_METADATA_KEY },
    shared: ports,
    logger: input.logger,
    metrics: {
      record: (result) => input.logger.info('metric EmailMessagesFiled', { outcome: outcomeOf(result) }),
    },
  });

  const staticDir = path.join(ROOT, 'web', 'static');
  return {
    routes: CITIZEN_API_ROUTES.map((route) => ({
      ...route,
      authorizer: 'none' as const,
      handler: formIntake,
    })),
    emailIntake,
    pages: renderPage,
    ...(existsSync(staticDir) ? { staticDir } : {}),
  };
}
