import { z } from 'zod';
import { id, str } from './common';

const optInt = z.number().int().nullable().optional();

export const Hook = z.looseObject({
  id,
  api_version: str,
  namespace: str,
  destination_url: z.string(),
  destination_headers: z.looseObject({ Authorization: str }).nullable().optional(),
  owned_by_company_id: optInt,
  owned_by_project_id: optInt,
  owned_by_user_id: optInt,
});
export type Hook = z.infer<typeof Hook>;

/** The spec enumerates CREATE/UPDATE/DELETE while the guides use lower case: accept both. */
export const Trigger = z.looseObject({
  id,
  webhook_hook_id: optInt,
  resource_name: z.string(),
  resource_id: optInt,
  event_type: z.string().refine((v) => ['create', 'update', 'delete'].includes(v.toLowerCase()), 'unknown event_type'),
  company_id: optInt,
  project_id: optInt,
  user_id: optInt,
});
export type Trigger = z.infer<typeof Trigger>;

export const Delivery = z.looseObject({
  event: z
    .looseObject({
      id: z.union([z.number(), z.string()]),
      ulid: str,
      timestamp: str,
      resource_name: str,
      resource_id: z.union([z.number(), z.string()]).nullable().optional(),
      event_type: str,
      company_id: optInt,
      project_id: optInt,
      user_id: optInt,
      api_version: str,
    })
    .nullable()
    .optional(),
  event_id: z.union([z.number(), z.string()]),
  outcome: z.enum(['ok', 'retried', 'failed', 'discarded']),
  response_status: optInt,
  response_body: str,
  response_error: str,
  started_at: str,
  completed_at: str,
});
export type Delivery = z.infer<typeof Delivery>;

export interface HookInput {
  api_version?: string; // default 'v2'
  namespace: string;
  destination_url: string;
  destination_headers?: { Authorization?: string };
}

export type WebhookScope = { companyId: number; projectId?: undefined } | { projectId: number; companyId?: undefined };
