import { Banner, Button, ErrorBanner, InfoBanner, Spinner } from '@procore/core-react';
import type { ReactNode } from 'react';
import { ApiError } from '../api';

/** A loading state that screen readers announce. */
export function Loading({ label }: { label: string }) {
  return (
    <div className="panel-loading" role="status" aria-live="polite">
      <Spinner size="sm" loading />
      <span>{label}</span>
    </div>
  );
}

const HINTS: Record<string, string> = {
  network: 'Check your connection, then retry.',
  upstream_unavailable: 'This is usually brief. Retry in a moment.',
  session_expired: 'Sign in again to continue.',
  project_forbidden: 'Ask a Procore admin to add you to this project.',
  commitments_tool_missing: 'Ask your Procore admin to grant the myCOI app the Commitments tool.',
  mycoi_read_only: 'Ask a myCOI admin or manager to do this, or to change your role.',
  already_linked: 'Open the linked record instead, or ask myCOI support to move the link.',
};

/** An error the user can act on: what happened, what to do, and a retry when retrying can help. */
export function ErrorNotice({ error, onRetry, title }: { error: unknown; onRetry?: () => void; title?: string }) {
  const e = error instanceof ApiError ? error : new ApiError(0, 'unexpected', error instanceof Error ? error.message : 'Something went wrong');
  const hint = HINTS[e.code];
  return (
    <ErrorBanner role="alert" data-error-code={e.code} className="panel-banner">
      <Banner.Content>
        <Banner.Title>{title ?? e.message}</Banner.Title>
        <Banner.Body>
          {title ? <div>{e.message}</div> : null}
          {hint ? <div>{hint}</div> : null}
        </Banner.Body>
      </Banner.Content>
      {onRetry ? (
        <Banner.Action>
          <Button variant="secondary" onClick={onRetry}>
            Retry
          </Button>
        </Banner.Action>
      ) : null}
    </ErrorBanner>
  );
}

/** A full-panel explanation (outside Procore, tenant not active, side panel off…). */
export function Notice({ title, children, testId }: { title: string; children: ReactNode; testId: string }) {
  return (
    <InfoBanner role="status" data-testid={testId} className="panel-banner">
      <Banner.Content>
        <Banner.Title>{title}</Banner.Title>
        <Banner.Body>{children}</Banner.Body>
      </Banner.Content>
    </InfoBanner>
  );
}
