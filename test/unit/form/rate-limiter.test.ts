import { TokenBucketRateLimiter } from '../../../shared/domain/intake/form/rate-limiter';
import { FixedClock } from './fixtures';

const T0 = '2026-12-18T15:00:00.000Z';
const at = (seconds: number) => new Date(Date.parse(T0) + seconds * 1000).toISOString();

describe('TokenBucketRateLimiter', () => {
  it('allows a burst of `capacity`, then refuses with the seconds until the next token', () => {
    const clock = new FixedClock(T0);
    const limiter = new TokenBucketRateLimiter({ capacity: 3, refillPerSecond: 1 / 60, clock });

    const decisions = Array.from({ length: 4 }, () => limiter.take('203.0.113.7'));

    expect(decisions.slice(0, 3)).toEqual([{ allowed: true }, { allowed: true }, { allowed: true }]);
    expect(decisions[3]).toEqual({ allowed: false, retryAfterSeconds: 60 });
  });

  it('gives tokens back over time, never more than the capacity, and refusals take none', () => {
    const clock = new FixedClock(T0);
    const limiter = new TokenBucketRateLimiter({ capacity: 2, refillPerSecond: 1 / 60, clock });
    limiter.take('a');
    limiter.take('a');

    clock.set(at(30));
    expect(limiter.take('a')).toEqual({ allowed: false, retryAfterSeconds: 30 });
    clock.set(at(60));
    expect(limiter.take('a')).toEqual({ allowed: true });
    clock.set(at(3600));
    expect([limiter.take('a'), limiter.take('a'), limiter.take('a')].map((d) => d.allowed)).toEqual([
      true,
      true,
      false,
    ]);
  });

  it('keeps one bucket per client', () => {
    const clock = new FixedClock(T0);
    const limiter = new TokenBucketRateLimiter({ capacity: 1, refillPerSecond: 1 / 60, clock });
    expect(limiter.take('a').allowed).toBe(true);
    expect(limiter.take('a').allowed).toBe(false);
    expect(limiter.take('b').allowed).toBe(true);
  });

  it('a clock that goes back gives no tokens', () => {
    const clock = new FixedClock(at(600));
    const limiter = new TokenBucketRateLimiter({ capacity: 1, refillPerSecond: 1, clock });
    limiter.take('a');
    clock.set(T0);
    expect(limiter.take('a').allowed).toBe(false);
  });

  it('remembers at most `maxClients`, forgetting idle then least recent clients first', () => {
    const clock = new FixedClock(T0);
    const limiter = new TokenBucketRateLimiter({
      capacity: 1,
      refillPerSecond: 1 / 3600,
      maxClients: 2,
      clock,
    });
    limiter.take('a');
    limiter.take('b');
    limiter.take('c');
    // `a` was the least recent and is forgotten: it starts again with a full bucket; `c` is still empty.
    expect(limiter.take('a').allowed).toBe(true);
    expect(limiter.take('c').allowed).toBe(false);
  });

  it('refuses a bucket that could never allow anything', () => {
    const clock = new FixedClock(T0);
    expect(() => new TokenBucketRateLimiter({ capacity: 0, refillPerSecond: 1, clock })).toThrow(RangeError);
    expect(() => new TokenBucketRateLimiter({ capacity: 1, refillPerSecond: 0, clock })).toThrow(RangeError);
  });
});
