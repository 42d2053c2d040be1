import {
  IntakeMailDomainSchema,
  MailEventsEnvSchema,
  ReplanEnvSchema,
  WorkflowTasksEnvSchema,
  parseEnv,
} from '../../../shared/schemas/env';

// This file loads the environment schemas alone: no module of zod's full build, which is what installs its
// English messages. The messages below are those the full build words (`shared/zod-mini.ts`).
describe('parseEnv', () => {
  it('names every bad variable with the message zod words it with, never its value', () => {
    // Arrange
    const env = { CASES_TABLE_NAME: 'ab', LEDGER_TABLE_NAME: 'ledger', STATE_MACHINE_ARN: 'secret-value' };

    // Act
    const parse = () => parseEnv(ReplanEnvSchema, env);

    // Assert
    expect(parse).toThrow(
      new Error(
        'invalid environment: CASES_TABLE_NAME: Too small: expected string to have >=3 characters; ' +
          'POLICY_ID: Invalid input: expected "sct"; ' +
          'STATE_MACHINE_ARN: Invalid string: must start with "arn:"',
      ),
    );
  });

  it('keeps the variables of the schema and drops the others', () => {
    // Arrange
    const env = { CASES_TABLE_NAME: 'cases', LEDGER_TABLE_NAME: 'ledger', CONTROL_TABLE_NAME: 'control' };

    // Act
    const parsed = parseEnv(MailEventsEnvSchema, env);

    // Assert
    expect(parsed).toEqual({ CASES_TABLE_NAME: 'cases', LEDGER_TABLE_NAME: 'ledger' });
  });

  it('reports a missing variable as missing', () => {
    // Act
    const parse = () => parseEnv(MailEventsEnvSchema, { CASES_TABLE_NAME: 'cases' });

    // Assert
    expect(parse).toThrow('LEDGER_TABLE_NAME: Invalid input: expected string, received undefined');
  });

  it('checks the extended environments field by field', () => {
    // Act
    const parse = () =>
      parseEnv(WorkflowTasksEnvSchema, {
        CASES_TABLE_NAME: 'cases',
        LEDGER_TABLE_NAME: 'ledger',
        CONTROL_TABLE_NAME: 'control',
        SENDER_ADDRESS: 'noreply@example.org',
        STATE_MACHINE_ARN: 'arn:aws:states:ca-central-1:1:stateMachine:x',
        STAFF_TABLE_NAME: 'staff',
        STAFF_BASE_URL: 'not a url',
        INTAKE_MAIL_DOMAIN: 'Mail.Example.ORG',
        POLICY_ID: 'sct',
        LETTERS_BUCKET_NAME: 'letters',
      });

    // Assert
    expect(parse).toThrow(new Error('invalid environment: STAFF_BASE_URL: Invalid URL'));
  });
});

describe('IntakeMailDomainSchema', () => {
  it('reads the domain in lower case', () => {
    expect(IntakeMailDomainSchema.parse('Mail.Example.ORG')).toBe('mail.example.org');
  });

  it('refuses a text that is not a domain name', () => {
    expect(IntakeMailDomainSchema.safeParse('example').success).toBe(false);
  });
});
