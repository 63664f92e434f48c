-- Side panel sign-ins kept across page loads (issue 13): the panel keeps its bearer token in the
-- iframe's partitioned sessionStorage and renews the session while it is open. A renewal slides
-- expires_at by the idle window, never past renew_until = the myCOI user token's own expiry (our
-- calls on the user's behalf stop working then). Null = the session cannot be renewed.
alter table panel_sessions add column renew_until timestamptz;
