import { Table } from '@procore/core-react';
import type { CSSProperties, ReactNode } from 'react';

export interface Column<T> {
  header: string;
  cell: (row: T) => ReactNode;
  /** Style of the cell's Table.TextCell. */
  style?: CSSProperties;
  /** The cell renders its own content (a link, a pill, a TextCell with extra attributes): no TextCell wrapper. */
  raw?: boolean;
}

/**
 * The console's one read-only table: a header row and one body row per item, every cell a
 * core-react TextCell unless the column is `raw`. `empty` replaces the table when there are no
 * rows; `scroll` lets wide tables scroll inside their card instead of widening the page.
 */
export function DataTable<T>({
  label,
  columns,
  rows,
  rowKey,
  rowAttrs,
  empty,
  scroll = false,
}: {
  label: string;
  columns: Column<T>[];
  rows: T[];
  rowKey: (row: T) => string | number;
  /** data-* attributes the tests and ops scripts select rows by. */
  rowAttrs?: (row: T) => Record<`data-${string}`, string>;
  empty?: string;
  scroll?: boolean;
}) {
  if (empty !== undefined && rows.length === 0) return <p>{empty}</p>;
  const table = (
    <Table.Container>
      <Table aria-label={label}>
        <Table.Header>
          <Table.HeaderRow>
            {columns.map((c) => (
              <Table.HeaderCell key={c.header}>{c.header}</Table.HeaderCell>
            ))}
          </Table.HeaderRow>
        </Table.Header>
        <Table.Body>
          {rows.map((row) => (
            <Table.BodyRow key={rowKey(row)} {...rowAttrs?.(row)}>
              {columns.map((c) => (
                <Table.BodyCell key={c.header}>
                  {c.raw ? c.cell(row) : <Table.TextCell style={c.style}>{c.cell(row)}</Table.TextCell>}
                </Table.BodyCell>
              ))}
            </Table.BodyRow>
          ))}
        </Table.Body>
      </Table>
    </Table.Container>
  );
  return scroll ? <div style={{ overflowX: 'auto', maxWidth: '100%' }}>{table}</div> : table;
}
