import { createMycoiClient } from '@mycoi/mycoi';
import { UpstreamError } from '@mycoi/procore'; // the shared @mycoi/http error class, re-exported
import type { ValidationCheck, ValidationResult } from '@mycoi/contracts';

const LABELS = { token: 'myCOI token obtained', me: 'myCOI API answers', account: 'Account matches the tenant' } as const;
const c = (id: keyof typeof LABELS, ok: boolean, detail: string, fixHint: string): ValidationCheck => ({
  id,
  label: LABELS[id],
  ok,
  detail,
  severity: 'error',
  fixHint: ok ? null : fixHint,
});
const RETRY_LATER = 'Try again in a minute; if it persists, check MYCOI_API_URL and the myCOI API status.';

/**
 * Ops' "test connection": a client-credentials token, GET /v1/me, and that the token's account is
 * the myCOI account ops entered for this tenant (a mixed-up secret would push one customer's
 * compliance into another customer's Procore).
 */
export async function testMycoiConnection(
  baseUrl: string,
  creds: { clientId: string; clientSecret: string; accountId: string },
): Promise<ValidationResult> {
  const client = createMycoiClient({
    baseURL: baseUrl,
    clientId: creds.clientId,
    clientSecret: creds.clientSecret,
    timeoutMs: 15_000,
    retry: { maxAttempts: 2, maxRetryAfterMs: 5_000 },
  });
  const checks: ValidationCheck[] = [];
  try {
    const me = await client.me();
    checks.push(c('token', true, 'Token issued', ''), c('me', true, `Account "${me.account.name}"`, ''));
    const same = me.account.id === creds.accountId;
    checks.push(
      c(
        'account',
        same,
        same ? `Account ${creds.accountId}` : `The credentials belong to account ${me.account.id}, not ${creds.accountId}`,
        'Enter the account id these credentials were issued for.',
      ),
    );
  } catch (err) {
    // The client asks for a token on the first call: a failure on /oauth/token (or no answer at
    // all) is the token check; anything after it is the /v1/me check.
    const status = err instanceof UpstreamError ? err.status : undefined;
    const atToken = !(err instanceof UpstreamError) || err.path.includes('/oauth/token') || status === undefined;
    if (atToken) {
      const hint = status === 400 || status === 401 ? 'Check the myCOI client ID and secret issued for this account.' : RETRY_LATER;
      checks.push(c('token', false, status ? `myCOI answered ${status}` : 'myCOI could not be reached', hint));
    } else {
      checks.push(c('token', true, 'Token issued', ''), c('me', false, `GET /v1/me answered ${status}`, RETRY_LATER));
    }
  }
  return { ok: checks.length === 3 && checks.every((x) => x.ok), checkedAt: new Date().toISOString(), checks };
}
