/**
 * Counts the distinct members of a bucket: the cases that asked for an automatic receipt to one address on one
 * day, the messages one sender sent in one window. Buckets and members are opaque keys (hashes, never an
 * address).
 */
export interface RateCounter {
  /**
   * Records `member` in `bucket` unless it is there, and returns its 1-based rank among the bucket's members.
   * The same member gets the same rank every time (a retried step or a redelivered message counts once);
   * concurrent calls for different members get different ranks, so exactly `limit` members rank `<= limit`.
   * A store may stop recording members past a rank above every limit a policy can state (the DynamoDB
   * counter: 1,000): past it each call gets a new, higher rank, so a member asked again there still ranks
   * above the limit. `expiresAt` lets the store forget the bucket afterwards (DynamoDB TTL); nothing relies
   * on it.
   *
   * @throws StoreError (StoreUnavailableError when retrying may help).
   */
  rank(bucket: string, member: string, expiresAt: Date): Promise<number>;
}

/** A counter in memory (tests, and the in-memory local stack). */
export class InMemoryRateCounter implements RateCounter {
  private readonly buckets = new Map<string, Map<string, number>>();

  rank(bucket: string, member: string): Promise<number> {
    let members = this.buckets.get(bucket);
    if (members === undefined) {
      members = new Map();
      this.buckets.set(bucket, members);
    }
    let rank = members.get(member);
    if (rank === undefined) {
      rank = members.size + 1;
      members.set(member, rank);
    }
    return Promise.resolve(rank);
  }
}
