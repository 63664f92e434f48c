import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProcoreSandbox } from '../src/index';
import { api, dmsaToken, start, userTokens, type Api } from './helpers';

// Documented response fields per endpoint, written by hand from the endpoint JSON in
// Procore's REST reference (and its prose where the reference's JSON lost a oneOf schema).
// Format: "name:type" where type ∈ integer number string boolean object array date datetime.
// A value may be null (Procore sends null for unset fields) but must otherwise have the type.

type Table = Record<string, string>;
const t = (spec: string): Table =>
  Object.fromEntries(
    spec
      .trim()
      .split(/\s+/)
      .map((p) => p.split(':') as [string, string]),
  );

const TOKEN = t('access_token:string token_type:string expires_in:integer created_at:integer');
const TOKEN_INFO = t('resource_owner_id:integer scopes:array expires_in_seconds:integer application:object created_at:integer');
const ME = t('id:integer login:string name:string');
const COMPANY = t('id:integer name:string is_active:boolean logo_url:string pcn_business_experience:boolean my_company:boolean');
const PROJECT_LIST = t(`id:integer name:string is_demo:boolean parent_job_id:integer parent_job:object display_name:string
  project_number:string address:string city:string state_code:string country_code:string zip:string county:string
  time_zone:string latitude:number longitude:number stage:string project_stage:object project_template:object phone:string
  created_at:datetime updated_at:datetime active:boolean origin_id:string origin_data:string origin_code:string
  owners_project_id:integer total_value:string store_number:string accounting_project_number:string designated_market_area:string
  project_region_id:integer project_bid_type_id:integer project_owner_type_id:integer photo_id:integer start_date:date
  completion_date:date projected_finish_date:date estimated_value:string fax:string sector:string work_scope:string
  delivery_method:string estimated_budget:number priority:string company:object created_by:object custom_fields:object
  project_sector_id:integer`);
const PROJECT_SHOW = t(`id:integer logo_id:integer logo_url:string name:string is_demo:boolean template:boolean display_name:string
  project_number:string address:string city:string state_code:string country_code:string zip:string time_zone:string tz_name:string
  latitude:number longitude:number county:string parent_job_id:integer parent_job:object from_project_template_id:integer
  description:string square_feet:integer start_date:date completion_date:date total_value:string store_number:string
  accounting_project_number:string designated_market_area:string warranty_start_date:date warranty_end_date:date active:boolean
  flag:string locale:string phone:string public_notes:string actual_start_date:date projected_finish_date:date created_at:datetime
  updated_at:datetime origin_id:string origin_data:string origin_code:string standard_cost_code_list_id:integer
  is_erp_integrated:boolean owners_project_id:integer photo_id:integer photo_url:string inbound_email:string
  inbound_email_address:string estimated_start_date:date estimated_completion_date:date estimated_value:string code:string
  sector:string work_scope:string delivery_method:string created_by:object persistent_message:object office:object
  project_bid_type_id:integer project_bid_type:object project_owner_type_id:integer project_owner_type:object
  project_region_id:integer project_region:object project_stage_id:integer project_stage:object project_type:object program:object
  departments:array company:object dictionary_type:string custom_fields:object project_sector_id:integer`);
const VENDOR = t(`id:integer name:string abbreviated_name:string trade_name:string legal_name:string address:string city:string
  state_code:string zip:string country_code:string business_phone:string mobile_phone:string fax_number:string email_address:string
  website:string is_active:boolean is_connected:boolean connected_to_company_id:integer company_vendor:boolean company:string
  business_id:string business_register:object authorized_bidder:boolean prequalified:boolean labor_union:string
  license_number:string union_member:boolean non_union_prevailing_wage:boolean notes:string logo:string origin_id:string
  origin_data:string origin_code:string synced_to_erp:boolean primary_contact:object vendor_group:object contact_count:integer
  children_count:integer parent:object project_ids:array trades:array standard_cost_codes:array bidding:object
  bidding_distribution:array attachments:array created_at:datetime updated_at:datetime`);
