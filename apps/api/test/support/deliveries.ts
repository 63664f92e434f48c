// Webhook bodies as the upstreams post them (the shapes the sandboxes send too), for tests that
// post deliveries of their own: valid ones, or valid ones a test then spoils one field of.

/**
 * A Procore webhook delivery (API v2.0): user 77 updated Work Order Contract `resourceId` in
 * `project` of `company`. `id` and `ulid` are the dedupe keys: unique per delivery in a test.
 */
export function procoreDelivery(f: { id: number; ulid: string; resourceId: number; company?: number; project?: number }) {
  const company = f.company ?? 1001;
  const project = f.project ?? 5001;
  return {
    id: f.id,
    ulid: f.ulid,
    timestamp: new Date().toISOString(),
    user_id: 77,
    company_id: company,
    project_id: project,
    api_version: 'v2.0',
    event_type: 'update',
    resource_name: 'Work Order Contracts',
    resource_id: f.resourceId,
    metadata: {
      source_user_id: 77,
      source_project_id: project,
      source_operation_id: null,
      source_company_id: company,
      source_application_id: null,
    },
  };
}

/**
 * A myCOI `compliance.updated` delivery: vendor `vendorId` of `account` reviewed and compliant, at
 * record version `version`. `id` is the event id (the dedupe key).
 */
export function mycoiComplianceDelivery(f: { id: string; account: string; recordId: string; vendorId: string; version: number }) {
  return {
    id: f.id,
    type: 'compliance.updated',
    created_at: new Date().toISOString(),
    account_id: f.account,
    data: {
      record: {
        id: f.recordId,
        account_id: f.account,
        level: 'vendor',
        vendor_id: f.vendorId,
        assignment_id: null,
        division_id: null,
        insurance_set_id: null,
        status: { kind: 'reviewed', review_state: 'finalized', outcome: 'compliant', label: 'Compliant' },
        coverage_lines: [],
        deficiencies: [],
        notices: [],
        version: f.version,
        updated_at: new Date().toISOString(),
        last_reviewed_at: null,
      },
    },
  };
}
