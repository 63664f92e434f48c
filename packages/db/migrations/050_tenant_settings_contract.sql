-- One settings schema (@mycoi/contracts TenantSettings). Older documents used the sync engine's
-- own names (expiryNotifications, approvedCommitmentStatuses, commitmentStatus) or only held the
-- keys a customer had changed; rewrite every object document to the contract's names with every
-- key present, so the strict reader needs no defaults. A contract key already present wins over an
-- old one. Values are moved as they are: a value of the wrong type stays wrong and is reported as
-- settings_invalid, never guessed. Documents that are not objects are left for the same report.
update tenants
   set settings = (settings - 'expiryNotifications' - 'approvedCommitmentStatuses' - 'commitmentStatus') || jsonb_build_object(
         'procoreExpiryEmails', coalesce(settings -> 'procoreExpiryEmails', settings -> 'expiryNotifications', 'false'::jsonb),
         'approvedStatuses', coalesce(settings -> 'approvedStatuses', settings -> 'approvedCommitmentStatuses', '["Approved", "Complete"]'::jsonb),
         'digestRecipients', coalesce(settings -> 'digestRecipients', '[]'::jsonb),
         'addVendorsToProjectDirectory', coalesce(settings -> 'addVendorsToProjectDirectory', 'false'::jsonb),
         'commitmentComplianceStatus', coalesce(settings -> 'commitmentComplianceStatus', settings -> 'commitmentStatus', 'false'::jsonb)
       )
 where jsonb_typeof(settings) = 'object';

-- A tenant row written without settings starts from the contract's defaults (defaultTenantSettings;
-- a test keeps the two equal).
alter table tenants alter column settings set default
  '{"procoreExpiryEmails": false, "approvedStatuses": ["Approved", "Complete"], "digestRecipients": [], "addVendorsToProjectDirectory": false, "commitmentComplianceStatus": false}'::jsonb;