const VENDOR_SHOW_EXTRA = t(`origin_custom_fields:array erp_custom_fields:array business:object contract_signer:object
  country_name:string state_name:string invoice_contacts:array active_users_count:integer bids_count:integer open_bids_count:integer
  projects_count:integer`);
const PROJECT_VENDOR_EXTENDED = t(`id:integer name:string uuid:string business:object is_active:boolean origin_id:string
  children_count:integer legal_name:string parent:object bidding:object`);
const INSURANCE = t(`id:integer effective_date:date enable_expired_insurance_notifications:boolean exempt:boolean expiration_date:date
  info_received:boolean insurance_provider:string insurance_type:string limit:string notes:string policy_number:string status:string
  vendor_id:integer additional_insured:string division_template:string insurance_sets:string origin_data:string origin_id:string`);
const INSURANCE_STATUS = [
  'compliant',
  'compliant_in_progress',
  'expired',
  'non_compliant',
  'non_compliant_in_progress',
  'undecided',
  'unregistered',
];
const CONTRACT_COMMON = `id:integer number:string title:string status:string executed:boolean private:boolean description:string
  accounting_method:string grand_total:string revised_contract:string approved_change_orders:string pending_change_orders:string
  pending_revised_contract:string draft_change_orders_amount:string percentage_paid:string remaining_balance_outstanding:string
  retainage_percent:string total_payments:string total_draw_requests_amount:string total_requisitions_amount:string
  requisitions_are_enabled:boolean show_line_items_to_non_admins:boolean contract_date:date execution_date:date issued_on_date:date
  letter_of_intent_date:date approval_letter_date:string returned_date:date signed_contract_received_date:date created_at:datetime
  updated_at:datetime deleted_at:datetime origin_id:string origin_data:string origin_code:string project:object vendor:object
  currency_configuration:object`;
const WOC_LIST = t(
  `${CONTRACT_COMMON} inclusions:string exclusions:string contract_start_date:date contract_estimated_completion_date:date actual_completion_date:date`,
);
const PO_LIST = t(`${CONTRACT_COMMON} assignee:object bill_to_address:string ship_to_address:string ship_via:string payment_terms:string
  delivery_date:date billing_schedule_of_values_status:string`);
const CONTRACT_SHOW_EXTRA = t(`attachments:array line_items:array change_order_packages:array potential_change_orders:array
  change_order_requests:array payments_issued:array invoice_contacts:array created_by_id:integer`);
const WOC_STATUS = ['Draft', 'Out For Bid', 'Out For Signature', 'Approved', 'Complete', 'Terminated', 'Void'];
const PO_STATUS = ['Draft', 'Processing', 'Submitted', 'Partially Received', 'Received', 'Approved', 'Closed'];
const COMMITMENT_LIST = t(
  'id:number title:string number:string status:string description:string executed:boolean delivery_date:date created_at:datetime private:boolean vendor:object',
);
const COMMITMENT_SHOW_EXTRA =
  t(`type:string accounting_method:string actual_completion_date:date allow_comments:boolean allow_markups:boolean
  allow_payment_applications:boolean allow_payments:boolean allow_redistributions:boolean approved_change_orders:string bill_to:string
  budget_line_item_id:integer contract_estimated_completion_date:date contract_start_date:date contract_termination_date:date
  deleted_at:datetime display_materials_retainage:boolean display_stored_materials:boolean display_work_retainage:boolean
  exclusions:string grand_total:string inclusions:string line_items_extended_total:string line_items_total:string payment_terms:string
  pending_change_orders:string pending_revised_contract:string percentage_paid:string position:integer
  remaining_balance_outstanding:string requisition_number:string retainage_percent:string revised_contract:string ship_to:string
  ship_via:string signed_contract_received_date:date total_payments:string total_draw_requests_amount:string updated_at:datetime
  architect:object assigned_to:object attachments:array change_order_packages:array change_order_requests:array contractor:object
  cost_code:object created_by:object line_items:array potential_change_orders:array payments_issued:array received_from:object`);
