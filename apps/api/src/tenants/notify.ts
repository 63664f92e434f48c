import type { Actor } from './audit';
import { audit } from './audit';
import type { TenantDeps } from './deps';
import type { TenantRow } from './repo';

/**
 * Emails ops that a company finished setup. The status change is already committed: a mail
 * failure is logged and audited (ops still see the tenant in the console list) rather than
 * undoing the customer's request.
 */
export async function notifyOpsOfRequest(d: TenantDeps, t: TenantRow, actor: Actor): Promise<void> {
  const features = [t.compliance_push && 'compliance push', t.side_panel && 'side panel'].filter(Boolean).join(' + ');
  const link = `${d.publicUrl}/console/ops/tenants/${t.id}`;
  const text = [
    `${t.name} (Procore company ${t.procore_company_id}, ${t.procore_environment}) has completed setup and requests activation.`,
    '',
    `Requested by: ${actor.id}`,
    `Features: ${features || 'none'}`,
    `Compliance level: ${t.compliance_level}`,
    '',
    `Review and activate: ${link}`,
  ].join('\n');
  try {
    await d.mailer.send({ to: d.opsEmail, subject: `Activation requested: ${t.name} (${t.procore_company_id})`, text });
    await audit(d.pool, t.id, actor, 'mail.ops_notified', { to: d.opsEmail, via: d.mailer.kind });
  } catch (err) {
    d.logger.error({ err, tenantId: t.id }, 'could not email ops about an activation request');
    await audit(d.pool, t.id, actor, 'mail.ops_notify_failed', { to: d.opsEmail });
  }
}
