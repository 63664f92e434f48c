-- Side panel (issues 11.6, 16.3): the Procore user's refresh token travels with the grant into the
-- session, encrypted like the access token, so a panel session outlives the access token's 90
-- minutes by refreshing it. `procore_token_expires_at` lets the service refresh shortly before
-- expiry instead of waiting for Procore's 401. Refresh tokens rotate: every refresh rewrites both.
alter table panel_grants add column procore_refresh_token text;
alter table panel_grants add column procore_token_expires_at timestamptz;
alter table panel_sessions add column procore_refresh_token text;
alter table panel_sessions add column procore_token_expires_at timestamptz;

-- Customer-admin sessions keep the admin's Procore token pair (encrypted, associated data
-- 'admin:' || subject) so the service can re-check, with Procore, that the admin still belongs to
-- the company: an admin removed in Procore loses the console (issue 16.3). verified_at: last check.
alter table sessions add column procore_token text;
alter table sessions add column procore_refresh_token text;
alter table sessions add column procore_token_expires_at timestamptz;
alter table sessions add column verified_at timestamptz;
