-- Tenants, console and sessions (issue 5): credential source, key canaries, ops accounts,
-- sessions, login throttling, the demo mail outbox and sync-now requests.

-- 'shared' = the product's marketplace DMSA app from config: nothing secret is stored per tenant.
alter table credentials add column source text not null default 'tenant' check (source in ('tenant', 'shared'));
alter table credentials alter column secret_ciphertext drop not null;
alter table credentials alter column key_id drop not null;
alter table credentials add constraint credentials_secret_present
  check (source = 'shared' or (secret_ciphertext is not null and key_id is not null));

alter table tenants add column sync_requested_at timestamptz;
alter table tenants add column resumed_at timestamptz;
alter table tenants add column last_validation jsonb;

-- One known value encrypted with each key id: a wrong key for an id fails at boot, not at first use.
create table encryption_canaries (
  key_id text primary key,
  canary text not null,
  created_at timestamptz not null default now()
);

create table ops_users (
  id uuid primary key default gen_random_uuid(),
  email text not null unique,
  -- scrypt$N$r$p$salt$hash (base64)
  password_hash text not null,
  created_at timestamptz not null default now(),
  disabled_at timestamptz
);

-- Server-side sessions; the cookie holds a random token, the table only its sha256.
create table sessions (
  id text primary key,
  kind text not null,
  subject text not null,
  data jsonb not null default '{}'::jsonb,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null
);
create index sessions_expires_idx on sessions (expires_at);

create table login_failures (
  id bigserial primary key,
  email text not null,
  ip text not null,
  at timestamptz not null default now()
);
create index login_failures_idx on login_failures (email, ip, at);

-- Mail kept locally when no SMTP_URL is configured (demo), shown in the console.
create table mail_outbox (
  id bigserial primary key,
  to_addrs jsonb not null,
  subject text not null,
  body_text text not null,
  body_html text,
  created_at timestamptz not null default now()
);

-- "Sync now" requests from ops; the sync engine consumes them (sets consumed_at).
create table sync_requests (
  id bigserial primary key,
  tenant_id uuid not null references tenants (id) on delete cascade,
  requested_by text not null,
  requested_at timestamptz not null default now(),
  consumed_at timestamptz
);
create index sync_requests_open_idx on sync_requests (tenant_id) where consumed_at is null;
