import * as errors from '../../shared/errors';
import { CASE_LIFECYCLE_SUBSTITUTIONS, readCaseLifecycleDefinition } from '../../statemachines/definition';

// asl-validator ships no type declarations.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const validate = require('asl-validator') as (definition: unknown) => { isValid: boolean; errors: unknown[] };

type State = {
  Type: string;
  Next?: string;
  Default?: string;
  End?: boolean;
  Choices?: { Next: string }[];
  Catch?: { ErrorEquals: string[]; Next: string }[];
  Retry?: { ErrorEquals: string[]; MaxAttempts?: number }[];
  TimestampPath?: string;
  OutputPath?: string;
  Parameters?: { Payload?: Record<string, unknown> };
};

const source = readCaseLifecycleDefinition();
const definition = JSON.parse(source) as { StartAt: string; States: Record<string, State> };
const states = definition.States;

describe('statemachines/case-lifecycle.asl.json', () => {
  it('is valid Amazon States Language', () => {
    const result = validate(JSON.parse(source));
    expect(result.errors).toEqual([]);
    expect(result.isValid).toBe(true);
  });

  it('uses exactly the declared substitutions, each at least once', () => {
    const used = new Set([...source.matchAll(/\$\{([A-Za-z0-9]+)\}/g)].map((m) => m[1]));
    expect([...used].sort()).toEqual([...CASE_LIFECYCLE_SUBSTITUTIONS].sort());
  });

  it('every transition target exists and every state is reachable', () => {
    const names = new Set(Object.keys(states));
    const targets = (state: State) => [
      ...(state.Next ? [state.Next] : []),
      ...(state.Default ? [state.Default] : []),
      ...(state.Choices ?? []).map((c) => c.Next),
      ...(state.Catch ?? []).map((c) => c.Next),
    ];
    for (const [name, state] of Object.entries(states)) {
      for (const target of targets(state))
        expect({ from: name, to: target, exists: names.has(target) }).toEqual({
          from: name,
          to: target,
          exists: true,
        });
    }
    const reached = new Set<string>([definition.StartAt]);
    const queue = [definition.StartAt];
    while (queue.length > 0) {
      const state = states[queue.shift() as string];
      for (const target of state ? targets(state) : []) {
        if (reached.has(target)) continue;
        reached.add(target);
        queue.push(target);
      }
    }
    expect([...names].filter((n) => !reached.has(n))).toEqual([]);
  });

  it('every Task retries transient errors and catches everything', () => {
    const tasks = Object.entries(states).filter(([, s]) => s.Type === 'Task');
    expect(tasks.length).toBeGreaterThan(5);
    for (const [name, task] of tasks) {
      expect({ name, retries: (task.Retry ?? []).length > 0 }).toEqual({ name, retries: true });
      expect({
        name,
        catchesAll: (task.Catch ?? []).some((c) => c.ErrorEquals.includes('States.ALL')),
      }).toEqual({ name, catchesAll: true });
    }
  });

  it('every Task retries the Lambda service errors AWS documents and a function that timed out or crashed', () => {
    // Step Functions' "Handle Lambda service exceptions" best practice, plus Lambda.TooManyRequestsException
    // (throttling), what current runtimes report for a function timeout or crash (`Sandbox.Timedout`,
    // `Runtime.ExitError`; older ones `Lambda.Unknown`) and the Task's own `TimeoutSeconds` (`States.Timeout`).
    const required = [
      'Lambda.ServiceException',
      'Lambda.AWSLambdaException',
      'Lambda.SdkClientException',
      'Lambda.ClientExecutionTimeoutException',
      'Lambda.TooManyRequestsException',
      'Lambda.Unknown',
      'Sandbox.Timedout',
      'Runtime.ExitError',
      'States.Timeout',
    ];
    const tasks = Object.entries(states).filter(([, s]) => s.Type === 'Task');
    for (const [name, task] of tasks) {
      const retried = (task.Retry ?? [])
        .filter((r) => (r.MaxAttempts ?? 3) >= 2)
        .flatMap((r) => r.ErrorEquals);
      expect({ name, missing: required.filter((e) => !retried.includes(e)) }).toEqual({ name, missing: [] });
    }
  });

  it('names only errors that exist in shared/errors.ts (besides the States, Lambda, Sandbox and Runtime ones)', () => {
    const named = new Set<string>();
    for (const state of Object.values(states)) {
      for (const rule of [...(state.Retry ?? []), ...(state.Catch ?? [])])
        for (const e of rule.ErrorEquals) named.add(e);
    }
    const custom = [...named].filter(
      (e) => !['States.', 'Lambda.', 'Sandbox.', 'Runtime.'].some((prefix) => e.startsWith(prefix)),
    );
    expect(custom.length).toBeGreaterThan(0);
    // Error classes are exported under the name they carry (`class X { name = 'X' }`).
    const exported = new Set(Object.keys(errors));
    expect(custom.filter((e) => !exported.has(e))).toEqual([]);
  });

  it('every Wait waits for a timestamp chosen by a check, and wakes into the step it waited for, which checks first', () => {
    const waits = Object.entries(states).filter(([, s]) => s.Type === 'Wait');
    expect(waits.map(([n]) => n).sort()).toEqual([
      'WaitToRecheck',
      'WaitUntilAckStep',
      'WaitUntilAnswerStep',
      'WaitUntilClosingStep',
    ]);
    for (const [name, wait] of waits) {
      expect(wait.TimestampPath).toBe('$.check.waitUntil');
      expect(wait.Next).toBe(name === 'WaitToRecheck' ? 'CheckCase' : 'RouteStep');
    }
    // Woken: the step waited for, routed as when it is due. With nothing planned (an idle re-check), the wait
    // goes to the checkpoint.
    const reminder = { id: 'ack-reminder', kind: 'notify', notify: 'assignee', at: 'x' };
    expect(target('RouteStep', { phase: 'acknowledgement', due: false, step: reminder })).toBe(
      'SendAckReminder',
    );
    expect(target('RouteByPhase', { phase: 'acknowledgement', due: false, step: reminder })).toBe(
      'WaitUntilAckStep',
    );
    const none = { id: 'none', kind: 'none', notify: 'none', at: 'x' };
    for (const phase of ['acknowledgement', 'answer', 'closing']) {
      expect(target('RouteByPhase', { phase, due: false, step: none })).toBe('WaitToRecheck');
      expect(target('RouteStep', { phase, due: false, step: none })).toBe('CheckCase');
    }
  });

  it('every task that checks returns the checkpoint state and goes to the decision on it', () => {
    const checking = Object.entries(states).filter(([, s]) => s.Type === 'Task' && s.Next === 'RouteByPhase');
    expect(checking.map(([n]) => n).sort()).toEqual(
      [
        'CheckCase',
        'RouteAndNotify',
        'SendAckReminder',
        'EscalateMissingAck',
        'ApplyAckDeadlineAction',
        'SendAnswerReminder',
        'EscalateLateAnswer',
        'SendDelayNotice',
        'RouteDissatisfaction',
        'SendReviewReminder',
        'EscalateLateReview',
        'CloseCase',
      ].sort(),
    );
    for (const [name, task] of checking) {
      expect({ name, output: task.OutputPath }).toEqual({ name, output: '$.Payload' });
      const payload = task.Parameters?.Payload ?? {};
      expect({
        name,
        counters: [payload['generation.$'], payload['iterations.$'], payload['startedAt.$']],
      }).toEqual({ name, counters: ['$.generation', '$.iterations', '$.startedAt'] });
    }
  });

  it('a due step of a kind no Task handles is a failure, never a loop back to the checkpoint', () => {
    expect(
      target('RouteByPhase', { phase: 'answer', due: true, step: { id: 's', kind: 'unknown', at: 'x' } }),
    ).toBe('EscalateLateAnswer');
    expect(
      target('RouteByPhase', { phase: 'done-ish', due: true, step: { id: 's', kind: 'unknown', at: 'x' } }),
    ).toBe('UnexpectedCheck');
  });

  it('routes every step the plan makes to its Task, the review of a dissatisfied requester included', () => {
    const step = (kind: string, notify?: string) => ({
      id: 's',
      kind,
      at: 'x',
      ...(notify ? { notify } : {}),
    });
    const route = (check: object) => target('RouteByPhase', check);

    expect(route({ phase: 'closing', due: true, step: step('dissatisfaction', 'complaints-officer') })).toBe(
      'RouteDissatisfaction',
    );
    expect(route({ phase: 'closing', due: true, step: step('notify', 'complaints-officer') })).toBe(
      'SendReviewReminder',
    );
    expect(route({ phase: 'closing', due: true, step: step('notify', 'supervisor') })).toBe(
      'EscalateLateReview',
    );
    expect(route({ phase: 'closing', due: true, step: step('notify', 'director') })).toBe(
      'EscalateLateReview',
    );
    expect(route({ phase: 'closing', due: true, step: step('close') })).toBe('CloseCase');
    expect(route({ phase: 'answer', due: true, step: step('notify', 'assignee') })).toBe(
      'SendAnswerReminder',
    );
    expect(route({ phase: 'answer', due: false, waitUntil: 'x', step: step('notify', 'assignee') })).toBe(
      'WaitUntilAnswerStep',
    );
    for (const name of ['SendReviewReminder', 'EscalateLateReview']) {
      expect(states[name]?.Type).toBe('Task');
      expect(states[name]?.Next).toBe('RouteByPhase');
    }
  });
});

