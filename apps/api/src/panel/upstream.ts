import { createOAuthClient, createProcoreClient, staticToken, type ProcoreClient } from '@mycoi/procore';
import {
  createMycoiClient,
  loginMycoiUser,
  MycoiApiError,
  MycoiDuplicateError,
  type ComplianceRecord,
  type MycoiClient,
} from '@mycoi/mycoi';
import { UpstreamError as HttpUpstreamError } from '@mycoi/http';
import { procoreComplianceView, todayUtc, toRecord } from '@mycoi/sync';
import type { Database } from '@mycoi/db';
import { MissingCredentialsError, type TenantClientRegistry } from '../clients/tenant-clients';
import type { UpstreamView } from '../upstream';
import { UpstreamError, type MycoiCompliance, type MycoiRecord, type PanelPorts, type ProcoreAddress, type RefreshPort } from './ports';

/** Maps the clients' errors onto the panel's UpstreamError (service + status), dropping everything else. */
function wrap(service: 'procore' | 'mycoi', err: unknown): never {
  if (err instanceof UpstreamError) throw err;
  // a local encoding failure on client input (e.g. a lone surrogate in an id): the caller's fault, not an outage
  if (err instanceof URIError) throw err;
  if (err instanceof HttpUpstreamError) {
    const code = err instanceof MycoiApiError ? (err.apiCode ?? 'error') : (err.code ?? 'error');
    const msg = err.upstreamMessage ?? (err.status ? `HTTP ${err.status}` : 'no response');
    throw new UpstreamError(service, err.status ?? 0, code, msg, err instanceof MycoiApiError ? err.details : undefined);
  }
  throw new UpstreamError(service, 0, 'unexpected', err instanceof Error ? err.message : String(err));
}
const guard = <T>(service: 'procore' | 'mycoi', p: Promise<T>): Promise<T> => p.catch((e) => wrap(service, e));

const nul = (v: unknown): string | null => (typeof v === 'string' && v.trim() ? v : null);
const num = (v: unknown): number | null => {
  const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : NaN;
  return Number.isFinite(n) ? n : null;
};
const procoreAddress = (r: Record<string, unknown>): ProcoreAddress => ({
  line1: nul(r.address),
  city: nul(r.city),
  state: nul(r.state_code),
  postalCode: nul(r.zip),
  country: nul(r.country_code),
});
const mycoiAddress = (a: ProcoreAddress | null) =>
  a
    ? {
        line1: a.line1,
        city: a.city,
        state: a.state,
        postal_code: a.postalCode,
        country: a.country && a.country.length === 2 ? a.country : null,
      }
    : null;

function toCompliance(c: ComplianceRecord): MycoiCompliance {
  const st = c.status as { kind: string; label: string; outcome?: string };
  return {
    level: c.level,
    status: { kind: st.kind, label: st.label, outcome: st.outcome },
    lines: c.coverage_lines.map((l) => ({
      id: l.id,
      type: l.type,
      typeLabel: l.type_label,
      carrier: l.carrier,
      policyNumber: l.policy_number,
      effectiveDate: l.effective_date,
      expirationDate: l.expiration_date,
      status: l.status,
    })),
    deficiencies: c.deficiencies.map((d) => ({ id: d.id, requirement: d.requirement, note: d.note })),
    lastReviewedAt: c.last_reviewed_at,
    updatedAt: c.updated_at,
    // the engine's own mapping: what the panel shows is what Procore's Insurance tab shows
    procore: procoreComplianceView(toRecord(c), todayUtc()),
  };
}

export interface PanelUpstreamDeps {
  db: Database;
  upstream: UpstreamView;
  /** The shared per-tenant clients; absent (a test mounting the panel alone): DMSA reads answer 503 not_configured. */
  tenantClients?: TenantClientRegistry;
  /** "Refresh" on a record; absent: a targeted run is queued for the scheduler's worker. */
  refresh?: RefreshPort;
}

