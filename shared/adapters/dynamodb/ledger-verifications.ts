import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

import type { LedgerMirrorBackfillRecord } from '../../domain/audit/mirror-backfill';
import type { LedgerVerificationRecord, VerificationStore } from '../../domain/audit/verification-job';
import { DynamoDbJobRuns } from './job-runs';
import type { TableNames } from './table-definitions';

/**
 * The ledger verification runs in the reports table: `#ledger-verification-latest` (its progress, then its
 * result) and `#ledger-verification-finished` (the last run that ended).
 */
export class DynamoDbLedgerVerifications
  extends DynamoDbJobRuns<LedgerVerificationRecord>
  implements VerificationStore
{
  constructor(config: {
    readonly client: DynamoDBDocumentClient;
    readonly tables: Pick<TableNames, 'reports'>;
  }) {
    super({ ...config, job: 'ledger-verification' });
  }
}

/**
 * The mirror back-fill runs in the reports table: `#ledger-mirror-backfill-latest` and
 * `#ledger-mirror-backfill-finished`.
 */
export class DynamoDbLedgerMirrorBackfills extends DynamoDbJobRuns<LedgerMirrorBackfillRecord> {
  constructor(config: {
    readonly client: DynamoDBDocumentClient;
    readonly tables: Pick<TableNames, 'reports'>;
  }) {
    super({ ...config, job: 'ledger-mirror-backfill' });
  }
}
