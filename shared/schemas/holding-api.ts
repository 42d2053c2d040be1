import * as z from '../zod-mini';

import {
  AttachHeldInputSchema,
  DismissHeldInputSchema,
  HoldingListQuerySchema as HoldingQuerySchema,
  RegisterHeldInputSchema,
} from '../domain/intake/email/holding-triage';
import { StaffApiEnvSchema } from './staff-api';

// Apart from the staff API's schemas: these import the holding triage, hence the MIME parser, which only the
// holding-api function bundles.

/** Query of `GET /api/staff/holding`: `status` (default `open`), `kind`, `order` (`oldest`), `limit`, `cursor`. */
export const HoldingListQuerySchema = HoldingQuerySchema;
/** Body of `POST /api/staff/holding/{itemId}/attach`: the case to file the message on. */
export const HoldingAttachBodySchema = AttachHeldInputSchema;
/** Body of `POST /api/staff/holding/{itemId}/register`: category, requester, optional subject and body. */
export const HoldingRegisterBodySchema = RegisterHeldInputSchema;
/** Body of `POST /api/staff/holding/{itemId}/dismiss`: a reason; a note when the reason is `other`. */
export const HoldingDismissBodySchema = DismissHeldInputSchema;

/**
 * The holding-api function's environment: the case tables and the reference counters (a held message may
 * become a case), the state machine it starts, the holding table, the raw-mail bucket (read) and the
 * attachments bucket (write). Every name is required, so a missing one fails the cold start.
 */
export const HoldingApiEnvSchema = z.extend(
  z.pick(StaffApiEnvSchema, {
    CASES_TABLE_NAME: true,
    LEDGER_TABLE_NAME: true,
    CONTROL_TABLE_NAME: true,
    STATE_MACHINE_ARN: true,
    ATTACHMENTS_BUCKET_NAME: true,
    ORIGIN_VERIFY_SECRET_ARN: true,
    PARAMETERS_SECRETS_EXTENSION_HTTP_PORT: true,
  }),
  {
    HOLDING_TABLE_NAME: z.string().check(z.minLength(3)),
    RAW_MAIL_BUCKET_NAME: z.string().check(z.minLength(3)),
    /** The staff directory table (`docs/staff-directory.md`): who triaged an item, by name. */
    STAFF_TABLE_NAME: z.string().check(z.minLength(3)),
  },
);
export type HoldingApiEnv = z.infer<typeof HoldingApiEnvSchema>;
