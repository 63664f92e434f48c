import type { ProcoreComplianceView } from '@mycoi/contracts';
import { complianceRows, PROCORE_STATUS_LABELS, procoreOverallStatus } from './compliance';
import type { MycoiComplianceRecord } from './ports';

/**
 * The side panel's picture of what Procore shows for a record: the very rows the engine writes
 * (complianceRows), so the panel can never show a greener state than the Insurance tab.
 */
export function procoreComplianceView(record: MycoiComplianceRecord, today: string): ProcoreComplianceView {
  const status = procoreOverallStatus(record, today);
  return {
    status,
    statusLabel: PROCORE_STATUS_LABELS[status],
    rows: complianceRows(record, today).map((r) => ({
      key: r.key,
      lineId: r.line?.key ?? null,
      typeLabel: r.type,
      status: r.status,
      statusLabel: PROCORE_STATUS_LABELS[r.status],
      reasons: r.reasons,
    })),
  };
}
