import type { AuditEntry } from '@mycoi/contracts';
import { DataTable, type Column } from '../ui/DataTable';
import { when } from '../ui/format';

function detailsText(d: Record<string, unknown>): string {
  const entries = Object.entries(d);
  return entries.length ? entries.map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`).join('; ') : '—';
}

const COLUMNS: Column<AuditEntry>[] = [
  { header: 'When', cell: (e) => when(e.at), style: { whiteSpace: 'nowrap' } },
  { header: 'Action', cell: (e) => e.action },
  { header: 'Who', cell: (e) => `${e.actor} (${e.actorKind.replace('_', ' ')})` },
  { header: 'From', cell: (e) => e.ip ?? '—' },
  { header: 'Details', cell: (e) => detailsText(e.details), style: { wordBreak: 'break-word', maxWidth: 420 } },
];

/** Who did what, when, and from where: newest first, as the API returns it. */
export function AuditTable({ entries }: { entries: AuditEntry[] }) {
  // Long details (settings diffs) scroll inside the card instead of widening the page.
  return (
    <DataTable
      label="Audit trail"
      columns={COLUMNS}
      rows={entries}
      rowKey={(e) => e.id}
      rowAttrs={(e) => ({ 'data-action': e.action })}
      empty="No audit entries yet."
      scroll
    />
  );
}
