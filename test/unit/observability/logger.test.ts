import type { Context } from 'aws-lambda';
import { createLogger, withLambdaContext } from '../../../shared/adapters/observability/logger';

function lambdaContext(awsRequestId: string): Context {
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: 'jalon-test-form-intake',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:ca-central-1:123456789012:function:jalon-test-form-intake',
    memoryLimitInMB: '512',
    awsRequestId,
    logGroupName: '/jalon/test/lambda/form-intake',
    logStreamName: '2026/12/07/[$LATEST]0123',
    getRemainingTimeInMillis: () => 10_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

/**
 * The JSON lines logged while `run` runs. The logger must be created inside `run`: Powertools' console holds
 * on to the output streams' `write` when it is built.
 */
async function logLines(run: () => Promise<void>): Promise<Record<string, unknown>[]> {
  const written: string[] = [];
  const capture = (chunk: string | Uint8Array): boolean => {
    written.push(chunk.toString());
    return true;
  };
  const spies = [
    jest.spyOn(process.stdout, 'write').mockImplementation(capture),
    jest.spyOn(process.stderr, 'write').mockImplementation(capture),
  ];
  try {
    await run();
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
  return written
    .join('')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('withLambdaContext', () => {
  it('puts the invocation context on every line logged during the invocation', async () => {
    // Arrange, Act
    let result: string | undefined;
    const lines = await logLines(async () => {
      const logger = createLogger('form-intake');
      const handler = withLambdaContext(logger, async (event: { caseId: string }) => {
        logger.info('case registered', { caseId: event.caseId });
        return event.caseId;
      });
      result = await handler({ caseId: 'case-1' }, lambdaContext('request-1'));
    });

    // Assert
    expect(result).toBe('case-1');
    expect(lines).toEqual([
      expect.objectContaining({
        message: 'case registered',
        caseId: 'case-1',
        service: 'form-intake',
        function_request_id: 'request-1',
        function_name: 'jalon-test-form-intake',
      }),
    ]);
  });

  it('gives each invocation its own request id', async () => {
    // Arrange, Act
    const lines = await logLines(async () => {
      const logger = createLogger('form-intake');
      const handler = withLambdaContext(logger, async () => {
        logger.warn('projection write failed');
      });
      await handler(undefined, lambdaContext('request-1'));
      await handler(undefined, lambdaContext('request-2'));
    });

    // Assert
    expect(lines.map((line) => line['function_request_id'])).toEqual(['request-1', 'request-2']);
  });
});
