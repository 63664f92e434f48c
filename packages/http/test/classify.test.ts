import { describe, expect, it } from 'vitest';
import { backoffMs, classify, rateLimitWaitMs, type AttemptOutcome } from '../src/classify';

const NOW = Date.parse('2026-06-01T12:00:00Z');
const opts = { now: () => NOW, random: () => 0.5, baseDelayMs: 100, maxDelayMs: 1000, maxAttempts: 5, maxRetryAfterMs: 60_000 };
const base = { attempt: 1 } as const;

type Row = [string, AttemptOutcome, { retry: boolean; waitMs?: number; refreshAuth?: boolean; reason?: RegExp }];

const rows: Row[] = [
  [
    '429 Retry-After seconds',
    { ...base, kind: 'response', method: 'GET', status: 429, headers: { 'Retry-After': '7' } },
    { retry: true, waitMs: 7000 },
  ],
  [
    '429 Retry-After HTTP date',
    { ...base, kind: 'response', method: 'GET', status: 429, headers: { 'retry-after': new Date(NOW + 12_000).toUTCString() } },
    { retry: true, waitMs: 12_000 },
  ],
  [
    '429 Retry-After date in the past',
    { ...base, kind: 'response', method: 'GET', status: 429, headers: { 'retry-after': new Date(NOW - 5000).toUTCString() } },
    { retry: true, waitMs: 0 },
  ],
  [
    '429 X-Rate-Limit-Reset epoch',
    { ...base, kind: 'response', method: 'GET', status: 429, headers: { 'X-Rate-Limit-Reset': String(NOW / 1000 + 9) } },
    { retry: true, waitMs: 9000 },
  ],
  [
    '429 Retry-After wins over reset',
    {
      ...base,
      kind: 'response',
      method: 'GET',
      status: 429,
      headers: { 'retry-after': '2', 'x-rate-limit-reset': String(NOW / 1000 + 30) },
    },
    { retry: true, waitMs: 2000 },
  ],
  [
    '429 without hints backs off',
    { ...base, attempt: 2, kind: 'response', method: 'GET', status: 429, headers: {} },
    { retry: true, waitMs: 150 },
  ],
  [
    '429 on POST is safe (never processed)',
    { ...base, kind: 'response', method: 'POST', status: 429, headers: { 'retry-after': '1' } },
    { retry: true, waitMs: 1000 },
  ],
  [
    '429 reset beyond max wait stops',
    { ...base, kind: 'response', method: 'GET', status: 429, headers: { 'retry-after': '3600' } },
    { retry: false, reason: /exceeds max wait/ },
  ],
  ['500 GET backoff attempt 1', { ...base, kind: 'response', method: 'GET', status: 500 }, { retry: true, waitMs: 75 }],
  ['502 GET backoff attempt 3', { ...base, attempt: 3, kind: 'response', method: 'GET', status: 502 }, { retry: true, waitMs: 300 }],
  ['503 PATCH backoff attempt 4', { ...base, attempt: 4, kind: 'response', method: 'PATCH', status: 503 }, { retry: true, waitMs: 600 }],
  [
    '503 honours Retry-After',
    { ...base, kind: 'response', method: 'GET', status: 503, headers: { 'retry-after': '4' } },
    { retry: true, waitMs: 4000 },
  ],
  [
    '500 on POST create is not retried',
    { ...base, kind: 'response', method: 'POST', status: 500 },
    { retry: false, reason: /may have been applied/ },
  ],
  [
    '500 on POST marked idempotent is retried',
    { ...base, kind: 'response', method: 'POST', status: 500, idempotent: true },
    { retry: true },
  ],
  ['408 GET retried', { ...base, kind: 'response', method: 'GET', status: 408 }, { retry: true }],
  [
    'attempts exhausted',
    { ...base, attempt: 5, kind: 'response', method: 'GET', status: 500 },
    { retry: false, reason: /attempts exhausted/ },
  ],
  // 429s are flow control: they do not use up maxAttempts (bounded by total wait instead).
  [
    'earlier 429s do not count as failed attempts',
    { ...base, attempt: 7, throttled: 4, kind: 'response', method: 'GET', status: 500 },
    { retry: true, waitMs: 300 },
  ],
  [
    'failed attempts exhausted despite 429s',
    { ...base, attempt: 9, throttled: 4, kind: 'response', method: 'GET', status: 500 },
    { retry: false, reason: /attempts exhausted \(5\/5 failed\)/ },
  ],
  [
    'many 429s still retried within the wait budget',
    {
      ...base,
      attempt: 20,
      throttled: 19,
      throttledMs: 19_000,
      kind: 'response',
      method: 'GET',
      status: 429,
      headers: { 'retry-after': '1' },
    },
    { retry: true, waitMs: 1000 },
  ],
  [
    '429 stops when total waits exceed maxThrottleMs',
    {
      ...base,
      attempt: 3,
      throttled: 2,
      throttledMs: 58_000,
      kind: 'response',
      method: 'GET',
      status: 429,
      headers: { 'retry-after': '5' },
    },
    { retry: false, reason: /rate-limit waits exceeds 60000/ },
  ],
  [
    'Retry-After: 0 still counts 1 s per 429',
    {
      ...base,
      attempt: 61,
      throttled: 60,
      throttledMs: 60_000,
      kind: 'response',
      method: 'GET',
      status: 429,
      headers: { 'retry-after': '0' },
    },
    { retry: false },
  ],
  ['401 forces one refresh', { ...base, kind: 'response', method: 'GET', status: 401 }, { retry: true, waitMs: 0, refreshAuth: true }],
  ['401 on POST forces one refresh', { ...base, kind: 'response', method: 'POST', status: 401 }, { retry: true, refreshAuth: true }],
  [
    '401 after refresh fails',
    { ...base, attempt: 2, kind: 'response', method: 'GET', status: 401, authRefreshed: true },
    { retry: false, reason: /after a forced token refresh/ },
  ],
  ['400 fails', { ...base, kind: 'response', method: 'GET', status: 400 }, { retry: false, reason: /400 client error/ }],
  ['403 fails', { ...base, kind: 'response', method: 'GET', status: 403 }, { retry: false }],
  ['404 fails', { ...base, kind: 'response', method: 'DELETE', status: 404 }, { retry: false }],
  ['409 fails', { ...base, kind: 'response', method: 'POST', status: 409 }, { retry: false }],
  ['422 fails', { ...base, kind: 'response', method: 'PATCH', status: 422 }, { retry: false }],
  ['ECONNRESET GET retried', { ...base, kind: 'network', method: 'GET', code: 'ECONNRESET' }, { retry: true, waitMs: 75 }],
  [
    'socket hang up GET retried',
    { ...base, kind: 'network', method: 'GET', message: 'socket hang up' },
    { retry: true, reason: /socket hang up/ },
  ],
  ['ETIMEDOUT PATCH retried', { ...base, kind: 'network', method: 'PATCH', code: 'ETIMEDOUT' }, { retry: true }],
  ['axios timeout DELETE retried', { ...base, kind: 'network', method: 'DELETE', code: 'ECONNABORTED' }, { retry: true }],
  [
    'ECONNRESET POST not retried',
    { ...base, kind: 'network', method: 'POST', code: 'ECONNRESET' },
    { retry: false, reason: /may have been applied/ },
  ],
  ['timeout POST not retried', { ...base, kind: 'network', method: 'POST', code: 'ECONNABORTED' }, { retry: false }],
  ['socket hang up POST not retried', { ...base, kind: 'network', method: 'post', message: 'socket hang up' }, { retry: false }],
  [
    'ECONNREFUSED POST retried (never sent)',
    { ...base, kind: 'network', method: 'POST', code: 'ECONNREFUSED' },
    { retry: true, reason: /never sent/ },
  ],
  ['DNS failure POST retried', { ...base, kind: 'network', method: 'POST', code: 'ENOTFOUND' }, { retry: true }],
  ['explicit sent:false POST retried', { ...base, kind: 'network', method: 'POST', code: 'ECONNRESET', sent: false }, { retry: true }],
  [
    'explicit sent:true beats a connect code',
    { ...base, kind: 'network', method: 'POST', code: 'ECONNREFUSED', sent: true },
    { retry: false },
  ],
  ['malformed GET retried', { ...base, kind: 'malformed', method: 'GET', status: 200 }, { retry: true }],
  ['malformed POST not retried', { ...base, kind: 'malformed', method: 'POST', status: 201 }, { retry: false }],
];

