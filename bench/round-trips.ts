import { observeRequests } from './observed-requests';

/** One request this process sent: the port it went to, its `x-amz-target`, when it started and ended. */
export interface TimedRequest {
  readonly port: number;
  readonly target: string;
  /** Real milliseconds (`performance.now()`) when the request was created. */
  readonly start: number;
  /** When its response ended (`Infinity` while it is still open). */
  readonly end: number;
}

/**
 * The sequential round trips among `requests`: they are taken in order of start, and a request starting
 * before every request of the current round trip has ended joins it (it ran in parallel with them), while
 * one starting after they all ended begins the next. So two reads in a `Promise.all` are one round trip, a
 * read then a write are two. Zero for no request.
 */
export function sequentialRoundTrips(requests: readonly Pick<TimedRequest, 'start' | 'end'>[]): number {
  const sorted = [...requests].sort((a, b) => a.start - b.start);
  let trips = 0;
  let groupEnd = -Infinity;
  for (const request of sorted) {
    if (request.start >= groupEnd) {
      trips += 1;
      groupEnd = request.end;
    } else {
      groupEnd = Math.max(groupEnd, request.end);
    }
  }
  return trips;
}

/**
 * Records every request this process sends (the SDK clients of the handlers: DynamoDB, Step Functions) with its
 * start and end (`observeRequests`), leaving out those sent while `skip()` is true (it runs in the sender's async
 * context).
 */
export class ClientRequestTimeline {
  readonly #open = new Map<object, { port: number; target: string; start: number }>();
  readonly #done: TimedRequest[] = [];
  readonly #stop = observeRequests({
    start: ({ key, port, target }) => {
      if (this.skip()) return;
      this.#open.set(key, { port, target, start: performance.now() });
    },
    finish: ({ key }) => {
      const open = this.#open.get(key);
      if (open === undefined) return;
      this.#open.delete(key);
      this.#done.push({ ...open, end: performance.now() });
    },
  });

  constructor(private readonly skip: () => boolean = () => false) {}

  /** The requests recorded since the timeline started or was last reset, finished or not. */
  requests(): TimedRequest[] {
    return [...this.#done, ...[...this.#open.values()].map((open) => ({ ...open, end: Infinity }))];
  }

  reset(): void {
    this.#open.clear();
    this.#done.length = 0;
  }

  stop(): void {
    this.#stop();
  }
}

/**
 * The DynamoDB round trips of one submission before its 201: the sequential round trips (see
 * `sequentialRoundTrips`) among the requests sent to DynamoDB (`dynamodbPort`) from the submission's start
 * (`submittedAt`) until its response (`answeredAt`); `requests` must hold only the submission's own (the
 * workflow it starts runs apart, see `markLocalExecutions`). `withStartExecution` counts the Step Functions
 * `StartExecution` requests of that time among them: one more when the workflow starts after the last DynamoDB
 * round trip, none when it starts beside one.
 */
export function dynamoRoundTripsBefore(
  requests: readonly TimedRequest[],
  dynamodbPort: number,
  submittedAt: number,
  answeredAt: number,
): { roundTrips: number; requests: number; withStartExecution: number } {
  const during = requests.filter((request) => request.start >= submittedAt && request.start < answeredAt);
  const dynamodb = during.filter((request) => request.port === dynamodbPort);
  const starts = during.filter((request) => request.target.endsWith('.StartExecution'));
  return {
    roundTrips: sequentialRoundTrips(dynamodb),
    requests: dynamodb.length,
    withStartExecution: sequentialRoundTrips([...dynamodb, ...starts]),
  };
}
