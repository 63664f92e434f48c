/**
 * Origin checks for the postMessage handshake. Patterns come from FRAME_ANCESTORS (served by
 * /api/panel/config): exact origins, or `https://*.procore.com` where `*` is exactly one or more
 * DNS labels of a subdomain. Anything else (another scheme, port or suffix trick such as
 * `https://procore.com.evil.test`) does not match.
 */
export function originAllowed(origin: string, patterns: readonly string[]): boolean {
  let u: URL;
  try {
    u = new URL(origin);
  } catch {
    return false;
  }
  if (u.origin !== origin) return false; // must be a bare origin, no path
  return patterns.some((p) => {
    if (p === "'self'") return origin === window.location.origin;
    const m = /^(https?):\/\/\*\.([a-z0-9.-]+)(:\d+)?$/i.exec(p);
    if (!m) return p.replace(/\/$/, '') === origin;
    const [, scheme, suffix, port] = m;
    if (u.protocol !== `${scheme!.toLowerCase()}:`) return false;
    if ((u.port ? `:${u.port}` : '') !== (port ?? '')) return false;
    return u.hostname.endsWith(`.${suffix!.toLowerCase()}`) && u.hostname.length > suffix!.length + 1;
  });
}

/**
 * The origin of the page framing us, or null when we are not framed. Chrome and Safari expose
 * `location.ancestorOrigins`; Firefox does not, so fall back to the referrer (Procore loads the
 * iframe from its own page, so the referrer's origin is the parent's).
 */
export function parentOrigin(win: Window = window): string | null {
  if (win.parent === win) return null;
  const ancestors = (win.location as Location & { ancestorOrigins?: DOMStringList }).ancestorOrigins;
  if (ancestors && ancestors.length > 0) return ancestors[0] ?? null;
  try {
    return win.document.referrer ? new URL(win.document.referrer).origin : null;
  } catch {
    return null;
  }
}
