import { describe, expect, it } from 'vitest';
import { CachedTokenProvider, type FetchedToken } from '../src/token';

function setup(lifetimeSec = 5400) {
  let now = 0;
  let n = 0;
  const release: Array<() => void> = [];
  const p = new CachedTokenProvider({
    marginMs: 60_000,
    now: () => now,
    fetch: () =>
      new Promise<FetchedToken>((resolve) => {
        n += 1;
        const id = n;
        release.push(() => resolve({ accessToken: `t${id}`, expiresInSeconds: lifetimeSec }));
      }),
  });
  return {
    p,
    release,
    advance: (ms: number) => {
      now += ms;
    },
    count: () => n,
  };
}

describe('CachedTokenProvider', () => {
  it('shares one in-flight request between concurrent callers and caches the result', async () => {
    const s = setup();
    const all = Promise.all(Array.from({ length: 20 }, () => s.p.getToken()));
    expect(s.count()).toBe(1);
    s.release[0]!();
    expect(new Set(await all)).toEqual(new Set(['t1']));
    expect(await s.p.getToken()).toBe('t1');
    expect(s.count()).toBe(1);
  });

  it('refreshes before expiry with the margin', async () => {
    const s = setup(600);
    const a = s.p.getToken();
    s.release[0]!();
    await a;
    s.advance(600_000 - 60_001);
    expect(await s.p.getToken()).toBe('t1');
    s.advance(2);
    const b = s.p.getToken();
    s.release[1]!();
    expect(await b).toBe('t2');
  });

  it('a forced refresh by many callers holding the same stale token fetches once', async () => {
    const s = setup();
    const a = s.p.getToken();
    s.release[0]!();
    await a;
    const forced = Promise.all(Array.from({ length: 5 }, () => s.p.getToken({ force: true, stale: 't1' })));
    expect(s.count()).toBe(2);
    s.release[1]!();
    expect(new Set(await forced)).toEqual(new Set(['t2']));
    // A caller that saw the old token rejected after the refresh gets the new one without a fetch.
    expect(await s.p.getToken({ force: true, stale: 't1' })).toBe('t2');
    expect(s.count()).toBe(2);
  });

  it('a failed fetch is not cached and the next call tries again', async () => {
    let calls = 0;
    const p = new CachedTokenProvider({
      fetch: async () => {
        calls += 1;
        if (calls === 1) throw new Error('login host down');
        return { accessToken: 'ok', expiresInSeconds: 60 };
      },
    });
    await expect(p.getToken()).rejects.toThrow('login host down');
    expect(await p.getToken()).toBe('ok');
  });

  it('starts from a token already held and fetches only to renew it', async () => {
    let now = 0;
    let fetches = 0;
    const p = new CachedTokenProvider({
      marginMs: 60_000,
      now: () => now,
      initial: { accessToken: 'held', expiresAt: 120_000 },
      fetch: async () => {
        fetches += 1;
        return { accessToken: `new${fetches}`, expiresInSeconds: 3600 };
      },
    });
    expect(await p.getToken()).toBe('held');
    expect(await p.getToken({ force: true, stale: 'older' })).toBe('held'); // someone else's stale token
    expect(fetches).toBe(0);
    now = 60_001; // inside the margin
    expect(await p.getToken()).toBe('new1');
    expect(await p.getToken({ force: true, stale: 'new1' })).toBe('new2');
    expect(p.fetches).toBe(2);
  });

  it('a very short lifetime still caches for half of it', async () => {
    const s = setup(10); // 10 s lifetime, margin 60 s
    const a = s.p.getToken();
    s.release[0]!();
    await a;
    s.advance(4_000);
    expect(await s.p.getToken()).toBe('t1');
    s.advance(2_000);
    const b = s.p.getToken();
    s.release[1]!();
    expect(await b).toBe('t2');
  });
});
