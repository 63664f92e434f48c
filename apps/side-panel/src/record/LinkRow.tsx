import { lazy, Suspense, useState } from 'react';
import { Button, Pill } from '@procore/core-react';
import type { LinkInfo } from '@mycoi/contracts';
import { Loading } from '../ui/States';
import type { CreateFormProps } from './CreateForm';
import type { LinkSearchProps } from './LinkSearch';

// Form and Table pull in ~2 MB of react-aria/react-stately: they load only when a user opens them.
const CreateForm = lazy(() => import('./CreateForm'));
const LinkSearch = lazy(() => import('./LinkSearch'));

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

interface Props {
  label: string;
  procoreName: string;
  link: LinkInfo | null;
  create: DistributiveOmit<CreateFormProps, 'onDone' | 'onCancel'>;
  search: Omit<LinkSearchProps, 'onDone' | 'onCancel'>;
  onChanged: () => void;
  note?: string;
}

/** One Procore record and its myCOI counterpart: linked (with who and when) or an action to create / link. */
export function LinkRow({ label, procoreName, link, create, search, onChanged, note }: Props) {
  const [open, setOpen] = useState<'create' | 'link' | null>(null);
  const kind = create.kind;
  const done = () => {
    setOpen(null);
    onChanged();
  };
  return (
    <section className="panel-row" aria-label={`${label}: ${procoreName}`} data-testid={`row-${kind}`} data-linked={link ? 'yes' : 'no'}>
      <div className="panel-row-head">
        <div>
          <div className="panel-muted">{label}</div>
          <div className="panel-row-name">{procoreName}</div>
        </div>
        <Pill color={link ? 'green' : 'gray'}>{link ? 'In myCOI' : 'Not in myCOI'}</Pill>
      </div>
      {link ? (
        <div className="panel-muted" data-testid={`linked-${kind}`} data-source={link.source}>
          {link.source === 'matched'
            ? `myCOI already had this ${kind}: linked to the existing record “${link.name ?? link.mycoiId}” instead of creating a new one (by ${link.linkedBy}).`
            : `${link.source === 'created' ? 'Created' : 'Linked'} as “${link.name ?? link.mycoiId}” by ${link.linkedBy}`}
        </div>
      ) : open === null ? (
        <>
          {note ? <div className="panel-muted">{note}</div> : null}
          <div className="panel-actions">
            <Button variant="primary" onClick={() => setOpen('create')}>
              Create in myCOI
            </Button>
            <Button variant="secondary" onClick={() => setOpen('link')}>
              Link existing
            </Button>
          </div>
        </>
      ) : (
        <Suspense fallback={<Loading label="Loading…" />}>
          {open === 'create' ? (
            <CreateForm {...({ ...create, onDone: done, onCancel: () => setOpen(null) } as CreateFormProps)} />
          ) : (
            <LinkSearch {...search} onDone={done} onCancel={() => setOpen(null)} />
          )}
        </Suspense>
      )}
    </section>
  );
}