const COMPLIANCE_PATCH = t(
  'updated_at:datetime updated_by_id:integer compliance_status:string compliance_notes:string insurance_status:string insurance_notes:string',
);
const COMPLIANCE_GET = t(`${Object.entries(COMPLIANCE_PATCH)
  .map(([k, v]) => `${k}:${v}`)
  .join(' ')} derived_insurance_status:string
  insurance_documents:array derived_compliance_status:string compliance_documents:array insurance_requirements_not_created:array
  compliance_requirements_not_created:array`);
const INSURANCE_DOCUMENT = t(
  'id:integer name:string insurance_type:string level:string status:string effective_at:datetime expires_at:datetime attachments:array',
);
const HOOK = t(
  'id:integer api_version:string destination_headers:object destination_url:string owned_by_company_id:integer owned_by_project_id:integer owned_by_user_id:integer namespace:string',
);
const TRIGGER = t(
  'id:integer webhook_hook_id:integer resource_name:string resource_id:integer event_type:string company_id:integer project_id:integer user_id:integer',
);
const DELIVERY = t(
  'event:object event_id:integer outcome:string response_body:string response_error:string started_at:datetime completed_at:datetime response_status:integer response_headers:object',
);
const EVENT = t(
  'user_id:integer timestamp:datetime resource_name:string resource_id:integer project_id:integer id:integer ulid:string event_type:string company_id:integer api_version:string metadata:object',
);

function typeOk(v: unknown, type: string): boolean {
  switch (type) {
    case 'integer':
      return Number.isInteger(v);
    case 'number':
      return typeof v === 'number';
    case 'string':
      return typeof v === 'string';
    case 'boolean':
      return typeof v === 'boolean';
    case 'array':
      return Array.isArray(v);
    case 'object':
      return typeof v === 'object' && !Array.isArray(v);
    case 'date':
      return typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v);
    case 'datetime':
      return typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/.test(v);
    default:
      throw new Error(`unknown type ${type}`);
  }
}

/** Every documented field is present; non-null values have the documented type. */
function expectFields(rec: unknown, table: Table, label: string): void {
  expect(rec, label).toBeTypeOf('object');
  expect(rec, label).not.toBeNull();
  const r = rec as Record<string, unknown>;
  const problems: string[] = [];
  for (const [name, type] of Object.entries(table)) {
    if (!(name in r)) problems.push(`${name} missing`);
    else if (r[name] !== null && !typeOk(r[name], type)) problems.push(`${name}: expected ${type}, got ${JSON.stringify(r[name])}`);
  }
  expect(problems, label).toEqual([]);
}

let sb: ProcoreSandbox;
let call: Api;
beforeAll(async () => {
  sb = await start();
  call = api(sb, await dmsaToken(sb));
});
afterAll(() => sb.close());

