import * as z from '../zod-mini';

/** Environment of the ledger-mirror Lambda (the ledger stream's consumer that fills the WORM bucket). */
export const LedgerMirrorEnvSchema = z.object({
  LEDGER_TABLE_NAME: z.string().check(z.minLength(3)),
  /** The ledger mirror bucket (Object Lock, compliance mode; `docs/ledger-mirror.md`). */
  LEDGER_MIRROR_BUCKET: z.string().check(z.minLength(3)),
});
export type LedgerMirrorEnv = z.infer<typeof LedgerMirrorEnvSchema>;
