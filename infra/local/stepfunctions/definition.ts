import { SfnApiError } from './errors';

/** A JSON object as read from an ASL file. */
export type JsonObject = { [key: string]: unknown };

/** One state, wherever it sits (top level, a Parallel branch, a Map processor). */
export interface StateEntry {
  readonly name: string;
  readonly state: JsonObject;
}

/**
 * How a Task state is invoked, which decides both what its local handler receives and which events the
 * history records for it (the shapes AWS uses for each form).
 * - `lambda-invoke`: `arn:aws:states:::lambda:invoke` (the optimized integration). The handler gets
 *   `Parameters.Payload`; the state's result is the Lambda `Invoke` response (`{Payload, StatusCode, …}`).
 *   History: `TaskScheduled`/`TaskStarted`/`TaskSucceeded`|`TaskFailed`|`TaskTimedOut`.
 * - `lambda-function`: a function ARN as the resource. The handler gets the state's effective input and its
 *   result is the state's result. History: `LambdaFunctionScheduled`/`LambdaFunctionStarted`/….
 * - `service`: any other `arn:aws:states:::service:action` integration, run by its local handler like a
 *   Lambda invoke without the envelope (input in, result out). History: the `Task*` events.
 */
export interface TaskBinding {
  readonly kind: 'lambda-invoke' | 'lambda-function' | 'service';
  readonly resource: string;
  /** `resourceType` and `resource` as the `Task*` history events name them (`lambda`, `invoke`). */
  readonly eventResourceType: string;
  readonly eventResource: string;
  readonly timeoutSeconds?: number;
}

const SUBSTITUTION = /\$\{([A-Za-z0-9_]+)\}/g;
const SERVICE_INTEGRATION = /^arn:aws[a-z-]*:states:::(.+):([^:]+)$/;
const LAMBDA_FUNCTION =
  /^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9_-]+(:[A-Za-z0-9_$-]+)?$/;

/** Reads a definition given as an object or as ASL text, always returning a fresh JSON copy. */
export function parseDefinition(definition: object | string): JsonObject {
  let parsed: unknown;
  try {
    parsed = typeof definition === 'string' ? JSON.parse(definition) : JSON.parse(JSON.stringify(definition));
  } catch (error) {
    throw new SfnApiError('InvalidDefinition', `The definition is not JSON: ${(error as Error).message}`);
  }
  if (!isObject(parsed) || typeof parsed['StartAt'] !== 'string' || !isObject(parsed['States'])) {
    throw new SfnApiError('InvalidDefinition', 'The definition needs a StartAt string and a States object.');
  }
  return parsed;
}

/**
 * Replaces `${Name}` placeholders in every string of the definition (keys included), as CloudFormation's
 * `DefinitionSubstitutions` do. A placeholder missing from `substitutions` whose name ends in `Arn` gets a
 * local fake Lambda function ARN built by `fakeArn` (`${CheckCaseFunctionArn}` →
 * `arn:aws:lambda:…:function:CheckCaseFunction`); any other missing one is an `InvalidDefinition`, because
 * guessing a table name or a URL would hide a wiring mistake.
 */
export function applySubstitutions(
  definition: JsonObject,
  substitutions: Readonly<Record<string, string>>,
  fakeArn: (name: string) => string,
): JsonObject {
  const missing = new Set<string>();
  const replace = (text: string): string =>
    text.replace(SUBSTITUTION, (_match, name: string) => {
      const given = substitutions[name];
      if (given !== undefined) return given;
      if (name.endsWith('Arn')) return fakeArn(name);
      missing.add(name);
      return `\${${name}}`;
    });
  const walk = (value: unknown): unknown => {
    if (typeof value === 'string') return replace(value);
    if (Array.isArray(value)) return value.map(walk);
    if (isObject(value))
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [replace(k), walk(v)]));
    return value;
  };
  const result = walk(definition) as JsonObject;
  if (missing.size > 0) {
    throw new SfnApiError(
      'InvalidDefinition',
      `No value for the definition substitution(s): ${[...missing].sort().join(', ')}.`,
    );
  }
  return result;
}

/** Every state of the definition, nested ones (Parallel branches, Map processors) included. */
export function allStates(definition: JsonObject): StateEntry[] {
  const entries: StateEntry[] = [];
  const visit = (machine: unknown): void => {
    if (!isObject(machine) || !isObject(machine['States'])) return;
    for (const [name, state] of Object.entries(machine['States'])) {
      if (!isObject(state)) continue;
      entries.push({ name, state });
      if (Array.isArray(state['Branches'])) state['Branches'].forEach(visit);
      visit(state['ItemProcessor']);
      visit(state['Iterator']);
    }
  };
  visit(definition);
  return entries;
}

/** Classifies a Task state's resource; integrations that need task tokens or `.sync` are refused. */
export function bindTask(stateName: string, state: JsonObject): TaskBinding {
  const resource = state['Resource'];
  if (typeof resource !== 'string') {
    throw new SfnApiError('InvalidDefinition', `Task state ${stateName} has no Resource.`);
  }
  const timeoutSeconds = typeof state['TimeoutSeconds'] === 'number' ? state['TimeoutSeconds'] : undefined;
  const withTimeout = timeoutSeconds === undefined ? {} : { timeoutSeconds };
  const integration = SERVICE_INTEGRATION.exec(resource);
  if (integration) {
    const service = integration[1] as string;
    const action = integration[2] as string;
    if (action.includes('.')) {
      throw new SfnApiError(
        'InvalidDefinition',
        `Task state ${stateName}: ${resource} (task token or .sync pattern) is not supported locally.`,
      );
    }
    const kind = service === 'lambda' && action === 'invoke' ? 'lambda-invoke' : 'service';
    return { kind, resource, eventResourceType: service, eventResource: action, ...withTimeout };
  }
  if (LAMBDA_FUNCTION.test(resource)) {
    return {
      kind: 'lambda-function',
      resource,
      eventResourceType: 'lambda',
      eventResource: resource,
      ...withTimeout,
    };
  }
  throw new SfnApiError('InvalidDefinition', `Task state ${stateName}: unsupported resource ${resource}.`);
}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
