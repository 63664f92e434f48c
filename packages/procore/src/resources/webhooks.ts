// Webhooks v1.0: hooks and triggers are scoped by company_id OR project_id (in the body for
// creates, in the query otherwise). Deliveries page by cursor (page_size + page_start = the last
// id of the previous page), not by Link headers.
import { parseList, type InvalidRecord } from '@mycoi/http';
import type { Core } from '../core';
import { Delivery, Hook, Trigger, type HookInput, type WebhookScope } from '../schemas/webhook';

function scopeParams(s: WebhookScope): Record<string, number> {
  return s.projectId !== undefined ? { project_id: s.projectId } : { company_id: s.companyId };
}

export function webhooksApi(core: Core, companyId: number) {
  const company: WebhookScope = { companyId };
  return {
    /** POST: not retried after an ambiguous failure (list by namespace to check instead). */
    createHook: (hook: HookInput, scope: WebhookScope = company) =>
      core.one(companyId, Hook, {
        method: 'POST',
        url: '/rest/v1.0/webhooks/hooks',
        data: { ...scopeParams(scope), hook: { api_version: 'v2', ...hook } },
      }),
    listHooks: (f: { namespace?: string; apiVersion?: string } = {}, scope: WebhookScope = company) =>
      core.all(
        core.pages(companyId, Hook, '/rest/v1.0/webhooks/hooks', {
          ...scopeParams(scope),
          ...(f.namespace ? { namespace: f.namespace } : {}),
          ...(f.apiVersion ? { api_version: f.apiVersion } : {}),
        }),
      ),
    deleteHook: async (hookId: number, scope: WebhookScope = company) => {
      await core.request(companyId, { method: 'DELETE', url: `/rest/v1.0/webhooks/hooks/${hookId}`, params: scopeParams(scope) });
    },
    createTrigger: (
      hookId: number,
      trigger: { resource_name: string; event_type: 'create' | 'update' | 'delete' },
      scope: WebhookScope = company,
      apiVersion = 'v2',
    ) =>
      core.one(companyId, Trigger, {
        method: 'POST',
        url: `/rest/v1.0/webhooks/hooks/${hookId}/triggers`,
        data: { ...scopeParams(scope), api_version: apiVersion, trigger },
      }),
    listTriggers: (hookId: number, scope: WebhookScope = company) =>
      core.all(core.pages(companyId, Trigger, `/rest/v1.0/webhooks/hooks/${hookId}/triggers`, scopeParams(scope))),
    deleteTrigger: async (hookId: number, triggerId: number, scope: WebhookScope = company) => {
      await core.request(companyId, {
        method: 'DELETE',
        url: `/rest/v1.0/webhooks/hooks/${hookId}/triggers/${triggerId}`,
        params: scopeParams(scope),
      });
    },
    /** All deliveries, following the page_start cursor. */
    async deliveries(
      hookId: number,
      f: { status?: 'any' | 'successful' | 'failing' | 'discarded'; pageSize?: number } = {},
      scope: WebhookScope = company,
    ) {
      const pageSize = f.pageSize ?? 100;
      const items: Delivery[] = [];
      const invalid: InvalidRecord[] = [];
      let start: number | string | undefined;
      for (let guard = 0; guard < 10_000; guard++) {
        const res = await core.request(companyId, {
          method: 'GET',
          url: `/rest/v1.0/webhooks/hooks/${hookId}/deliveries`,
          params: {
            ...scopeParams(scope),
            page_size: pageSize,
            ...(start !== undefined ? { page_start: start } : {}),
            ...(f.status ? { 'filters[status]': f.status } : {}),
          },
        });
        const page = parseList(Delivery, res.data);
        items.push(...page.items);
        invalid.push(...page.invalid);
        const raw = Array.isArray(res.data) ? res.data : [];
        // "page_start: the last id of the previous page". The documented item has only event_id;
        // if an item carries its own delivery id, that is the id the cursor refers to.
        const last = raw[raw.length - 1] as { id?: unknown; event_id?: unknown } | undefined;
        const cursor = last?.id ?? last?.event_id;
        const next = typeof cursor === 'number' || typeof cursor === 'string' ? cursor : undefined;
        if (raw.length < pageSize || next === undefined || next === start) break;
        start = next;
      }
      return { items, invalid };
    },
  };
}
