import { automaticReceiptAllowed } from '../../../shared/domain/messaging/automatic-replies';
import { InMemoryRateCounter } from '../../../shared/domain/messaging/rate-counter';
import { InMemoryCaseLedger } from '../../../shared/domain/ledger/in-memory-ledger';
import type { Actor } from '../../../shared/domain/ledger/events';
import { loadSctPolicy } from '../../../shared/domain/policy/sct';
import { receivedDraft } from '../ledger/fixtures';

const policy = loadSctPolicy();
const LIMIT = policy.automaticReplies!.receiptsPerAddressPerDay;
const STAFF: Actor = { kind: 'staff', id: 'clerk-1', role: 'agent' };

function setup() {
  const ledger = new InMemoryCaseLedger();
  const deps = {
    ledger,
    rateCounter: new InMemoryRateCounter(),
    clock: { now: () => new Date('2026-03-03T15:00:00.000Z') },
    policy,
  };
  const decide = async (caseId: string) => {
    const projection = await ledger.getCase(caseId);
    return automaticReceiptAllowed(deps, projection!, 'notify:receipt');
  };
  return { ledger, decide };
}

describe('automaticReceiptAllowed', () => {
  it('allows the policy’s number of receipts per address and day, then withholds with the reason, once', async () => {
    const { ledger, decide } = setup();
    const decisions: boolean[] = [];
    for (let i = 0; i < LIMIT + 2; i += 1) {
      await ledger.append(`case-000${i}`, receivedDraft(), { idempotencyKey: 'intake:received' });
      decisions.push(await decide(`case-000${i}`));
    }

    expect(decisions).toEqual([...Array(LIMIT).fill(true), false, false]);
    expect(await decide(`case-000${LIMIT}`)).toBe(false);
    expect(await decide('case-0000')).toBe(true);
    const withheld = (await ledger.read(`case-000${LIMIT}`)).filter((e) => e.type === 'receipt.withheld');
    expect(withheld).toMatchObject([{ data: { reason: 'daily-limit', limit: LIMIT } }]);
  });

  it('does not count addresses staff entered', async () => {
    const { ledger, decide } = setup();
    const decisions: boolean[] = [];
    for (let i = 0; i < LIMIT + 2; i += 1) {
      await ledger.append(`case-000${i}`, { ...receivedDraft({ channel: 'mail' }), actor: STAFF });
      decisions.push(await decide(`case-000${i}`));
    }

    expect(decisions.every(Boolean)).toBe(true);
  });

  it('counts an email staff registered from the holding pen: its address is still the sender’s word', async () => {
    const { ledger, decide } = setup();
    const decisions: boolean[] = [];
    for (let i = 0; i < LIMIT + 1; i += 1) {
      await ledger.append(`case-000${i}`, { ...receivedDraft({ channel: 'email' }), actor: STAFF });
      decisions.push(await decide(`case-000${i}`));
    }

    expect(decisions).toEqual([...Array(LIMIT).fill(true), false]);
  });

  it('withholds the receipt of mail whose sender failed DMARC, whatever the count', async () => {
    const { ledger, decide } = setup();
    await ledger.append(
      'case-0001',
      receivedDraft({ channel: 'email', senderAuthentication: { spf: 'pass', dkim: 'none', dmarc: 'fail' } }),
    );

    expect(await decide('case-0001')).toBe(false);
    expect((await ledger.read('case-0001')).filter((e) => e.type === 'receipt.withheld')).toMatchObject([
      { data: { reason: 'sender-unauthenticated' } },
    ]);
  });
});
