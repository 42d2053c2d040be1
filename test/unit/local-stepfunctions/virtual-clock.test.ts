import { ClockStalledError, VirtualClock } from '../../../infra/local/clock/virtual-clock';

// Captured before any clock is installed: stands in for real I/O that takes a few real milliseconds.
const realSetTimeout = globalThis.setTimeout;
const realClearTimeout = globalThis.clearTimeout;
const realIo = (ms: number) => new Promise((resolve) => realSetTimeout(resolve, ms));
/** `work`'s outcome, or 'still waiting' after `ms` real milliseconds. */
function within<T>(ms: number, work: Promise<T>): Promise<T | 'still waiting'> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<'still waiting'>((resolve) => {
    timer = realSetTimeout(() => resolve('still waiting'), ms);
  });
  return Promise.race([work, late]).finally(() => realClearTimeout(timer));
}

let clock: VirtualClock | undefined;

afterEach(() => {
  clock?.uninstall();
  clock = undefined;
});

describe('VirtualClock', () => {
  it('fakes Date and timers but leaves setImmediate and nextTick real', async () => {
    const realStart = Date.now();
    clock = VirtualClock.install({ now: '2027-01-04T14:00:00Z' });

    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => process.nextTick(resolve));

    expect(new Date().toISOString()).toBe('2027-01-04T14:00:00.000Z');
    expect(clock.now().toISOString()).toBe('2027-01-04T14:00:00.000Z');
    clock.uninstall();
    expect(Math.abs(Date.now() - realStart)).toBeLessThan(60_000);
  });

  it('runs due timers in time order and stops at the target instant', async () => {
    clock = VirtualClock.install({ now: 0 });
    const log: string[] = [];
    setTimeout(() => log.push(`b@${Date.now()}`), 2000);
    setTimeout(() => log.push(`a@${Date.now()}`), 1000);
    setTimeout(() => log.push(`late@${Date.now()}`), 5000);
    const ticks = setInterval(() => log.push(`tick@${Date.now()}`), 1500);

    const now = await clock.advanceTo(3000);
    clearInterval(ticks);

    expect(log).toEqual(['a@1000', 'tick@1500', 'b@2000', 'tick@3000']);
    expect(now.getTime()).toBe(3000);
    expect(clock.nextTimerAt()?.getTime()).toBe(5000);
  });

  it('does not move time while tracked work is in flight, even when it takes real time', async () => {
    clock = VirtualClock.install({ now: 0 });
    const activity = clock.activity;
    const log: string[] = [];
    setTimeout(() => {
      log.push(`start@${Date.now()}`);
      void activity.track('slow handler', async () => {
        await realIo(30);
        log.push(`done@${Date.now()}`);
        setTimeout(() => log.push(`follow-up@${Date.now()}`), 2000);
      });
    }, 1000);
    setTimeout(() => log.push(`other@${Date.now()}`), 1500);

    await clock.advanceBy(10_000);

    expect(log).toEqual(['start@1000', 'done@1000', 'other@1500', 'follow-up@3000']);
  });

  it('sleeps through waits longer than 24.8 days without waking early', async () => {
    clock = VirtualClock.install({ now: '2027-01-04T00:00:00Z' });
    const firedAt: string[] = [];
    setTimeout(() => firedAt.push(new Date().toISOString()), 90 * 24 * 3600 * 1000);

    await clock.advanceBy('P89D');
    expect(firedAt).toEqual([]);
    await clock.advanceBy('P1D');

    expect(firedAt).toEqual(['2027-04-04T00:00:00.000Z']);
  });

  it('runUntilIdle runs what is due now without moving time', async () => {
    clock = VirtualClock.install({ now: 0 });
    const log: string[] = [];
    setTimeout(() => log.push('now'), 0);
    setTimeout(() => log.push('later'), 10);

    await clock.runUntilIdle();

    expect(log).toEqual(['now']);
    expect(clock.now().getTime()).toBe(0);
  });

  it('adds ISO-8601 durations in UTC calendar terms and refuses to go back', async () => {
    clock = VirtualClock.install({ now: '2027-01-31T12:00:00Z' });

    expect((await clock.advanceBy('P1M')).toISOString()).toBe('2027-02-28T12:00:00.000Z');
    expect((await clock.advanceBy('PT90M')).toISOString()).toBe('2027-02-28T13:30:00.000Z');
    expect((await clock.advanceBy(500)).toISOString()).toBe('2027-02-28T13:30:00.500Z');
    await expect(clock.advanceBy('three days')).rejects.toBeInstanceOf(RangeError);
    await expect(clock.advanceTo('2027-01-01T00:00:00Z')).rejects.toBeInstanceOf(RangeError);
  });

  it('serializes concurrent advances', async () => {
    clock = VirtualClock.install({ now: 0 });

    await Promise.all([clock.advanceBy(1000), clock.advanceBy(1000)]);

    expect(clock.now().getTime()).toBe(2000);
  });

  it('reports a stall when in-flight work waits for a future timer', async () => {
    clock = VirtualClock.install({ now: 0, stallTimeoutMs: 50 });
    const end = clock.activity.begin('awaits a virtual timer');
    setTimeout(end, 1000);

    const advancing = clock.advanceBy(2000);

    await expect(advancing).rejects.toBeInstanceOf(ClockStalledError);
    await expect(advancing).rejects.toThrow('awaits a virtual timer');
    end();
  });

  it('lets a near timer fire under in-flight work that awaits it (an SDK retry backoff), after a grace period', async () => {
    clock = VirtualClock.install({ now: 0, technicalTimerGraceMs: 20, stallTimeoutMs: 5_000 });
    const log: string[] = [];
    void clock.activity.track('store call with a retry', async () => {
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      log.push(`retried@${Date.now()}`);
    });

    const now = await clock.advanceBy(60_000);

    expect(log).toEqual(['retried@2000']);
    expect(now.getTime()).toBe(60_000);
  });

  it('never fires a far timer (a workflow wait) under in-flight work: that is a stall', async () => {
    clock = VirtualClock.install({ now: 0, technicalTimerGraceMs: 20, stallTimeoutMs: 200 });
    const end = clock.activity.begin('awaits a workflow wait');
    let fired = false;
    setTimeout(() => {
      fired = true;
      end();
    }, 3_600_000);

    const advancing = clock.advanceBy(7_200_000);

    await expect(advancing).rejects.toBeInstanceOf(ClockStalledError);
    expect(fired).toBe(false);
    expect(clock.now().getTime()).toBe(0);
    end();
  });

  it('does not call a long stretch of in-flight work a stall while work keeps beginning and ending', async () => {
    clock = VirtualClock.install({ now: 0, stallTimeoutMs: 100 });
    const activity = clock.activity;
    void activity.track('long handler', async () => {
      for (let i = 0; i < 15; i += 1) {
        await activity.track(`step ${i}`, () => realIo(20));
      }
    });

    const now = await clock.advanceBy(1000);

    expect(now.getTime()).toBe(1000);
    expect(activity.inFlight).toBe(0);
  });

  it('reports each new instant before any timer due then runs or Date shows it (what the stack saves)', async () => {
    const saved: string[] = [];
    clock = VirtualClock.install({ now: 0, onMove: (instant) => saved.push(instant.toISOString()) });
    const seen: string[] = [];
    setTimeout(() => seen.push(`${new Date().toISOString()} saved ${saved.at(-1)}`), 1000);
    setTimeout(() => seen.push(`${new Date().toISOString()} saved ${saved.at(-1)}`), 86_400_000);

    await clock.advanceBy('P2D');

    expect(seen).toEqual([
      '1970-01-01T00:00:01.000Z saved 1970-01-01T00:00:01.000Z',
      '1970-01-02T00:00:00.000Z saved 1970-01-02T00:00:00.000Z',
    ]);
    expect(saved).toEqual([
      '1970-01-01T00:00:00.000Z',
      '1970-01-01T00:00:01.000Z',
      '1970-01-02T00:00:00.000Z',
      '1970-01-03T00:00:00.000Z',
    ]);
  });

  it('while idle, lets a near timer awaited by in-flight work fire after as much real time (a request retrying)', async () => {
    clock = VirtualClock.install({ now: 0 });
    const realStart = performance.now();
    const request = clock.activity.track('http GET /api/audit/cases/{caseId}/timeline', async () => {
      await new Promise((resolve) => setTimeout(resolve, 300));
      return Date.now();
    });

    const outcome = await within(5_000, request);

    expect(outcome).toBe(300);
    expect(performance.now() - realStart).toBeGreaterThanOrEqual(250);
    expect(clock.now().getTime()).toBe(300);
  });

  it('while idle, runs a timer already due under in-flight work at once', async () => {
    clock = VirtualClock.install({ now: 0 });
    const request = clock.activity.track('http POST /api/requests', async () => {
      await new Promise((resolve) => setTimeout(resolve, 0));
      return 'answered';
    });

    expect(await within(1_000, request)).toBe('answered');
  });

  it('while idle, never moves time for a far timer, nor for a near one when no work is in flight', async () => {
    clock = VirtualClock.install({ now: 0 });
    const fired: string[] = [];
    const near = setTimeout(() => fired.push('near, nobody waiting'), 50);
    await realIo(300);
    clearTimeout(near);
    const end = clock.activity.begin('awaits a workflow wait');
    setTimeout(() => fired.push('workflow wait'), 3_600_000);
    await realIo(300);
    end();

    expect(fired).toEqual([]);
    expect(clock.now().getTime()).toBe(0);
  });
});