describe('documented fields per endpoint', () => {
  it('OAuth token, token info, me, companies', async () => {
    const tok = await fetch(`${sb.url}/oauth/token`, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: 'demo-dmsa-client', client_secret: 'demo-dmsa-secret' }),
    });
    const tb = (await tok.json()) as Record<string, unknown>;
    expectFields(tb, TOKEN, 'POST /oauth/token');
    const user = await userTokens(sb, 'pat@acme.test');
    expectFields(user, { ...TOKEN, refresh_token: 'string' }, 'POST /oauth/token (code)');
    const info = await fetch(`${sb.url}/oauth/token/info`, { headers: { authorization: `Bearer ${tb.access_token}` } });
    const ib = (await info.json()) as { application: unknown };
    expectFields(ib, TOKEN_INFO, 'GET /oauth/token/info');
    expectFields(ib.application, t('uid:string'), 'token info application');
    expectFields((await call('/rest/v1.0/me?company_id=1001')).body, ME, 'GET /me');
    for (const c of (await call('/rest/v1.0/companies')).body) expectFields(c, COMPANY, 'GET /companies');
  });

  it('projects v1.0 list/show and v1.1 list', async () => {
    for (const p of (await call('/rest/v1.0/projects?company_id=1001')).body) expectFields(p, PROJECT_LIST, 'GET v1.0 projects');
    for (const p of (await call('/rest/v1.1/projects?company_id=1001')).body) expectFields(p, PROJECT_LIST, 'GET v1.1 projects');
    const show = (await call('/rest/v1.0/projects/5001?company_id=1001')).body;
    expectFields(show, PROJECT_SHOW, 'GET project');
    expectFields(show.company, t('id:integer name:string'), 'project.company');
    for (const p of (await call('/rest/v1.1/projects?company_id=1001&view=compact')).body)
      expectFields(p, t('id:integer name:string display_name:string'), 'v1.1 compact');
  });

  it('company vendors list/show/create/update/sync and project vendors', async () => {
    for (const v of (await call('/rest/v1.0/vendors?company_id=1001')).body) expectFields(v, VENDOR, 'GET vendors');
    expectFields((await call('/rest/v1.0/vendors/70001?company_id=1001')).body, { ...VENDOR, ...VENDOR_SHOW_EXTRA }, 'GET vendor');
    const created = await call('/rest/v1.0/vendors', {
      method: 'POST',
      body: { company_id: 1001, vendor: { name: 'Field Test Co', origin_id: 'ft-1' } },
    });
    expect(created.status).toBe(201);
    expectFields(created.body, VENDOR, 'POST vendor');
    expectFields(
      (await call(`/rest/v1.0/vendors/${created.body.id}`, { method: 'PATCH', body: { company_id: 1001, vendor: { city: 'Reno' } } })).body,
      VENDOR,
      'PATCH vendor',
    );
    const sync = await call('/rest/v1.0/vendors/sync', {
      method: 'PATCH',
      body: { company_id: 1001, updates: [{ origin_id: 'ft-1', notes: 'x' }, { id: 1 }] },
    });
    expectFields(sync.body, t('entities:array errors:array'), 'PATCH vendors/sync');
    expectFields(sync.body.entities[0], VENDOR, 'vendors/sync entity');
    expect(sync.body.errors[0].errors).toEqual({ id: ['Entity with this ID not found'] });
    for (const version of ['v1.0', 'v1.1']) {
      for (const v of (await call(`/rest/${version}/projects/5001/vendors?view=extended`)).body)
        expectFields(v, PROJECT_VENDOR_EXTENDED, `${version} project vendors`);
      expectFields(
        (await call(`/rest/${version}/projects/5001/vendors/70001?view=extended`)).body,
        PROJECT_VENDOR_EXTENDED,
        `${version} project vendor`,
      );
    }
    const add = await call('/rest/v1.0/projects/5003/vendors/70001/actions/add', { method: 'POST' });
    expect(add.status).toBe(201);
    expectFields(add.body, t('id:integer name:string uuid:string'), 'actions/add');
    expect((await call('/rest/v1.0/projects/5003/vendors/70001/actions/remove', { method: 'DELETE' })).status).toBe(204);
  });

  it('all four insurance families return the insurance shape and status enum', async () => {
    const paths = [
      '/rest/v1.0/companies/1001/vendors/70001/insurances',
      '/rest/v1.0/companies/1001/insurances',
      '/rest/v1.0/projects/5001/vendors/70001/insurances',
      '/rest/v1.0/projects/5001/insurances',
    ];
    for (const [i, path] of paths.entries()) {
      const body = path.endsWith('/vendors/70001/insurances') ? {} : { vendor_id: 70001 };
      const created = await call(path, {
        method: 'POST',
        body: { insurance: { ...body, name: 'Chubb', status: 'compliant', origin_id: `fields-${i}`, effective_date: '2026-01-01' } },
      });
      expect(created.status, path).toBe(201);
      expectFields(created.body, INSURANCE, `POST ${path}`);
      for (const rec of (await call(path)).body) {
        expectFields(rec, INSURANCE, `GET ${path}`);
        if (rec.status !== null) expect(INSURANCE_STATUS).toContain(rec.status);
      }
      expectFields((await call(`${path}/${created.body.id}`)).body, INSURANCE, `GET ${path}/{id}`);
      expectFields(
        (await call(`${path}/${created.body.id}`, { method: 'PATCH', body: { insurance: { notes: 'n' } } })).body,
        INSURANCE,
        `PATCH ${path}/{id}`,
      );
      const sync = await call(`${path}/sync`, { method: 'PATCH', body: { updates: [{ ...body, origin_id: `fields-sync-${i}` }] } });
      expectFields(sync.body, t('entities:array errors:array'), `PATCH ${path}/sync`);
      expectFields(sync.body.entities[0], INSURANCE, `${path}/sync entity`);
    }
    const g = await call('/rest/v1.0/insurances/sync', {
      method: 'PATCH',
      body: { updates: [{ company_id: 1001, vendor_id: 70002, origin_id: 'fields-global' }] },
    });
    expectFields(g.body.entities[0], INSURANCE, 'PATCH /insurances/sync');
  });

  it('work order / purchase order contracts, commitments, compliance', async () => {
    for (const c of (await call('/rest/v1.0/work_order_contracts?project_id=5001')).body) {
      expectFields(c, WOC_LIST, 'GET work_order_contracts');
      expect(WOC_STATUS).toContain(c.status);
      expectFields(c.vendor, t('id:integer company:string'), 'woc.vendor');
      expectFields(c.project, t('id:integer name:string'), 'woc.project');
    }
    for (const c of (await call('/rest/v1.0/purchase_order_contracts?project_id=5001')).body) {
      expectFields(c, PO_LIST, 'GET purchase_order_contracts');
      expect(PO_STATUS).toContain(c.status);
    }
    const woc = (await call('/rest/v1.0/work_order_contracts/900001?project_id=5001')).body;
    expectFields(woc, { ...WOC_LIST, ...CONTRACT_SHOW_EXTRA }, 'GET work_order_contract');
    expectFields(woc.vendor, t('id:integer company:string origin_id:string origin_data:string'), 'woc show vendor');
    expectFields(
      (await call('/rest/v1.0/purchase_order_contracts/900003?project_id=5001')).body,
      { ...PO_LIST, ...CONTRACT_SHOW_EXTRA },
      'GET purchase_order_contract',
    );
    const created = await call('/rest/v1.0/work_order_contracts', {
      method: 'POST',
      body: { project_id: 5001, work_order_contract: { title: 'Fields', vendor_id: 70001 } },
    });
    expectFields(created.body, { ...WOC_LIST, ...CONTRACT_SHOW_EXTRA }, 'POST work_order_contracts');
    const po = await call('/rest/v1.0/purchase_order_contracts/sync', {
      method: 'PATCH',
      body: { project_id: 5001, updates: [{ origin_id: 'fields-po' }] },
    });
    expectFields(po.body.entities[0], { ...PO_LIST, ...CONTRACT_SHOW_EXTRA }, 'PATCH purchase_order_contracts/sync');
    for (const c of (await call('/rest/v1.0/commitments?project_id=5001')).body) {
      expectFields(c, COMMITMENT_LIST, 'GET commitments');
      if (c.vendor !== null) expectFields(c.vendor, t('id:integer name:string'), 'commitment.vendor');
    }
    const show = (await call('/rest/v1.0/commitments/900003?project_id=5001')).body;
    expectFields(show, { ...COMMITMENT_LIST, ...COMMITMENT_SHOW_EXTRA }, 'GET commitment');
    expect(['WorkOrderContract', 'PurchaseOrderContract']).toContain(show.type);
    for (const kind of ['work_order_contracts/900001', 'purchase_order_contracts/900003']) {
      const g = (await call(`/rest/v1.0/projects/5001/${kind}/compliance`)).body;
      expectFields(g, COMPLIANCE_GET, `GET ${kind}/compliance`);
      for (const d of g.insurance_documents) {
        expectFields(d, INSURANCE_DOCUMENT, 'insurance_documents[]');
        expect(['company', 'project']).toContain(d.level);
      }
      const p = await call(`/rest/v1.0/projects/5001/${kind}/compliance`, {
        method: 'PATCH',
        body: { insurance_status: 'compliant', insurance_notes: 'via myCOI' },
      });
      expectFields(p.body, COMPLIANCE_PATCH, `PATCH ${kind}/compliance`);
      expect(p.body.insurance_status).toBe('compliant');
      expect(
        (await call(`/rest/v1.0/projects/5001/${kind}/compliance`, { method: 'PATCH', body: { insurance_status: 'ok' } })).status,
      ).toBe(422);
    }
  });

  it('webhook hooks, triggers, deliveries and events', async () => {
    const h = await call('/rest/v1.0/webhooks/hooks', {
      method: 'POST',
      body: {
        company_id: 1001,
        hook: {
          api_version: 'v2',
          namespace: 'fields',
          destination_url: 'http://127.0.0.1:1/x',
          destination_headers: { Authorization: 'Bearer abcdefgh' },
        },
      },
    });
    expectFields(h.body, HOOK, 'POST hook');
    for (const x of (await call('/rest/v1.0/webhooks/hooks?company_id=1001')).body) expectFields(x, HOOK, 'GET hooks');
    const tr = await call(`/rest/v1.0/webhooks/hooks/${h.body.id}/triggers`, {
      method: 'POST',
      body: { company_id: 1001, api_version: 'v2', trigger: { resource_name: 'Company Vendors', event_type: 'update' } },
    });
    expectFields(tr.body, TRIGGER, 'POST trigger');
    expect(['create', 'update', 'delete']).toContain(tr.body.event_type.toLowerCase());
    const bulk = await call(`/rest/v1.0/webhooks/hooks/${h.body.id}/triggers/bulk`, {
      method: 'POST',
      body: { company_id: 1001, api_version: 'v2', triggers: [{ resource_name: 'Company Vendors', event_type: 'create' }] },
    });
    for (const x of bulk.body.success) expectFields(x, TRIGGER, 'POST triggers/bulk');
    sb.emit({ companyId: 1001, resourceName: 'Company Vendors', resourceId: 70001, eventType: 'update' });
    // The destination refuses connections: the first attempt is logged as soon as it fails.
    let d: any[] = [];
    for (let i = 0; i < 200 && d.length === 0; i++) {
      d = (await call(`/rest/v1.0/webhooks/hooks/${h.body.id}/deliveries?company_id=1001`)).body;
      if (!d.length) await new Promise((r) => setTimeout(r, 25));
    }
    expect(d.length).toBeGreaterThan(0);
    expectFields(d[0], DELIVERY, 'GET deliveries');
    expectFields(d[0].event, EVENT, 'delivery.event');
    expect(['ok', 'retried', 'failed', 'discarded']).toContain(d[0].outcome);
    expectFields(
      d[0].event.metadata,
      t(
        'source_user_id:integer source_company_id:integer source_project_id:integer source_application_id:string source_operation_id:integer',
      ),
      'event.metadata',
    );
    const res = (await call('/rest/v1.0/webhooks/resources?company_id=1001')).body;
    for (const x of res)
      expectFields(
        x,
        t('api_version:string product_category:string tools:string except:array create:string update:string delete:string'),
        'GET webhooks/resources',
      );
  });
});
