import { Banner, Button, ErrorBanner, InfoBanner } from '@procore/core-react';
import type { ReactNode } from 'react';

// core-react's Banner family costs ~150 KB gzipped (react-aria and friends), more than the rest of
// the first screen together; it loads lazily behind a plain fallback with the same text (States.tsx).

export interface BannerProps {
  kind: 'error' | 'info';
  title: string;
  body: ReactNode;
  testId?: string;
  code?: string;
  onRetry?: () => void;
}

export default function PanelBanner({ kind, title, body, testId, code, onRetry }: BannerProps) {
  const B = kind === 'error' ? ErrorBanner : InfoBanner;
  return (
    <B role={kind === 'error' ? 'alert' : 'status'} data-testid={testId} data-error-code={code} className="panel-banner">
      <Banner.Content>
        <Banner.Title>{title}</Banner.Title>
        <Banner.Body>{body}</Banner.Body>
      </Banner.Content>
      {onRetry ? (
        <Banner.Action>
          <Button variant="secondary" onClick={onRetry}>
            Retry
          </Button>
        </Banner.Action>
      ) : null}
    </B>
  );
}
