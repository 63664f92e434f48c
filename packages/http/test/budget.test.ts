import { describe, expect, it } from 'vitest';
import { RateBudget } from '../src/budget';

describe('RateBudget', () => {
  let now = 1_000_000_000_000;
  const clock = () => now;
  const h = (limit: number, remaining: number, resetSec: number) => ({
    'x-rate-limit-limit': String(limit),
    'x-rate-limit-remaining': String(remaining),
    'x-rate-limit-reset': String(resetSec),
  });

  it('is unlimited before any header, then tracks the headers', () => {
    const b = new RateBudget({ now: clock });
    expect(b.remaining).toBe(Infinity);
    expect(b.canSpend(1000)).toBe(true);
    b.update(h(100, 40, now / 1000 + 10));
    expect(b.remaining).toBe(40);
    expect(b.limit).toBe(100);
    expect(b.resetAt).toBe(now + 10_000);
    expect(b.canSpend(40)).toBe(true);
    expect(b.canSpend(41)).toBe(false);
    expect(b.msUntilReset()).toBe(10_000);
  });

  it('a window with no readable reset ends after 10 s instead of holding callers back for ever', () => {
    const b = new RateBudget({ now: clock });
    b.update({ 'x-rate-limit-limit': '25', 'x-rate-limit-remaining': '0' });
    expect(b.canSpend(1)).toBe(false);
    expect(b.msUntilReset()).toBe(10_000);
    now += 10_000;
    expect(b.canSpend(1)).toBe(true);
    // an answer that names its reset replaces the guess, even an earlier one
    b.update({ 'x-rate-limit-limit': '25', 'x-rate-limit-remaining': '0', 'x-rate-limit-reset': '1.5' });
    expect(b.msUntilReset()).toBe(10_000);
    b.update(h(25, 3, now / 1000 + 4));
    expect(b.remaining).toBe(3);
    expect(b.msUntilReset()).toBe(4_000);
  });

  it('reserves in-flight calls and ignores stale (higher) counts from the same window', () => {
    const b = new RateBudget({ now: clock });
    const reset = now / 1000 + 10;
    b.update(h(10, 3, reset));
    b.begin();
    b.begin();
    expect(b.remaining).toBe(1);
    b.finish(h(10, 1, reset)); // the later of the two answered first
    b.finish(h(10, 2, reset)); // late response carrying an older count
    expect(b.remaining).toBe(1);
    b.begin();
    expect(b.canSpend(1)).toBe(false);
    b.release();
    expect(b.canSpend(1)).toBe(true);
  });

  it('keeps a call spent when it ended without an answer (it may have been counted)', () => {
    const b = new RateBudget({ now: clock });
    const reset = now / 1000 + 10;
    b.update(h(10, 3, reset));
    b.begin();
    b.begin();
    b.abandon(); // lost answer: the server may have counted it
    expect(b.remaining).toBe(1); // 3 − 1 abandoned − 1 in flight
    b.release(); // refused before sending: refunded
    expect(b.remaining).toBe(2);
    // After the window rolls over, an abandoned call counts against the assumed fresh window…
    now += 11_000;
    b.begin();
    b.abandon();
    expect(b.remaining).toBe(9);
    // …until the server reports the new window itself (its count includes that call).
    b.update(h(10, 8, now / 1000 + 10));
    expect(b.remaining).toBe(8);
  });

  it('ignores a response from an older window and resets to the limit once the window is over', () => {
    const b = new RateBudget({ now: clock });
    b.update(h(10, 0, now / 1000 + 10));
    expect(b.canSpend(1)).toBe(false);
    b.update(h(10, 5, now / 1000 - 5)); // older window
    expect(b.remaining).toBe(0);
    now += 11_000;
    b.begin();
    expect(b.remaining).toBe(9);
    b.finish(h(10, 9, now / 1000 + 10));
    expect(b.remaining).toBe(9);
  });

  it('follows the server when it switches between its hourly and spike limits', () => {
    const b = new RateBudget({ now: clock });
    b.update(h(3600, 5, now / 1000 + 1800)); // hourly nearly spent
    expect(b.remaining).toBe(5);
    b.update(h(100, 80, now / 1000 + 10)); // spike window reported again (earlier reset, other limit)
    expect(b.remaining).toBe(80);
    expect(b.limit).toBe(100);
  });

  it('reads the header names it is given (myCOI: X-RateLimit-*) and only those', () => {
    const b = new RateBudget({
      now: clock,
      headers: { limit: 'X-RateLimit-Limit', remaining: 'X-RateLimit-Remaining', reset: 'X-RateLimit-Reset' },
    });
    b.update(h(100, 7, now / 1000 + 10)); // Procore's names: not ours
    expect(b.remaining).toBe(Infinity);
    b.update({ 'x-ratelimit-limit': '20', 'x-ratelimit-remaining': '3', 'x-ratelimit-reset': String(now / 1000 + 30) });
    expect([b.limit, b.remaining, b.msUntilReset()]).toEqual([20, 3, 30_000]);
    expect(b.canSpend(4)).toBe(false);
  });

  it('skips junk headers', () => {
    const b = new RateBudget({ now: clock });
    b.update({ 'x-rate-limit-remaining': 'lots' });
    b.update(undefined);
    expect(b.remaining).toBe(Infinity);
  });

  it('background callers leave a share of the window to interactive ones', () => {
    const b = new RateBudget({ now: clock });
    expect(b.interactiveReserve).toBe(0); // nothing known yet
    b.update(h(25, 3, now / 1000 + 10));
    expect(b.interactiveReserve).toBe(2); // 8 % of 25
    expect(b.canSpend(1, 'background')).toBe(true);
    b.begin();
    expect(b.canSpend(1, 'background')).toBe(false); // 2 left: the reserve
    expect(b.canSpend(1, 'interactive')).toBe(true);
    expect(b.canSpend(2)).toBe(true);
    expect(b.msUntilRoom('background')).toBe(9_000); // the share is released in the window's last second
    expect(b.msUntilRoom('interactive')).toBe(0);
    now += 9_000;
    expect(b.canSpend(1, 'background')).toBe(true); // unused by then: the background may take it
    now -= 9_000;
    b.begin();
    b.begin();
    expect(b.canSpend(1)).toBe(false);
    expect(b.msUntilRoom('background')).toBe(10_000); // nothing left at all: wait for the reset
    // a fresh window after the reset is open to both again
    now += 11_000;
    b.release();
    b.release();
    b.release();
    expect(b.canSpend(1, 'background')).toBe(true);
    expect(new RateBudget({ now: clock, interactiveShare: 0 }).interactiveReserve).toBe(0);
  });

  it('a 429 without Retry-After follows the headers; any later answer ends a block', () => {
    const b = new RateBudget({ now: clock });
    b.update(h(25, 0, now / 1000 + 7), 429);
    expect(b.throttled).toBe(false);
    expect(b.msUntilReset()).toBe(7000);
    b.update({ ...h(3600, 0, now / 1000 + 3000), 'retry-after': '2' }, 429);
    expect([b.throttled, b.msUntilReset()]).toEqual([true, 2000]);
    b.update(h(25, 20, now / 1000 + 10), 200);
    expect([b.throttled, b.remaining]).toEqual([false, 20]);
  });
});
