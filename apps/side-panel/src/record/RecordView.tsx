import { useCallback, useEffect, useRef, useState } from 'react';
import type { PanelRecordState } from '@mycoi/contracts';
import { api } from '../api';
import { ErrorNotice, Loading, Notice } from '../ui/States';
import { Compliance } from './Compliance';
import { LinkRow } from './LinkRow';

interface Props {
  view: 'commitment' | 'vendor';
  id: string;
  projectId: string;
  /** Bumped when Procore shows the panel again: re-read so the panel is never stale. */
  reloadSignal: number;
}

export function RecordView({ view, id, projectId, reloadSignal }: Props) {
  const [state, setState] = useState<PanelRecordState | null>(null);
  const [error, setError] = useState<unknown>(null);
  const seq = useRef(0);

  const load = useCallback(() => {
    const n = ++seq.current;
    setError(null);
    api.record(view, id, projectId).then(
      (s) => n === seq.current && setState(s),
      (e) => n === seq.current && setError(e),
    );
  }, [view, id, projectId]);
  useEffect(load, [load, reloadSignal]);

  if (error && !state) return <ErrorNotice error={error} onRetry={load} title="Could not load this record" />;
  if (!state) return <Loading label="Loading from Procore and myCOI…" />;

  const { project, vendor, commitment } = state;
  const projectRow = (
    <LinkRow
      label="Project"
      procoreName={project.procore.name}
      link={project.link}
      create={{ kind: 'project', projectId, procore: project.procore }}
      search={{ kind: 'project', projectId, procoreId: project.procore.id, initialQuery: project.procore.name }}
      onChanged={load}
    />
  );
  const vendorRow = vendor ? (
    <LinkRow
      label="Vendor"
      procoreName={vendor.procore.name}
      link={vendor.link}
      create={{ kind: 'vendor', projectId, procore: vendor.procore }}
      search={{ kind: 'vendor', projectId, procoreId: vendor.procore.id, initialQuery: vendor.procore.name }}
      onChanged={load}
    />
  ) : null;

  const creates = [!project.link ? 'project' : null, vendor && !vendor.link ? 'vendor' : null].filter((x): x is string => x !== null);
  return (
    <div data-testid={`record-${view}`}>
      {error ? <ErrorNotice error={error} onRetry={load} title="Could not refresh" /> : null}
      {state.notices.map((n) => (
        <Notice key={n} title="Note" testId="record-notice">
          {n}
        </Notice>
      ))}
      {view === 'commitment' ? (
        <>
          {!state.commitmentsTool ? (
            <Notice title="Commitment details unavailable" testId="commitments-tool-missing">
              The myCOI app cannot read commitments in this project (Procore’s Commitments tool is not granted to it), so commitment actions
              are hidden. Ask your Procore admin to grant it. You can still link the project.
            </Notice>
          ) : null}
          {projectRow}
          {vendorRow}
          {commitment ? (
            <LinkRow
              label={commitment.procore.kind === 'purchase_order' ? 'Purchase order' : 'Subcontract'}
              procoreName={[commitment.procore.number, commitment.procore.title].filter(Boolean).join(' · ') || `#${commitment.procore.id}`}
              link={commitment.link}
              create={{ kind: 'commitment', projectId, procore: commitment.procore, creates }}
              search={{ kind: 'commitment', projectId, procoreId: commitment.procore.id, initialQuery: commitment.procore.number ?? '' }}
              onChanged={load}
            />
          ) : null}
          {commitment ? (
            <Compliance
              compliance={state.compliance}
              subject={commitment.link ? { kind: 'commitment', procoreId: commitment.procore.id, projectId } : null}
            />
          ) : null}
        </>
      ) : (
        <>
          {vendorRow}
          <Compliance
            compliance={state.compliance}
            subject={vendor?.link ? { kind: 'vendor', procoreId: vendor.procore.id, projectId } : null}
          />
        </>
      )}
    </div>
  );
}