/** Where a check leads from the Choice state `from`, through any Choice states it reaches, to the first other state. */
function target(from: string, check: object): string {
  let name = from;
  for (let hops = 0; states[name]?.Type === 'Choice'; hops++) {
    if (hops > 5) throw new Error(`Choice states loop from ${from}`);
    const choice = states[name] as unknown as { Choices: ChoiceRule[]; Default: string };
    name = choice.Choices.find((rule) => matches(rule, { check }))?.Next ?? choice.Default;
  }
  return name;
}

/** A Choice rule of the subset the definition uses. */
type ChoiceRule = {
  Next?: string;
  Variable?: string;
  StringEquals?: string;
  BooleanEquals?: boolean;
  IsPresent?: boolean;
  And?: ChoiceRule[];
  Or?: ChoiceRule[];
};

/** Evaluates a Choice rule on an input, for the JSONPath subset `$.a.b.c` and the operators above. */
function matches(rule: ChoiceRule, input: object): boolean {
  if (rule.And) return rule.And.every((r) => matches(r, input));
  if (rule.Or) return rule.Or.some((r) => matches(r, input));
  const path = (rule.Variable ?? '$')
    .replace(/^\$\.?/, '')
    .split('.')
    .filter(Boolean);
  let value: unknown = input;
  for (const key of path) value = (value as Record<string, unknown> | undefined)?.[key];
  if (rule.IsPresent !== undefined) return (value !== undefined) === rule.IsPresent;
  if (rule.StringEquals !== undefined) return value === rule.StringEquals;
  if (rule.BooleanEquals !== undefined) return value === rule.BooleanEquals;
  throw new Error(`unsupported Choice rule ${JSON.stringify(rule)}`);
}
