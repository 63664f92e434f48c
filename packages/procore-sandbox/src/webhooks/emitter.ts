import type { Store } from '../state/store';
import type { WebhookEvent } from '../state/types';
import { ulid } from './ulid';

export interface EmitArgs {
  companyId: number;
  projectId?: number | null;
  resourceName: string;
  resourceId: number;
  eventType: 'create' | 'update' | 'delete';
  /** Who made the change: the token's user (the DMSA user for service accounts) or a human. */
  userId?: number | null;
  /** The app whose API call caused the change (null for changes "by hand" in Procore). */
  applicationId?: string | null;
}

export type EventListener = (e: WebhookEvent) => void;

/** Turns changes into v2.0 webhook events and hands them to listeners (the delivery engine). */
export class Emitter {
  events: WebhookEvent[] = [];
  private listeners: EventListener[] = [];

  constructor(private store: Store) {}

  on(l: EventListener): void {
    this.listeners.push(l);
  }

  emit(a: EmitArgs): WebhookEvent {
    const nowMs = this.store.nowMs();
    const projectId = a.projectId ?? null;
    const e: WebhookEvent = {
      id: this.store.nextId('event', 100_000_001),
      ulid: ulid(nowMs),
      // Procore sends microseconds; JS has milliseconds.
      timestamp: new Date(nowMs).toISOString().replace('Z', '000Z'),
      metadata: {
        source_user_id: a.userId ?? null,
        source_project_id: projectId,
        source_operation_id: null,
        source_company_id: a.companyId,
        source_application_id: a.applicationId ?? null,
      },
      user_id: a.userId ?? null,
      company_id: a.companyId,
      project_id: projectId,
      api_version: 'v2.0',
      event_type: a.eventType,
      resource_name: a.resourceName,
      resource_id: a.resourceId,
    };
    this.events.push(e);
    // Bounded: benchmarks write thousands of records; tests only look at recent events.
    if (this.events.length > 10_000) this.events.splice(0, this.events.length - 10_000);
    for (const l of this.listeners) l(e);
    return e;
  }
}
