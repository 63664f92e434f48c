import type { App } from '../state/types';
import type { StrictSwitches } from '../options';

export const OOB = 'urn:ietf:wg:oauth:2.0:oob';

/** Exact match against the app's registered URIs (Procore does not support dynamic redirect URIs). */
export function redirectAllowed(app: App, uri: string, switches: StrictSwitches): boolean {
  if (app.redirectUris.includes(uri) || uri === OOB) return true;
  if (!switches.allowAnyLoopbackRedirect) return false;
  try {
    const u = new URL(uri);
    return u.protocol === 'http:' && (u.hostname === '127.0.0.1' || u.hostname === 'localhost');
  } catch {
    return false;
  }
}
