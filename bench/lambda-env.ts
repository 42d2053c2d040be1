/**
 * An environment every Lambda accepts at cold start (each function's env schema, `parseEnv` at module load),
 * for loading the built bundles outside Lambda: placeholder names and ARNs, nothing is called. A unit test
 * checks it against every env schema, so that a new required variable shows up there.
 */
export const BENCH_LAMBDA_ENV: Readonly<Record<string, string>> = {
  AWS_REGION: 'ca-central-1',
  AWS_ACCESS_KEY_ID: 'bench',
  AWS_SECRET_ACCESS_KEY: 'bench',
  AWS_SESSION_TOKEN: 'bench',
  CASES_TABLE_NAME: 'jalon-bench-cases',
  LEDGER_TABLE_NAME: 'jalon-bench-ledger',
  CONTROL_TABLE_NAME: 'jalon-bench-control',
  HOLDING_TABLE_NAME: 'jalon-bench-holding',
  REPORTS_TABLE_NAME: 'jalon-bench-reports',
  STAFF_TABLE_NAME: 'jalon-bench-staff',
  STATE_MACHINE_ARN: 'arn:aws:states:ca-central-1:123456789012:stateMachine:jalon-bench-case-lifecycle',
  REPORT_REPLAY_STATE_MACHINE_ARN:
    'arn:aws:states:ca-central-1:123456789012:stateMachine:jalon-bench-report-replay',
  ORIGIN_VERIFY_SECRET_ARN: 'arn:aws:secretsmanager:ca-central-1:123456789012:secret:jalon-bench-origin',
  POLICY_ID: 'sct',
  SENDER_ADDRESS: 'Jalon <jalon@sct.example>',
  INTAKE_MAIL_DOMAIN: 'demandes.sct.example',
  STAFF_BASE_URL: 'https://staff.sct.example/',
  ATTACHMENTS_BUCKET_NAME: 'jalon-bench-attachments',
  LETTERS_BUCKET_NAME: 'jalon-bench-letters',
  RAW_MAIL_BUCKET_NAME: 'jalon-bench-raw-mail',
  LEDGER_MIRROR_BUCKET: 'jalon-bench-ledger-mirror',
  LEDGER_DIGEST_KEY_ID: 'arn:aws:kms:ca-central-1:123456789012:key/00000000-0000-4000-8000-000000000000',
};
