import { createProcoreSandbox, type ProcoreSandbox, type ProcoreSandboxOptions } from '@mycoi/procore-sandbox';
import { createOAuthClient, createProcoreClient, dmsaTokenProvider, type ProcoreClientOptions } from '../src/index';

export const DMSA = { clientId: 'demo-dmsa-client', clientSecret: 'demo-dmsa-secret' };
export const NOCOMMIT = { clientId: 'demo-nocommit-client', clientSecret: 'demo-nocommit-secret' };
export const PANEL = { clientId: 'demo-panel-client', clientSecret: 'demo-panel-secret' };
export const ACME = 1001;
export const OTHER = 2002;

/** Fast retries for tests: the retry *policy* is tested in @mycoi/http; here we need the calls. */
export const fastHttp = { sleep: async () => {}, retry: { baseDelayMs: 1, maxDelayMs: 5 } };

/** Rate limits raised (never off) so the suites stay fast; tests of the limits set their own. */
export const RAISED_LIMITS = { hourly: 100_000, spike10s: 10_000 };

export async function setup(opts: ProcoreSandboxOptions = {}, client: Partial<ProcoreClientOptions> = {}, creds = DMSA) {
  const sb = await createProcoreSandbox({ rateLimit: RAISED_LIMITS, ...opts });
  const hosts = { baseUrl: sb.url };
  const oauth = createOAuthClient({ hosts, http: fastHttp });
  const token = dmsaTokenProvider(oauth, creds);
  const procore = createProcoreClient({ hosts, token, http: fastHttp, ...client });
  return { sb, oauth, token, procore, acme: procore.company(ACME) };
}

export function count(sb: ProcoreSandbox, pred: (r: ReturnType<ProcoreSandbox['requests']>[number]) => boolean): number {
  return sb.requests().filter(pred).length;
}
