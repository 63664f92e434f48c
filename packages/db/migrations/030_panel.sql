-- Side panel (issue 7): Procore sign-in states and grants, tenant-scoped panel sessions, and the
-- idempotency ledger of panel actions. Tokens are stored only as sha256 hashes; upstream user
-- tokens only as AES-256-GCM envelopes (apps/api/src/secrets/crypto.ts).

-- OAuth `state` of a Procore sign-in popup (CSRF): single use, minutes-long.
create table panel_oauth_states (
  state_hash text primary key,
  procore_company_id text not null,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  used_at timestamptz
);

-- What the OAuth callback hands to the panel (through the popup's notifySuccess): a one-time
-- handle to the signed-in Procore user, redeemed when the myCOI login completes the session.
create table panel_grants (
  grant_hash text primary key,
  procore_company_id text not null,
  procore_user_id text not null,
  procore_login text not null,
  procore_name text,
  -- the user's Procore access token, encrypted (associated data: 'grant:' || grant_hash)
  procore_token text not null,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  used_at timestamptz
);

create table panel_sessions (
  token_hash text primary key,
  tenant_id uuid not null references tenants (id) on delete cascade,
  procore_company_id text not null,
  procore_user_id text not null,
  procore_login text not null,
  procore_name text,
  -- encrypted with the tenant id as associated data
  procore_token text not null,
  mycoi_user_id text not null,
  mycoi_email text not null,
  mycoi_name text,
  mycoi_role text not null,
  mycoi_token text not null,
  -- projects the Procore user was verified to see (checked once per session with the user's token)
  verified_projects text[] not null default '{}',
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  revoked_at timestamptz
);
create index panel_sessions_expires_idx on panel_sessions (expires_at);

-- One row per (tenant, Idempotency-Key): a double click or a retry replays the stored result
-- instead of acting twice. `state` = pending while the first request runs.
create table panel_actions (
  tenant_id uuid not null references tenants (id) on delete cascade,
  idempotency_key text not null,
  action text not null,
  request_hash text not null,
  state text not null default 'pending' check (state in ('pending', 'done', 'failed')),
  status_code integer,
  result jsonb,
  created_by text not null,
  created_at timestamptz not null default now(),
  finished_at timestamptz,
  primary key (tenant_id, idempotency_key)
);
