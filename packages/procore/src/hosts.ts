// Procore hosts per environment (research §1.1). Tokens and credentials never cross environments.
// `explicit` points both hosts at any URL, e.g. the local sandbox which serves both on one port.

export type ProcoreEnvironment = 'production' | 'developer_sandbox' | 'monthly_sandbox' | 'federal';

export interface ProcoreHosts {
  /** OAuth host: /oauth/authorize, /oauth/token, /oauth/token/info, /oauth/revoke. */
  loginUrl: string;
  /** REST host: /rest/v1.0/... */
  apiUrl: string;
}

const HOSTS: Record<ProcoreEnvironment, ProcoreHosts> = {
  production: { loginUrl: 'https://login.procore.com', apiUrl: 'https://api.procore.com' },
  developer_sandbox: { loginUrl: 'https://login-sandbox.procore.com', apiUrl: 'https://sandbox.procore.com' },
  monthly_sandbox: { loginUrl: 'https://login-sandbox-monthly.procore.com', apiUrl: 'https://api-monthly.procore.com' },
  federal: { loginUrl: 'https://login.procoregov.com', apiUrl: 'https://api.procoregov.com' },
};

export type HostsInput = ProcoreEnvironment | ProcoreHosts | { baseUrl: string };

export function resolveHosts(input: HostsInput): ProcoreHosts {
  if (typeof input === 'string') {
    const h = HOSTS[input];
    if (!h) throw new Error(`unknown Procore environment "${String(input)}"`);
    return h;
  }
  const strip = (u: string) => u.replace(/\/+$/, '');
  if ('baseUrl' in input) return { loginUrl: strip(input.baseUrl), apiUrl: strip(input.baseUrl) };
  return { loginUrl: strip(input.loginUrl), apiUrl: strip(input.apiUrl) };
}
