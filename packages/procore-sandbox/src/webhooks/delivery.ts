import type { WebhookOptions } from '../options';
import type { Store } from '../state/store';
import type { Delivery, Hook, WebhookEvent } from '../state/types';

interface HookQueue {
  items: WebhookEvent[];
  busy: boolean;
  failures: number;
  firstFailureAt: number | null;
  timer: NodeJS.Timeout | null;
}

/**
 * Delivers v2.0 payloads to each hook's destination_url with its destination_headers
 * (Authorization). Per Procore: at-least-once (duplicates possible, `duplicateRate`), a 2xx within
 * `timeoutMs`; on failure the hook's whole queue pauses and the failing event is retried with
 * exponential backoff (1 s → 1 h); after `discardAfterMs` of failing the queue is flushed and the
 * events are logged as discarded; any success resets the counters.
 */
export class DeliveryEngine {
  private queues = new Map<number, HookQueue>();
  private closed = false;
  private inflight = new Set<AbortController>();

  constructor(
    private store: Store,
    private opts: WebhookOptions,
  ) {}

  /** Route one event to every hook whose scope and triggers match. */
  dispatch(e: WebhookEvent): void {
    if (this.closed) return;
    for (const hook of this.store.hooks.values()) {
      if (!this.hookMatches(hook, e)) continue;
      const q = this.queue(hook.id);
      q.items.push(e);
      if (this.opts.autoDeliver) this.pump(hook.id);
    }
  }

  private hookMatches(hook: Hook, e: WebhookEvent): boolean {
    const scoped =
      hook.owned_by_project_id !== null ? e.project_id === hook.owned_by_project_id : hook.owned_by_company_id === e.company_id;
    if (!scoped) return false;
    for (const t of this.store.triggers.values()) {
      if (t.webhook_hook_id === hook.id && t.resource_name === e.resource_name && t.event_type.toLowerCase() === e.event_type) return true;
    }
    return false;
  }

  private queue(hookId: number): HookQueue {
    let q = this.queues.get(hookId);
    if (!q) this.queues.set(hookId, (q = { items: [], busy: false, failures: 0, firstFailureAt: null, timer: null }));
    return q;
  }

  /** Start delivering queued events (used when autoDeliver is off). */
  flush(): void {
    for (const id of this.queues.keys()) this.pump(id);
  }

  /** Resolves when every queue is empty (or `timeoutMs` passes; then rejects). */
  async idle(timeoutMs = 10_000): Promise<void> {
    const end = Date.now() + timeoutMs;
    while ([...this.queues.values()].some((q) => q.items.length > 0 || q.busy)) {
      if (Date.now() > end) throw new Error('webhook queues did not drain in time');
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  pending(): number {
    let n = 0;
    for (const q of this.queues.values()) n += q.items.length;
    return n;
  }

  private pump(hookId: number): void {
    const q = this.queue(hookId);
    if (q.busy || q.timer || this.closed) return;
    const event = q.items[0];
    const hook = this.store.hooks.get(hookId);
    if (!event) return;
    if (!hook) {
      q.items.length = 0;
      return;
    }
    q.busy = true;
    void this.attempt(hook, event).then((ok) => {
      q.busy = false;
      if (this.closed) return;
      if (ok) {
        q.items.shift();
        q.failures = 0;
        q.firstFailureAt = null;
        if (Math.random() < this.opts.duplicateRate) {
          // At-least-once: send the same event again (same id/ulid) before moving on.
          q.busy = true;
          void this.attempt(hook, event).then(() => {
            q.busy = false;
            this.pump(hookId);
          });
          return;
        }
        this.pump(hookId);
        return;
      }
      const now = Date.now();
      q.failures++;
      q.firstFailureAt ??= now;
      if (now - q.firstFailureAt >= this.opts.discardAfterMs) {
        for (const e of q.items.splice(0)) this.log(hook, e, { outcome: 'discarded' });
        q.failures = 0;
        q.firstFailureAt = null;
        return;
      }
      const wait = Math.min(this.opts.initialBackoffMs * 2 ** (q.failures - 1), this.opts.maxBackoffMs);
      q.timer = setTimeout(() => {
        q.timer = null;
        this.pump(hookId);
      }, wait);
    });
  }

  private async attempt(hook: Hook, event: WebhookEvent): Promise<boolean> {
    const started = new Date().toISOString();
    const ctl = new AbortController();
    this.inflight.add(ctl);
    const timer = setTimeout(() => ctl.abort(), this.opts.timeoutMs);
    try {
      const res = await fetch(hook.destination_url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'User-Agent': 'Procore-Webhooks (sandbox)', ...hook.destination_headers },
        body: JSON.stringify(event),
        signal: ctl.signal,
      });
      const body = await res.text();
      const ok = res.status >= 200 && res.status < 300;
      this.log(hook, event, {
        outcome: ok ? 'ok' : 'retried',
        response_status: res.status,
        response_headers: Object.fromEntries(res.headers),
        response_body: body.slice(0, 2000),
        started_at: started,
      });
      return ok;
    } catch (err) {
      const msg = ctl.signal.aborted ? `Timed out after ${this.opts.timeoutMs} ms` : (err as Error).message;
      this.log(hook, event, { outcome: 'retried', response_error: msg, started_at: started });
      return false;
    } finally {
      clearTimeout(timer);
      this.inflight.delete(ctl);
    }
  }

  private log(hook: Hook, event: WebhookEvent, d: Partial<Delivery>): void {
    const id = this.store.nextId('delivery', 1);
    this.store.deliveries.set(id, {
      id,
      hook_id: hook.id,
      event,
      event_id: event.id,
      outcome: 'pending',
      attempts: 1,
      response_status: null,
      response_headers: {},
      response_body: null,
      response_error: null,
      started_at: null,
      completed_at: new Date().toISOString(),
      ...d,
    });
  }

  close(): void {
    this.closed = true;
    for (const q of this.queues.values()) if (q.timer) clearTimeout(q.timer);
    for (const c of this.inflight) c.abort();
  }
}
