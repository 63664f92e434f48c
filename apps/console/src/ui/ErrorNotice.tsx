import { Banner, ErrorBanner } from '@procore/core-react';
import type { ApiFailure } from '../api';

/** Field-level problems the API reports for invalid_input: `details: [{ path, message }]`. */
function issues(details: unknown): { path: string; message: string }[] {
  if (!Array.isArray(details)) return [];
  return details.flatMap((d) =>
    d && typeof d === 'object' && typeof (d as { message?: unknown }).message === 'string'
      ? [{ path: String((d as { path?: unknown }).path ?? ''), message: (d as { message: string }).message }]
      : [],
  );
}

/** Other structured details worth showing, e.g. not_ready's `missing` list. */
function missing(details: unknown): string[] {
  if (details && typeof details === 'object' && Array.isArray((details as { missing?: unknown }).missing)) {
    return (details as { missing: unknown[] }).missing.map(String);
  }
  return [];
}

const MISSING_LABELS: Record<string, string> = {
  validated_credentials: 'DMSA credentials that passed validation',
  feature: 'at least one feature (compliance push or side panel)',
  mycoi_account: 'a myCOI account',
  mycoi_credentials: 'myCOI API credentials',
};

/** Shows an API error as the user should read it: the message first, then what to fix. */
export function ErrorNotice({ error, title }: { error: ApiFailure | undefined; title?: string }) {
  if (!error) return null;
  const fieldIssues = issues(error.details);
  const miss = missing(error.details);
  return (
    // the internal code stays out of the text (people read words); support finds it on the element
    <ErrorBanner role="alert" data-error-code={error.code} title={`Error code: ${error.code}`} style={{ marginBottom: 16 }}>
      <Banner.Content>
        <Banner.Title>{title ?? error.message}</Banner.Title>
        <Banner.Body>
          {title && title !== error.message ? <div>{error.message}</div> : null}
          {fieldIssues.length > 0 && (
            <ul style={{ margin: '4px 0', paddingLeft: 18 }}>
              {fieldIssues.map((i) => (
                <li key={`${i.path}:${i.message}`}>{i.path ? `${i.path}: ${i.message}` : i.message}</li>
              ))}
            </ul>
          )}
          {miss.length > 0 && <div>Still needed: {miss.map((m) => MISSING_LABELS[m] ?? m).join('; ')}.</div>}
        </Banner.Body>
      </Banner.Content>
    </ErrorBanner>
  );
}
