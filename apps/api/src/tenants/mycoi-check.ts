import axios from 'axios';
import { z } from 'zod';
import type { ValidationCheck, ValidationResult } from '@mycoi/contracts';

const Token = z.object({ access_token: z.string().min(1), account_id: z.string().optional() });
const Me = z.object({ token_kind: z.string(), account: z.object({ id: z.string(), name: z.string() }) });

const LABELS = { token: 'myCOI token obtained', me: 'myCOI API answers', account: 'Account matches the tenant' } as const;
const c = (id: keyof typeof LABELS, ok: boolean, detail: string, fixHint: string): ValidationCheck => ({
  id,
  label: LABELS[id],
  ok,
  detail,
  fixHint: ok ? null : fixHint,
});

/**
 * Ops' "test connection": a client-credentials token, GET /v1/me, and that the token's account is
 * the myCOI account ops entered for this tenant (a mixed-up secret would push compliance of one
 * customer into another's Procore).
 * TODO(integrator): switch to @mycoi/mycoi's client once it lands; the checks stay the same.
 */
export async function testMycoiConnection(baseUrl: string, creds: { clientId: string; clientSecret: string; accountId: string }): Promise<ValidationResult> {
  const http = axios.create({ baseURL: baseUrl, timeout: 15_000, validateStatus: () => true });
  const checks: ValidationCheck[] = [];
  const done = () => ({ ok: checks.length === 3 && checks.every((x) => x.ok), checkedAt: new Date().toISOString(), checks });
  let token: string;
  try {
    const res = await http.post('/oauth/token', { grant_type: 'client_credentials', client_id: creds.clientId, client_secret: creds.clientSecret });
    const parsed = Token.safeParse(res.data);
    if (res.status !== 200 || !parsed.success) {
      checks.push(c('token', false, `myCOI answered ${res.status}`, res.status === 401 ? 'Check the myCOI client ID and secret issued for this account.' : 'Try again; if it persists, check the myCOI API status.'));
      return done();
    }
    token = parsed.data.access_token;
    checks.push(c('token', true, 'Token issued', ''));
  } catch {
    checks.push(c('token', false, 'myCOI could not be reached', 'Check MYCOI_API_URL and the network, then test again.'));
    return done();
  }
  try {
    const res = await http.get('/v1/me', { headers: { authorization: `Bearer ${token}` } });
    const parsed = Me.safeParse(res.data);
    if (res.status !== 200 || !parsed.success) {
      checks.push(c('me', false, `GET /v1/me answered ${res.status}`, 'Try again; if it persists, contact myCOI engineering.'));
      return done();
    }
    checks.push(c('me', true, `Account "${parsed.data.account.name}"`, ''));
    const same = parsed.data.account.id === creds.accountId;
    checks.push(
      c('account', same, same ? `Account ${creds.accountId}` : `The credentials belong to account ${parsed.data.account.id}, not ${creds.accountId}`, 'Enter the account id that these credentials were issued for.'),
    );
  } catch {
    checks.push(c('me', false, 'myCOI could not be reached', 'Check MYCOI_API_URL and the network, then test again.'));
  }
  return done();
}
