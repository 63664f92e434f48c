/**
 * The Procore sandbox's consent form, filled in as `login` (every seeded user's password is
 * "password") and approved: what a person does in the sign-in popup. `authorizeUrl` is where our
 * start route redirected; returns the Location Procore sends the browser back to (our callback,
 * with code and state).
 */
export async function approveAtProcore(authorizeUrl: string, login: string): Promise<string> {
  const authorize = new URL(authorizeUrl);
  const form = new URLSearchParams({
    client_id: authorize.searchParams.get('client_id') ?? '',
    redirect_uri: authorize.searchParams.get('redirect_uri') ?? '',
    state: authorize.searchParams.get('state') ?? '',
    response_type: 'code',
    login,
    password: 'password',
    decision: 'approve',
  });
  const consent = await fetch(`${authorize.origin}/oauth/authorize`, { method: 'POST', body: form, redirect: 'manual' });
  return consent.headers.get('location') ?? '';
}
