import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

import type { ActivityTracker } from '../clock/activity-tracker';
import type { LocalStepFunctions } from './engine';
import { SfnApiError } from './errors';

export interface SfnRequestHandlerOptions {
  /** Each request is tracked while it is handled, so a virtual clock does not advance under it. */
  readonly activity?: ActivityTracker;
}

type Action = (engine: LocalStepFunctions, body: Record<string, unknown>) => Promise<unknown>;

const ACTIONS: Readonly<Record<string, Action>> = {
  StartExecution: (engine, body) =>
    engine.startExecution({
      stateMachineArn: text(body, 'stateMachineArn'),
      ...optionalText(body, 'name'),
      // The SDK sends input as JSON text; absent means `{}`, as in AWS.
      ...(typeof body['input'] === 'string' ? { input: body['input'] } : {}),
    }),
  DescribeExecution: (engine, body) => engine.describeExecution({ executionArn: text(body, 'executionArn') }),
  ListExecutions: (engine, body) =>
    engine.listExecutions({
      stateMachineArn: text(body, 'stateMachineArn'),
      ...(typeof body['statusFilter'] === 'string'
        ? {
            statusFilter: body['statusFilter'] as
              'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED',
          }
        : {}),
      ...optionalNumber(body, 'maxResults'),
      ...optionalText(body, 'nextToken'),
    }),
  StopExecution: (engine, body) =>
    engine.stopExecution({
      executionArn: text(body, 'executionArn'),
      ...optionalText(body, 'error'),
      ...optionalText(body, 'cause'),
    }),
  GetExecutionHistory: (engine, body) =>
    engine.getExecutionHistory({
      executionArn: text(body, 'executionArn'),
      ...(typeof body['reverseOrder'] === 'boolean' ? { reverseOrder: body['reverseOrder'] } : {}),
      ...(typeof body['includeExecutionData'] === 'boolean'
        ? { includeExecutionData: body['includeExecutionData'] }
        : {}),
      ...optionalNumber(body, 'maxResults'),
      ...optionalText(body, 'nextToken'),
    }),
};

/**
 * A `node:http` request handler speaking the Step Functions wire protocol (AWS JSON 1.0: `POST /` with
 * `X-Amz-Target: AWSStepFunctions.<Action>`) for `StartExecution`, `DescribeExecution`, `ListExecutions`,
 * `StopExecution` and `GetExecutionHistory`, so `@aws-sdk/client-sfn` works against the local engine with
 * an endpoint override (any region, dummy credentials: signatures are not checked). Timestamps go out as
 * epoch seconds, errors as HTTP 400 with `{"__type": "<ErrorName>", "message"}`, which the SDK turns into
 * its typed exceptions (`ExecutionAlreadyExists`…). Anything unexpected is a 500 `InternalFailure` whose
 * message says nothing about internals.
 */
export function createSfnRequestHandler(
  engine: LocalStepFunctions,
  options: SfnRequestHandlerOptions = {},
): (request: IncomingMessage, response: ServerResponse) => void {
  return (request, response) => {
    const end = options.activity?.begin(`sfn ${request.headers['x-amz-target'] ?? request.url ?? ''}`);
    handle(engine, request)
      .then(
        ({ status, body }) => send(response, status, body),
        () =>
          send(response, 500, { __type: 'InternalFailure', message: 'The local Step Functions API failed.' }),
      )
      .finally(() => end?.())
      .catch(() => undefined);
  };
}

async function handle(
  engine: LocalStepFunctions,
  request: IncomingMessage,
): Promise<{ status: number; body: unknown }> {
  const raw = await readBody(request);
  const target = String(request.headers['x-amz-target'] ?? '');
  const actionName = target.startsWith('AWSStepFunctions.') ? target.slice('AWSStepFunctions.'.length) : '';
  const action = ACTIONS[actionName];
  try {
    if (request.method !== 'POST' || !action) {
      throw new SfnApiError(
        'UnknownOperationException',
        `Unsupported operation: ${target || request.method}`,
      );
    }
    let body: unknown;
    try {
      body = raw === '' ? {} : JSON.parse(raw);
    } catch {
      throw new SfnApiError('ValidationException', 'The request body is not JSON.');
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw new SfnApiError('ValidationException', 'The request body must be a JSON object.');
    }
    return { status: 200, body: toWire(await action(engine, body as Record<string, unknown>)) };
  } catch (error) {
    if (error instanceof SfnApiError)
      return { status: 400, body: { __type: error.name, message: error.message } };
    throw error;
  }
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function send(response: ServerResponse, status: number, body: unknown): void {
  const payload = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/x-amz-json-1.0',
    'content-length': Buffer.byteLength(payload),
    'x-amzn-requestid': randomUUID(),
  });
  response.end(payload);
}

/** Dates become epoch seconds (the JSON protocol's timestamp format); `undefined` members are dropped. */
function toWire(value: unknown): unknown {
  if (value instanceof Date || (typeof value === 'object' && value !== null && 'toISOString' in value)) {
    return (value as Date).getTime() / 1000;
  }
  if (Array.isArray(value)) return value.map(toWire);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, member]) => member !== undefined)
        .map(([key, member]) => [key, toWire(member)]),
    );
  }
  return value;
}

function text(body: Record<string, unknown>, key: string): string {
  const value = body[key];
  if (typeof value !== 'string' || value === '') {
    throw new SfnApiError('ValidationException', `${key} is required.`);
  }
  return value;
}

function optionalText<K extends string>(body: Record<string, unknown>, key: K): { [P in K]?: string } {
  const value = body[key];
  return (typeof value === 'string' ? { [key]: value } : {}) as { [P in K]?: string };
}

function optionalNumber<K extends string>(body: Record<string, unknown>, key: K): { [P in K]?: number } {
  const value = body[key];
  return (typeof value === 'number' ? { [key]: value } : {}) as { [P in K]?: number };
}
