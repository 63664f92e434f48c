import { ToolHeader } from '@procore/core-react';
import type { ReactNode } from 'react';

/** Page chrome shared by the admin and ops views: tool header, then a centred column. */
export function Shell({ title, actions, tabs, children }: { title: string; actions?: ReactNode; tabs?: ReactNode; children: ReactNode }) {
  return (
    <div>
      <div style={{ background: '#fff', borderBottom: '1px solid #d6dadc', padding: '8px 24px' }}>
        <ToolHeader>
          <ToolHeader.Title>{title}</ToolHeader.Title>
          {actions && <ToolHeader.Actions>{actions}</ToolHeader.Actions>}
        </ToolHeader>
        {tabs && <nav aria-label="Sections">{tabs}</nav>}
      </div>
      <main className="console-main">{children}</main>
    </div>
  );
}