describe('classify', () => {
  it('maxAttempts 1 disables every retry, a 429 included', () => {
    const o: AttemptOutcome = { attempt: 1, kind: 'response', method: 'POST', status: 429, headers: { 'retry-after': '1' } };
    expect(classify(o, { ...opts, maxAttempts: 1 })).toMatchObject({ retry: false, reason: /retries disabled/ });
  });

  it.each(rows)('%s', (_name, outcome, want) => {
    const d = classify(outcome, opts);
    expect(d.retry).toBe(want.retry);
    if (want.waitMs !== undefined) expect(d.waitMs).toBe(want.waitMs);
    if (want.refreshAuth !== undefined) expect(Boolean(d.refreshAuth)).toBe(want.refreshAuth);
    if (want.reason) expect(d.reason).toMatch(want.reason);
    if (!d.retry) expect(d.waitMs).toBe(0);
  });
});

describe('backoffMs', () => {
  it('grows exponentially, is capped, and spans [step/2, step] with jitter', () => {
    const o = { baseDelayMs: 100, maxDelayMs: 1000 };
    expect([1, 2, 3, 4, 5, 10].map((a) => backoffMs(a, { ...o, random: () => 0 }))).toEqual([50, 100, 200, 400, 500, 500]);
    expect([1, 2, 3, 4, 5, 10].map((a) => backoffMs(a, { ...o, random: () => 0.999999 }))).toEqual([100, 200, 400, 800, 1000, 1000]);
  });
});

describe('rateLimitWaitMs', () => {
  it('ignores garbage and accepts array-valued headers', () => {
    expect(rateLimitWaitMs({ 'retry-after': 'soon' }, NOW)).toBeUndefined();
    expect(rateLimitWaitMs({ 'x-rate-limit-reset': 'x' }, NOW)).toBeUndefined();
    expect(rateLimitWaitMs({ 'Retry-After': ['3'] }, NOW)).toBe(3000);
    expect(rateLimitWaitMs({ 'retry-after': '1.5' }, NOW)).toBe(1500);
    expect(rateLimitWaitMs(undefined, NOW)).toBeUndefined();
  });
});
