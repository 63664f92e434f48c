import type { Config } from '@mycoi/config';

/**
 * Who may frame the panel and talk to it by postMessage: FRAME_ANCESTORS (Procore's origins), plus —
 * outside production only — the local Procore sandbox, whose harness page plays Procore in the demo
 * and the browser tests. Production never trusts a loopback origin.
 */
export function panelFrameAncestors(config: Config, services: Record<string, unknown> | undefined): string[] {
  const list = [...config.FRAME_ANCESTORS];
  if (config.mode === 'production') return list;
  const up = services?.upstream as { procoreLoginUrl?: string } | undefined;
  const login = up?.procoreLoginUrl ?? config.PROCORE_LOGIN_URL;
  if (login) {
    const u = new URL(login);
    if (u.protocol === 'http:' && (u.hostname === '127.0.0.1' || u.hostname === 'localhost') && !list.includes(u.origin))
      list.push(u.origin);
  }
  return list;
}
