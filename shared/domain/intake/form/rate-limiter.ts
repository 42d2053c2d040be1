import type { Clock } from '../../messaging/ports';

/** What a rate limiter says about one more request from a client. */
export type RateDecision =
  { readonly allowed: true } | { readonly allowed: false; readonly retryAfterSeconds: number };

/** Decides whether a client (a source IP address) may submit again now. */
export interface RateLimiter {
  take(clientKey: string): RateDecision;
}

export interface TokenBucketOptions {
  /** Submissions a client may make in a burst. */
  readonly capacity: number;
  /** Tokens given back per second (e.g. 1/60: one more submission per minute). */
  readonly refillPerSecond: number;
  /** Clients remembered at most; beyond it the idle ones, then the oldest, are forgotten (memory stays bounded). */
  readonly maxClients?: number;
  readonly clock: Clock;
}

/** Defaults for the local stack: a burst of 5 submissions, then one a minute (a person sends a few a day). */
export const LOCAL_FORM_RATE_LIMIT = { capacity: 5, refillPerSecond: 1 / 60 } as const;

interface Bucket {
  tokens: number;
  updatedMs: number;
}

/**
 * A token bucket per client, in memory. Each submission takes one token; tokens come back at
 * `refillPerSecond` up to `capacity`. A refused submission takes nothing and is told how many whole seconds
 * until a token is back (`Retry-After`). Used where nothing sits in front of the API (the local stack); in AWS
 * the WAF rate-based rule does this job across every Lambda container, which an in-memory bucket cannot.
 */
export class TokenBucketRateLimiter implements RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly maxClients: number;

  constructor(private readonly options: TokenBucketOptions) {
    if (!(options.capacity >= 1) || !(options.refillPerSecond > 0)) {
      throw new RangeError('a token bucket needs a capacity of at least 1 and a positive refill rate');
    }
    this.maxClients = options.maxClients ?? 10_000;
  }

  take(clientKey: string): RateDecision {
    const nowMs = this.options.clock.now().getTime();
    const bucket = this.refilled(clientKey, nowMs);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      this.remember(clientKey, bucket, nowMs);
      return { allowed: true };
    }
    this.remember(clientKey, bucket, nowMs);
    const retryAfterSeconds = Math.max(1, Math.ceil((1 - bucket.tokens) / this.options.refillPerSecond));
    return { allowed: false, retryAfterSeconds };
  }

  private refilled(clientKey: string, nowMs: number): Bucket {
    const bucket = this.buckets.get(clientKey);
    if (bucket === undefined) return { tokens: this.options.capacity, updatedMs: nowMs };
    // A clock that goes back never hands out tokens.
    const elapsedSeconds = Math.max(0, nowMs - bucket.updatedMs) / 1000;
    return {
      tokens: Math.min(this.options.capacity, bucket.tokens + elapsedSeconds * this.options.refillPerSecond),
      updatedMs: Math.max(nowMs, bucket.updatedMs),
    };
  }

  private remember(clientKey: string, bucket: Bucket, nowMs: number): void {
    this.buckets.delete(clientKey);
    this.buckets.set(clientKey, bucket);
    if (this.buckets.size <= this.maxClients) return;
    // Forget the clients whose bucket is full again (forgetting them changes nothing), then the least recent.
    for (const [key, candidate] of this.buckets) {
      if (this.buckets.size <= this.maxClients) return;
      if (this.refilledTokens(candidate, nowMs) >= this.options.capacity) this.buckets.delete(key);
    }
    for (const key of this.buckets.keys()) {
      if (this.buckets.size <= this.maxClients) return;
      this.buckets.delete(key);
    }
  }

  private refilledTokens(bucket: Bucket, nowMs: number): number {
    return bucket.tokens + (Math.max(0, nowMs - bucket.updatedMs) / 1000) * this.options.refillPerSecond;
  }
}
