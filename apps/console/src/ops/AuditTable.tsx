import { Table } from '@procore/core-react';
import type { AuditEntry } from '@mycoi/contracts';
import { when } from '../ui/format';

function detailsText(d: Record<string, unknown>): string {
  const entries = Object.entries(d);
  return entries.length ? entries.map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`).join('; ') : '—';
}

/** Who did what, when, and from where: newest first, as the API returns it. */
export function AuditTable({ entries }: { entries: AuditEntry[] }) {
  if (entries.length === 0) return <p>No audit entries yet.</p>;
  return (
    // Long details (settings diffs) scroll inside the card instead of widening the page.
    <div style={{ overflowX: 'auto', maxWidth: '100%' }}>
    <Table.Container>
      <Table aria-label="Audit trail">
        <Table.Header>
          <Table.HeaderRow>
            <Table.HeaderCell>When</Table.HeaderCell>
            <Table.HeaderCell>Action</Table.HeaderCell>
            <Table.HeaderCell>Who</Table.HeaderCell>
            <Table.HeaderCell>From</Table.HeaderCell>
            <Table.HeaderCell>Details</Table.HeaderCell>
          </Table.HeaderRow>
        </Table.Header>
        <Table.Body>
          {entries.map((e) => (
            <Table.BodyRow key={e.id} data-action={e.action}>
              <Table.BodyCell>
                <Table.TextCell style={{ whiteSpace: 'nowrap' }}>{when(e.at)}</Table.TextCell>
              </Table.BodyCell>
              <Table.BodyCell>
                <Table.TextCell>{e.action}</Table.TextCell>
              </Table.BodyCell>
              <Table.BodyCell>
                <Table.TextCell>
                  {e.actor} ({e.actorKind.replace('_', ' ')})
                </Table.TextCell>
              </Table.BodyCell>
              <Table.BodyCell>
                <Table.TextCell>{e.ip ?? '—'}</Table.TextCell>
              </Table.BodyCell>
              <Table.BodyCell>
                <Table.TextCell style={{ wordBreak: 'break-word', maxWidth: 420 }}>{detailsText(e.details)}</Table.TextCell>
              </Table.BodyCell>
            </Table.BodyRow>
          ))}
        </Table.Body>
      </Table>
    </Table.Container>
    </div>
  );
}
