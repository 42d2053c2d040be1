import { dynamoRoundTripsBefore, sequentialRoundTrips } from '../../../bench/round-trips';
import type { TimedRequest } from '../../../bench/round-trips';

const DYNAMODB = 4567;
const HTTP = 8080;
const at = (
  start: number,
  end: number,
  port = DYNAMODB,
  target = 'DynamoDB_20120810.GetItem',
): TimedRequest => ({
  port,
  target,
  start,
  end,
});

describe('sequential round trips', () => {
  it('counts requests made one after another each, and requests in parallel once', () => {
    expect(sequentialRoundTrips([])).toBe(0);
    expect(sequentialRoundTrips([at(0, 2), at(2, 4), at(5, 6)])).toBe(3);
    expect(sequentialRoundTrips([at(0, 2), at(1, 3), at(0.5, 1)])).toBe(1);
    // A read, then two writes in parallel (the second starts before the first ends), then a read.
    expect(sequentialRoundTrips([at(10, 12), at(0, 1), at(3, 5), at(4, 8), at(7.5, 9)])).toBe(3);
  });

  it('keeps a request still open in the round trip it started in', () => {
    expect(sequentialRoundTrips([at(0, Infinity), at(1, 2), at(3, 4)])).toBe(1);
  });
});

describe('DynamoDB round trips before the 201', () => {
  const startExecution = at(20, 22, HTTP, 'AWSStepFunctions.StartExecution');

  it('counts the DynamoDB requests of the submission until its response, StartExecution apart', () => {
    const requests = [
      at(-5, -1), // before the submission (another case's workflow)
      at(0, 0, HTTP, ''), // the form request itself, on the local API
      at(1, 3),
      at(4, 6),
      at(5, 7),
      at(8, 9),
      startExecution,
      at(24, 25), // after the workflow started, before the response
      at(31, 32), // after the response
    ];

    expect(dynamoRoundTripsBefore(requests, DYNAMODB, 0, 30)).toEqual({
      roundTrips: 4,
      requests: 5,
      withStartExecution: 5,
    });
  });

  it('counts a StartExecution beside a DynamoDB round trip in that round trip', () => {
    const requests = [at(1, 3), at(4, 6), at(7, 12), { ...startExecution, start: 7.5, end: 11 }];

    expect(dynamoRoundTripsBefore(requests, DYNAMODB, 0, 30)).toEqual({
      roundTrips: 3,
      requests: 3,
      withStartExecution: 3,
    });
  });
});
