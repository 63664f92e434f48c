import { useEffect, useRef, useState } from 'react';
import { Button, Input, Table } from '@procore/core-react';
import type { PanelKind, SearchCandidate } from '@mycoi/contracts';
import { api, newIdempotencyKey } from '../api';
import { ErrorNotice, Loading } from '../ui/States';

export interface LinkSearchProps {
  kind: PanelKind;
  projectId: string;
  procoreId: string;
  initialQuery: string;
  onDone: () => void;
  onCancel: () => void;
}

/** Find an existing myCOI record (entered by hand earlier) and link it instead of creating a duplicate. */
export default function LinkSearch({ kind, projectId, procoreId, initialQuery, onDone, onCancel }: LinkSearchProps) {
  const [q, setQ] = useState(initialQuery);
  const [results, setResults] = useState<SearchCandidate[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [linking, setLinking] = useState<string | null>(null);
  const keys = useRef(new Map<string, string>());

  const search = (text: string) => {
    setError(null);
    setResults(null);
    api.search(kind, text).then((r) => setResults(r.data), setError);
  };
  useEffect(() => search(initialQuery), []); // eslint-disable-line react-hooks/exhaustive-deps

  const link = async (mycoiId: string) => {
    if (linking) return;
    // The same candidate keeps its key, so a retry or a double click links once.
    const key = keys.current.get(mycoiId) ?? newIdempotencyKey();
    keys.current.set(mycoiId, key);
    setLinking(mycoiId);
    setError(null);
    try {
      await api.link({ kind, projectId, procoreId, mycoiId }, key);
      onDone();
    } catch (e) {
      setError(e);
    } finally {
      setLinking(null);
    }
  };

  const noun = { project: 'projects', vendor: 'vendors', commitment: 'commitments' }[kind];
  return (
    <div role="search" aria-label={`Find myCOI ${noun}`}>
      <form
        className="panel-actions"
        onSubmit={(e) => {
          e.preventDefault();
          search(q);
        }}
      >
        <label htmlFor={`search-${kind}`} className="panel-muted" style={{ width: '100%' }}>
          Search myCOI {noun}
        </label>
        <Input id={`search-${kind}`} value={q} onChange={(e) => setQ(e.target.value)} style={{ flex: 1 }} />
        <Button type="submit" variant="secondary">
          Search
        </Button>
      </form>
      {error ? <ErrorNotice error={error} onRetry={() => search(q)} /> : null}
      {!results && !error ? <Loading label="Searching myCOI…" /> : null}
      {results && results.length === 0 ? (
        <p>
          No myCOI {noun} match “{q}”.
        </p>
      ) : null}
      {results && results.length > 0 ? (
        <Table.Container>
          <Table aria-label={`myCOI ${noun}`}>
            <Table.Body>
              {results.map((r) => (
                <Table.BodyRow key={r.id} data-candidate={r.id}>
                  <Table.BodyCell>
                    <Table.TextCell>
                      <div className="panel-row-name">{r.name}</div>
                      {r.detail ? <div className="panel-muted">{r.detail}</div> : null}
                      {r.linkedTo ? <div className="panel-muted">Already linked to Procore {r.linkedTo}</div> : null}
                    </Table.TextCell>
                  </Table.BodyCell>
                  <Table.BodyCell>
                    <Button
                      variant="secondary"
                      size="sm"
                      disabled={r.linkedTo !== null || linking !== null}
                      loading={linking === r.id}
                      onClick={() => void link(r.id)}
                      aria-label={`Link ${r.name}`}
                    >
                      Link
                    </Button>
                  </Table.BodyCell>
                </Table.BodyRow>
              ))}
            </Table.Body>
          </Table>
        </Table.Container>
      ) : null}
      <div className="panel-actions">
        <Button variant="tertiary" onClick={onCancel}>
          Cancel
        </Button>
      </div>
    </div>
  );
}
