-- One job queue (issue 15): every kind of background work is a row of `runs`, claimed by the same
-- worker pool. Two guarantees move from code into indexes:
--  * never two runs of one tenant at once, on any instance: at most one 'running' row per tenant;
--  * coalescing: at most one QUEUED targeted run per tenant; webhook events merge into it.

-- Targeted runs of the old events worker: parked ones (queued an hour ahead, claimed by id) and
-- ones running alongside another run of their tenant. Their events are still pending in
-- webhook_events (the old worker settled events only after its run) and are queued again below;
-- the rows themselves are ended.
update runs set status = 'stopped', finished_at = now(), lease_owner = null, lease_expires_at = null,
       stop_reason = 'superseded_by_job_queue'
 where kind = 'targeted'
   and (status = 'queued'
        or (status = 'running'
            and exists (select 1 from runs o where o.tenant_id = runs.tenant_id and o.status = 'running' and o.id <> runs.id)));

-- A push and an upkeep of one tenant running at once: keep the oldest, queue the other again
-- (it resumes from the ledger and checkpoints).
update runs r set status = 'queued', run_after = now(), lease_owner = null, lease_expires_at = null
 where r.status = 'running'
   and exists (select 1 from runs o where o.tenant_id = r.tenant_id and o.status = 'running' and o.id < r.id);

create unique index runs_one_running_idx on runs (tenant_id) where status = 'running';
create unique index runs_one_queued_targeted_idx on runs (tenant_id) where kind = 'targeted' and status = 'queued';

-- Merge two run targets (jsonb objects): array members are united without repeats, any other
-- member takes the newer value. Used by the coalescing upsert of targeted runs.
create or replace function merge_run_targets(a jsonb, b jsonb) returns jsonb
language sql immutable as $$
  select coalesce(jsonb_object_agg(k, v), '{}'::jsonb) from (
    select k,
           case when jsonb_typeof(coalesce(b -> k, a -> k)) = 'array' then (
             select coalesce(jsonb_agg(e order by e), '[]'::jsonb) from (
               select jsonb_array_elements(case when jsonb_typeof(a -> k) = 'array' then a -> k else '[]'::jsonb end) as e
               union
               select jsonb_array_elements(case when jsonb_typeof(b -> k) = 'array' then b -> k else '[]'::jsonb end)
             ) u)
           else coalesce(b -> k, a -> k) end as v
      from (select jsonb_object_keys(coalesce(a, '{}'::jsonb)) as k
            union
            select jsonb_object_keys(coalesce(b, '{}'::jsonb))) keys
  ) t
$$;

-- Events still pending from before: one queued targeted run per tenant carries them.
insert into runs (tenant_id, kind, status, trigger, run_after, target)
select tenant_id, 'targeted', 'queued', 'event', min(handle_after),
       jsonb_build_object('eventIds', jsonb_agg(id order by id))
  from webhook_events where status = 'pending'
 group by tenant_id;
update webhook_events set lease_owner = null, lease_expires_at = null where status = 'pending';

-- the claim looks up "does this tenant have a running run" for every candidate
create index runs_tenant_status_idx on runs (tenant_id, status);
