import { createProcoreSandbox, PROCORE_LIMITS, type ProcoreSandbox } from '@mycoi/procore-sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOAuthClient, createProcoreClient, dmsaTokenProvider, RateBudget } from '../src/index';
import { ACME, DMSA } from './helpers';

// Two callers of one DMSA token at Procore's documented limits (25 per 10 s): a background push
// and the side panel. They share the token's budget; the push leaves part of each window to the
// panel, so a person never waits behind a paced push.

let sb: ProcoreSandbox;
beforeAll(async () => {
  sb = await createProcoreSandbox({ rateLimit: PROCORE_LIMITS });
});
afterAll(async () => {
  await sb.close();
});

describe('interactive calls keep priority over background calls on one token', () => {
  it('a background caller waits for the next window while the panel still gets its calls at once', async () => {
    const hosts = { baseUrl: sb.url };
    const token = dmsaTokenProvider(createOAuthClient({ hosts }), DMSA);
    const budget = new RateBudget();
    const background = createProcoreClient({ hosts, token, budget, http: { priority: 'background' } });
    const panel = createProcoreClient({ hosts, token, budget, http: { priority: 'interactive' } });
    sb.clearRequests();

    const push = (async () => {
      for (let i = 0; i < 30; i++) await background.company(ACME).me();
    })();
    // the push spends its share of the window (25 less the panel's 2), then waits for the reset
    while (background.stats.budgetWaits === 0) await new Promise((r) => setTimeout(r, 20));
    expect(background.stats.calls).toBe(PROCORE_LIMITS.spike10s - budget.interactiveReserve + 1); // the 24th is waiting
    await panel.company(ACME).me();
    await panel.company(ACME).me();
    expect(panel.stats.budgetWaits).toBe(0);
    // the panel's two calls went right after the push's 23, in the same window, while the push waits
    expect(sb.requests().filter((r) => r.path.startsWith('/rest/'))).toHaveLength(25);
    await push;

    const log = sb.requests().filter((r) => r.path.startsWith('/rest/'));
    expect(log).toHaveLength(32);
    expect(log.filter((r) => r.status !== 200)).toEqual([]); // nobody was throttled
    expect(background.stats.calls).toBe(30);
    expect(background.stats.budgetWaits).toBeGreaterThan(0);
  }, 60_000);
});
