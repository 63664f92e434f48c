import { createHmac } from 'node:crypto';
import type { ComplianceRecord } from './types';

export interface WebhookConfig {
  url: string;
  secret: string;
  /** Attempts per event including the first; default 5. */
  attempts?: number;
  /** First retry delay, doubled per attempt; default 200 ms (myCOI would use minutes). */
  backoffMs?: number;
  /** Per-attempt timeout; default 10 s as in the contract. */
  timeoutMs?: number;
}

export interface Delivery {
  eventId: string;
  attempt: number;
  at: string;
  status: number | null;
  error?: string;
  ok: boolean;
}

/** `myCOI-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "t.body")>` */
export function signature(secret: string, body: string, t: number): string {
  return `t=${t},v1=${createHmac('sha256', secret).update(`${t}.${body}`).digest('hex')}`;
}

/** Delivers compliance.updated events with retries; the same event id on every attempt, a fresh signature each time. */
export class WebhookDispatcher {
  private config: WebhookConfig | undefined;
  private seq = 0;
  readonly deliveries: Delivery[] = [];
  private readonly pending = new Set<Promise<void>>();
  private closed = false;

  constructor(
    config?: WebhookConfig,
    private readonly now: () => number = Date.now,
  ) {
    this.config = config;
  }

  configure(config: WebhookConfig | undefined): void {
    this.config = config;
  }

  get configured(): WebhookConfig | undefined {
    return this.config;
  }

  emit(record: ComplianceRecord): string | undefined {
    const cfg = this.config;
    if (!cfg || this.closed) return undefined;
    this.seq += 1;
    const id = `evt_${this.now().toString(36)}_${this.seq}`;
    // Serialised now: the record object keeps changing after the event.
    const body = JSON.stringify({
      id,
      type: 'compliance.updated',
      created_at: new Date(this.now()).toISOString(),
      account_id: record.account_id,
      data: { record },
    });
    const p = this.deliver(cfg, id, body).finally(() => this.pending.delete(p));
    this.pending.add(p);
    return id;
  }

  /** Resolves once every event emitted so far has been delivered or given up. */
  async flush(): Promise<void> {
    while (this.pending.size) await Promise.all([...this.pending]);
  }

  close(): void {
    this.closed = true;
  }

  private async deliver(cfg: WebhookConfig, id: string, body: string): Promise<void> {
    const attempts = cfg.attempts ?? 5;
    for (let attempt = 1; attempt <= attempts && !this.closed; attempt++) {
      const t = Math.floor(this.now() / 1000);
      const d: Delivery = { eventId: id, attempt, at: new Date(this.now()).toISOString(), status: null, ok: false };
      try {
        const res = await fetch(cfg.url, {
          method: 'POST',
          body,
          signal: AbortSignal.timeout(cfg.timeoutMs ?? 10_000),
          headers: {
            'content-type': 'application/json',
            'myCOI-Event-Id': id,
            'myCOI-Event-Type': 'compliance.updated',
            'myCOI-Signature': signature(cfg.secret, body, t),
          },
        });
        await res.arrayBuffer().catch(() => undefined);
        d.status = res.status;
        d.ok = res.ok;
      } catch (e) {
        d.error = (e as Error).name;
      }
      this.deliveries.push(d);
      if (d.ok) return;
      if (attempt < attempts) await new Promise((r) => setTimeout(r, (cfg.backoffMs ?? 200) * 2 ** (attempt - 1)));
    }
  }
}
