export * from './features';
// the gate lives next to the settings it reads; both are exported through this one index line
import { TenantSettings } from './tenants';

export type StoredSettings = { ok: true; settings: TenantSettings } | { ok: false; error: string };

/**
 * Reads a tenant's stored settings document (tenants.settings) with THE schema. No defaults are
 * filled in: a document that does not parse is reported as such (the migration and the column
 * default write complete documents), so nothing ever runs on values the customer did not choose.
 */
export function readTenantSettings(raw: unknown): StoredSettings {
  const parsed = TenantSettings.safeParse(raw);
  if (parsed.success) return { ok: true, settings: parsed.data };
  const error = parsed.error.issues.map((i) => `${i.path.join('.') || 'settings'}: ${i.message}`).join('; ');
  return { ok: false, error };
}
