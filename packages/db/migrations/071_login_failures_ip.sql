-- Login throttling counts failures per account (any address) and per address (any account):
-- these indexes serve the two counts.
create index login_failures_email_at_idx on login_failures (email, at);
create index login_failures_ip_at_idx on login_failures (ip, at);
