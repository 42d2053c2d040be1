import * as FakeTimers from '@sinonjs/fake-timers';

import {
  hasLongTimeouts,
  installLongTimeouts,
  LongTimeout,
  MAX_TIMER_DELAY_MS,
} from '../../../infra/local/clock/long-timeouts';
import type { TimerHost } from '../../../infra/local/clock/long-timeouts';

const FORTY_DAYS = 40 * 24 * 3600 * 1000;

function fakeHost(clock: FakeTimers.Clock): TimerHost {
  return {
    setTimeout: clock.setTimeout,
    clearTimeout: clock.clearTimeout,
    Date: clock.Date,
  } as unknown as TimerHost;
}

describe('installLongTimeouts', () => {
  it('is needed: fake-timers, like Node, fires a 40-day timeout after 1 ms', () => {
    const clock = FakeTimers.createClock(0);
    let fired = false;
    clock.setTimeout(() => (fired = true), FORTY_DAYS);

    clock.tick(1);

    expect(fired).toBe(true);
  });

  it('fires a 40-day timeout once, exactly at its due instant, with its arguments', () => {
    const clock = FakeTimers.createClock(0);
    const host = fakeHost(clock);
    installLongTimeouts(host);
    const fired: [number, string][] = [];

    host.setTimeout((label: string) => fired.push([clock.now, label]), FORTY_DAYS, 'due');
    clock.tick(FORTY_DAYS - 1);
    expect(fired).toEqual([]);
    clock.tick(1);
    clock.tick(FORTY_DAYS);

    expect(fired).toEqual([[FORTY_DAYS, 'due']]);
  });

  it('cancels a long timeout with clearTimeout, also after a chunk has elapsed', () => {
    const clock = FakeTimers.createClock(0);
    const host = fakeHost(clock);
    installLongTimeouts(host);
    let fired = false;

    const handle = host.setTimeout(() => (fired = true), FORTY_DAYS);
    clock.tick(MAX_TIMER_DELAY_MS + 1);
    host.clearTimeout(handle);
    clock.tick(FORTY_DAYS);

    expect(handle).toBeInstanceOf(LongTimeout);
    expect(fired).toBe(false);
    expect(clock.countTimers()).toBe(0);
  });

  it('passes delays that fit straight through, and installs once', () => {
    const clock = FakeTimers.createClock(0);
    const host = fakeHost(clock);
    installLongTimeouts(host);
    const wrapped = host.setTimeout;
    installLongTimeouts(host);

    const handle = host.setTimeout(() => undefined, 1000);

    expect(hasLongTimeouts(host)).toBe(true);
    expect(host.setTimeout).toBe(wrapped);
    expect(handle).not.toBeInstanceOf(LongTimeout);
  });

  it('keeps a long timeout pending on the real timers instead of firing it at once', async () => {
    const host: TimerHost = { setTimeout, clearTimeout, Date };
    installLongTimeouts(host);
    let fired = false;

    const handle = host.setTimeout(() => (fired = true), FORTY_DAYS);
    await new Promise((resolve) => setTimeout(resolve, 20));
    host.clearTimeout(handle);

    expect(fired).toBe(false);
  });
});