/**
 * Real ports over @mycoi/procore and @mycoi/mycoi. DMSA clients are cached per tenant (their
 * token is cached and single-flight inside); user clients are per call (a static user token).
 * Returns null when no Procore/myCOI location is known.
 */
export function createPanelPorts(d: PanelUpstreamDeps): PanelPorts | null {
  const {
    procoreLoginUrl: loginUrl,
    procoreApiUrl: apiUrl,
    mycoiApiUrl: mycoiUrl,
    procoreClientId: clientId,
    procoreClientSecret: clientSecret,
  } = d.upstream;
  if (!loginUrl || !apiUrl || !mycoiUrl || !clientId || !clientSecret) return null;
  const hosts = { loginUrl, apiUrl };
  const oauth = createOAuthClient({ hosts, http: { timeoutMs: 10_000 } });
  const app = { clientId, clientSecret };

  // The tenant's DMSA client comes from the shared registry: the panel spends the same token and
  // rate budget as the scheduler and the event handlers, as an interactive caller (background
  // pushes leave part of every rate window to it).
  const registry = d.tenantClients;
  // Concurrent reads of one request (project ‖ commitment) share one credential check.
  const inflight = new Map<string, Promise<ProcoreClient>>();
  function dmsaClient(tenantId: string): Promise<ProcoreClient> {
    const running = inflight.get(tenantId);
    if (running) return running;
    if (!registry)
      return Promise.reject(new UpstreamError('procore', 503, 'not_configured', 'Company clients are not set up on this server'));
    const p = registry
      .procore(tenantId, { interactive: true })
      .then((t) => t.client)
      .catch((err: unknown) => {
        if (err instanceof MissingCredentialsError)
          throw new UpstreamError('procore', 401, 'no_dmsa', 'This company has no Procore DMSA credentials set up');
        throw err;
      })
      .finally(() => inflight.delete(tenantId));
    inflight.set(tenantId, p);
    return p;
  }
  // One attempt: a 401 goes back to the caller, which renews the session's token (procore-token.ts).
  const userProcore = (token: string) =>
    createProcoreClient({ hosts, token: staticToken(token), http: { timeoutMs: 10_000, retry: { maxAttempts: 1 } } });
  /** 403/404 mean "not visible to this user"; anything else (401 → the caller renews, 5xx) is an error. */
  const visible = async (p: Promise<unknown>): Promise<boolean> => {
    try {
      await p;
      return true;
    } catch (e) {
      if (e instanceof HttpUpstreamError && (e.status === 403 || e.status === 404)) return false;
      return wrap('procore', e);
    }
  };
  const pair = (t: { access_token: string; refresh_token?: string; expires_in: number; created_at?: number }) => ({
    accessToken: t.access_token,
    refreshToken: t.refresh_token ?? null,
    expiresAt: new Date((t.created_at ? t.created_at * 1000 : Date.now()) + t.expires_in * 1000),
  });
  // One myCOI client per user token (a session's calls reuse its transport); bounded, oldest out first.
  const myClients = new Map<string, MycoiClient>();
  const my = (token: string): MycoiClient => {
    let c = myClients.get(token);
    if (!c) {
      c = createMycoiClient({ baseURL: mycoiUrl, userToken: token, timeoutMs: 10_000 });
      myClients.set(token, c);
      if (myClients.size > 500) myClients.delete(myClients.keys().next().value!);
    }
    return c;
  };

  async function createOrExisting<T>(p: Promise<T>): Promise<[T, boolean]> {
    try {
      return [await p, false];
    } catch (e) {
      // 409 duplicate_external_id: the record already exists for this Procore id — link it, don't duplicate.
      if (e instanceof MycoiDuplicateError) return [e.existing as T, true];
      return wrap('mycoi', e);
    }
  }

  const refresh: RefreshPort = d.refresh ?? {
    // A targeted run of the sync engine for this one myCOI vendor/assignment: the scheduler's worker
    // claims it within seconds and pushes just its rows. (main may inject a synchronous panelRefresh.)
    async refresh(tenantId, target) {
      const { enqueueRun } = await import('@mycoi/sync');
      await enqueueRun(d.db.pool, {
        tenantId,
        kind: 'targeted',
        trigger: 'manual',
        target: target.kind === 'vendor' ? { vendorId: target.mycoiId } : { assignmentId: target.mycoiId },
      });
      return { queued: true, pushed: null };
    },
  };

  return {
    procoreUser: {
      authorizeUrl: (redirectUri, state) => oauth.authorizeUrl({ clientId, redirectUri, state }),
      exchangeCode: async (code, redirectUri) => pair(await guard('procore', oauth.exchangeCode({ ...app, code, redirectUri }))),
      refresh: async (refreshToken) => pair(await guard('procore', oauth.refresh({ ...app, refreshToken }))),
      me: async (token, companyId) => {
        const m = await guard('procore', userProcore(token).company(Number(companyId)).me());
        return { id: String(m.id), login: m.login, name: nul(m.name) };
      },
      canUseCompany: (token, companyId) => visible(userProcore(token).company(Number(companyId)).me()),
      canSeeProject: (token, companyId, projectId) =>
        visible(userProcore(token).company(Number(companyId)).projects.get(Number(projectId))),
      canSeeProjectVendor: (token, companyId, projectId, vendorId) =>
        visible(userProcore(token).company(Number(companyId)).projectVendors(Number(projectId)).get(Number(vendorId))),
      canSeeCommitment: async (token, companyId, projectId, commitmentId) =>
        // Procore scopes the commitment read by project_id: one of another project answers 404.
        visible(userProcore(token).company(Number(companyId)).commitments.get(Number(projectId), Number(commitmentId))),
    },
    procoreData: {
      project: async (tenantId, companyId, projectId) => {
        const p = await guard('procore', (await dmsaClient(tenantId)).company(Number(companyId)).projects.get(Number(projectId)));
        return { id: String(p.id), name: p.name, number: nul(p.project_number), address: procoreAddress(p) };
      },
      vendor: async (tenantId, companyId, vendorId) => {
        const v = await guard('procore', (await dmsaClient(tenantId)).company(Number(companyId)).vendors.get(Number(vendorId)));
        return { id: String(v.id), name: v.name, email: nul(v.email_address), phone: nul(v.business_phone), address: procoreAddress(v) };
      },
      commitment: async (tenantId, companyId, projectId, id) => {
        const c = await guard(
          'procore',
          (await dmsaClient(tenantId)).company(Number(companyId)).commitments.get(Number(projectId), Number(id)),
        );
        const raw = c as Record<string, unknown> & { project?: { id?: number } | null; vendor?: { id?: number } | null };
        return {
          id: String(c.id),
          kind: /purchase/i.test(String(c.type ?? '')) ? 'purchase_order' : 'subcontract',
          number: nul(c.number),
          title: nul(c.title),
          status: nul(c.status),
          amount: num(raw.grand_total),
          vendorId: raw.vendor?.id ? String(raw.vendor.id) : null,
          projectId: raw.project?.id ? String(raw.project.id) : projectId,
        };
      },
    },
    mycoi: {
      login: async (email, password) => {
        const r = await guard('mycoi', loginMycoiUser({ baseURL: mycoiUrl, email, password, timeoutMs: 10_000 }));
        if (!r.ok)
          throw new UpstreamError(
            'mycoi',
            r.reason === 'locked' ? 423 : 401,
            r.reason,
            r.reason === 'locked' ? 'locked' : 'invalid credentials',
          );
        return {
          token: r.token,
          expiresInSeconds: r.expiresInSeconds,
          user: { id: r.user.id, email: r.user.email, name: r.user.name, accountId: r.user.account_id, role: r.user.role },
        };
      },
      get: async (token, kind, id) => {
        const c = my(token);
        try {
          if (kind === 'division') {
            const x = await c.getDivision(id);
            return { id: x.id, name: x.name, externalId: x.external_id, detail: x.code };
          }
          if (kind === 'vendor') {
            const x = await c.getVendor(id);
            return { id: x.id, name: x.name, externalId: x.external_id, detail: x.tax_id };
          }
          const x = await c.getAssignment(id);
          return { id: x.id, name: x.title ?? x.contract_id ?? x.id, externalId: x.external_id, detail: x.contract_id };
        } catch (e) {
          if (e instanceof HttpUpstreamError && e.status === 404) return null;
          return wrap('mycoi', e);
        }
      },
      search: async (token, kind, q) => {
        const c = my(token);
        let out: MycoiRecord[];
        if (kind === 'division')
          out = (await guard('mycoi', c.listDivisions({ q: q || undefined, limit: 20 }))).items.map((x) => ({
            id: x.id,
            name: x.name,
            externalId: x.external_id,
            detail: x.code,
          }));
        else if (kind === 'vendor')
          out = (await guard('mycoi', c.listVendors({ q: q || undefined, limit: 20 }))).items.map((x) => ({
            id: x.id,
            name: x.name,
            externalId: x.external_id,
            detail: x.tax_id,
          }));
        else {
          const page = await guard('mycoi', c.listAssignments(q ? { contractId: q, limit: 20 } : { limit: 20 }));
          out = page.items.map((x) => ({
            id: x.id,
            name: x.title ?? x.contract_id ?? x.id,
            externalId: x.external_id,
            detail: x.contract_id,
          }));
        }
        return out;
      },
      insuranceSets: async (token) =>
        (await guard('mycoi', my(token).listInsuranceSets({ limit: 100 }))).items.map((s) => ({
          id: s.id,
          name: s.name,
          description: s.description,
        })),
      createDivision: async (token, i, key) => {
        const [x, existed] = await createOrExisting(
          my(token).createDivision(
            { name: i.name, code: i.code, external_id: i.externalId, address: mycoiAddress(i.address) },
            { idempotencyKey: key },
          ),
        );
        return { id: x.id, name: x.name, externalId: x.external_id, detail: x.code, existed };
      },
      createVendor: async (token, i, key) => {
        const contacts = i.contact
          ? [{ name: i.contact.name, email: i.contact.email, phone: i.contact.phone, kind: 'primary' as const }]
          : [];
        const [x, existed] = await createOrExisting(
          my(token).createVendor(
            { name: i.name, tax_id: i.taxId, external_id: i.externalId, address: mycoiAddress(i.address), contacts },
            { idempotencyKey: key },
          ),
        );
        return { id: x.id, name: x.name, externalId: x.external_id, detail: x.tax_id, existed };
      },
      createAssignment: async (token, i, key) => {
        const [x, existed] = await createOrExisting(
          my(token).createAssignment(
            {
              vendor_id: i.vendorId,
              division_id: i.divisionId,
              insurance_set_id: i.insuranceSetId,
              contract_id: i.contractId,
              external_id: i.externalId,
              title: i.title,
              amount: i.amount,
            },
            { idempotencyKey: key },
          ),
        );
        return {
          id: x.id,
          name: x.title ?? x.id,
          externalId: x.external_id,
          detail: x.contract_id,
          vendorId: x.vendor_id,
          divisionId: x.division_id,
          existed,
        };
      },
      assignmentParties: async (token, id) => {
        try {
          const x = await my(token).getAssignment(id);
          return { vendorId: x.vendor_id, divisionId: x.division_id };
        } catch (e) {
          if (e instanceof HttpUpstreamError && e.status === 404) return null;
          return wrap('mycoi', e);
        }
      },
      compliance: async (token, level, id) => {
        try {
          const c = my(token);
          return toCompliance(level === 'vendor' ? await c.getVendorCompliance(id) : await c.getAssignmentCompliance(id));
        } catch (e) {
          if (e instanceof HttpUpstreamError && e.status === 404) return null;
          return wrap('mycoi', e);
        }
      },
    },
    refresh,
  };
}
