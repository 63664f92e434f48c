import { Card, H2 } from '@procore/core-react';
import type { ReactNode } from 'react';

/** A titled card: the console's unit of layout. `aria-labelledby` makes each one a named region. */
export function Section({ id, title, children, actions }: { id: string; title: string; children: ReactNode; actions?: ReactNode }) {
  return (
    <Card className="console-section" role="region" aria-labelledby={`${id}-title`} data-section={id}>
      <div className="console-row" style={{ justifyContent: 'space-between', marginBottom: 8 }}>
        <H2 id={`${id}-title`} style={{ margin: 0 }}>
          {title}
        </H2>
        {actions}
      </div>
      {children}
    </Card>
  );
}
