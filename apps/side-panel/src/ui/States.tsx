import { lazy, Suspense, type ReactNode } from 'react';
import { Button, Spinner } from '@procore/core-react';
import { ApiError } from '../api';
import type { BannerProps } from './Banners';

const PanelBanner = lazy(() => import('./Banners'));

/** A loading state that screen readers announce. */
export function Loading({ label }: { label: string }) {
  return (
    <div className="panel-loading" role="status" aria-live="polite">
      <Spinner size="sm" loading />
      <span>{label}</span>
    </div>
  );
}

/** The same message, plainly styled, while core-react's Banner loads (or if it cannot). */
function PlainBanner({ kind, title, body, testId, code, onRetry }: BannerProps) {
  return (
    <div
      role={kind === 'error' ? 'alert' : 'status'}
      data-testid={testId}
      data-error-code={code}
      className={`panel-banner panel-plain-banner panel-plain-${kind}`}
    >
      <strong>{title}</strong>
      <div>{body}</div>
      {onRetry ? (
        <Button variant="secondary" onClick={onRetry}>
          Retry
        </Button>
      ) : null}
    </div>
  );
}

function AnyBanner(p: BannerProps) {
  return (
    <Suspense fallback={<PlainBanner {...p} />}>
      <PanelBanner {...p} />
    </Suspense>
  );
}

const HINTS: Record<string, string> = {
  network: 'Check your connection, then retry.',
  upstream_unavailable: 'This is usually brief. Retry in a moment.',
  session_expired: 'Sign in again to continue.',
  project_forbidden: 'Ask a Procore admin to add you to this project.',
  vendor_forbidden: "Add the vendor to this project's directory in Procore first.",
  commitment_forbidden: 'Open the panel from the commitment in its own project.',
  procore_sign_in_required: 'Sign in to Procore again to continue.',
  procore_access_removed: 'Your Procore user was removed from this company; ask your Procore admin.',
  commitments_tool_missing: 'Ask your Procore admin to grant the myCOI app the Commitments tool.',
  mycoi_read_only: 'Ask a myCOI admin or manager to do this, or to change your role.',
  already_linked: 'Open the linked record instead, or ask myCOI support to move the link.',
};

/** An error the user can act on: what happened, what to do, and a retry when retrying can help. */
export function ErrorNotice({ error, onRetry, title }: { error: unknown; onRetry?: () => void; title?: string }) {
  const e =
    error instanceof ApiError ? error : new ApiError(0, 'unexpected', error instanceof Error ? error.message : 'Something went wrong');
  const hint = HINTS[e.code];
  return (
    <AnyBanner
      kind="error"
      title={title ?? e.message}
      code={e.code}
      onRetry={onRetry}
      body={
        <>
          {title ? <div>{e.message}</div> : null}
          {hint ? <div>{hint}</div> : null}
        </>
      }
    />
  );
}

/** A full-panel explanation (outside Procore, tenant not active, side panel off…). */
export function Notice({ title, children, testId }: { title: string; children: ReactNode; testId: string }) {
  return <AnyBanner kind="info" title={title} body={children} testId={testId} />;
}
