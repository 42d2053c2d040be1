import { addressKey, automaticReplyLimits } from '../../messaging/automatic-replies';
import type { RateCounter } from '../../messaging/rate-counter';
import type { Policy } from '../../policy/schema';
import type { HoldDecision, Sender } from './classify';

/**
 * Whether a new request is part of a flood: its sender already sent `automaticReplies.flood.messages` new
 * requests in the same window of `windowMinutes` (fixed windows from the epoch, on the mail server's receipt
 * time). Each message counts once (by its fingerprint), so a redelivered message gets the same answer; the
 * count is shared by every intake running at once (`RateCounter`). A flood is held for triage (`flood`):
 * nobody gets a case or an automatic reply from it unless staff register it. Senders are counted by address,
 * case-insensitively; the counter keeps a hash of it, never the address.
 */
export async function floodDecision(
  counter: RateCounter,
  policy: Policy,
  sender: Sender,
  messageHash: string,
  receivedAt: string,
): Promise<HoldDecision | undefined> {
  const { messages, windowMinutes } = automaticReplyLimits(policy).flood;
  const windowMs = windowMinutes * 60 * 1000;
  const start = Math.floor(Date.parse(receivedAt) / windowMs) * windowMs;
  const rank = await counter.rank(
    `flood#${windowMinutes}#${start}#${addressKey(sender.address)}`,
    messageHash,
    new Date(start + 2 * windowMs),
  );
  return rank > messages ? { route: 'hold', kind: 'flood', detail: 'sender-flood' } : undefined;
}
