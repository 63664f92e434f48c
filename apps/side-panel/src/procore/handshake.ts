import { originAllowed, parentOrigin } from './origins';

/** What Procore tells a side panel about the page it sits beside (Procore's guide to building side panel apps). */
export interface ProcoreContext {
  companyId: string;
  projectId: string;
  id: string;
  view: string;
}

export type HandshakeEvent = { type: 'setup'; context: ProcoreContext } | { type: 'visible' } | { type: 'hidden' } | { type: 'destroy' };

const idLike = (v: unknown): string | null =>
  (typeof v === 'number' && Number.isSafeInteger(v) && v > 0) || (typeof v === 'string' && /^\d{1,20}$/.test(v)) ? String(v) : null;

/** Parses one message payload; anything unexpected is ignored (null). Ids may be numbers or strings (UNCONFIRMED upstream). */
export function parseProcoreMessage(data: unknown): HandshakeEvent | null {
  if (!data || typeof data !== 'object') return null;
  const m = data as { type?: unknown; context?: unknown };
  if (m.type === 'sidepanel:app:visible') return { type: 'visible' };
  if (m.type === 'sidepanel:app:hidden') return { type: 'hidden' };
  if (m.type === 'sidepanel:app:destroy') return { type: 'destroy' };
  if (m.type !== 'setup' || !m.context || typeof m.context !== 'object') return null;
  const c = m.context as Record<string, unknown>;
  const companyId = idLike(c.company_id);
  const projectId = idLike(c.project_id);
  const id = idLike(c.id);
  const view = typeof c.view === 'string' && /^[a-z_]+\.[a-z_]+\.[a-z_]+$/.test(c.view) ? c.view : null;
  if (!companyId || !projectId || !id || !view) return null;
  return { type: 'setup', context: { companyId, projectId, id, view } };
}

export type Embedding = { kind: 'outside' } | { kind: 'untrusted'; origin: string } | { kind: 'procore'; origin: string };

export function embedding(allowed: readonly string[], win: Window = window): Embedding {
  const origin = parentOrigin(win);
  if (!origin) return { kind: 'outside' };
  return originAllowed(origin, allowed) ? { kind: 'procore', origin } : { kind: 'untrusted', origin };
}

/**
 * Starts the handshake: posts {type:'initialize'} to the parent's Procore origin (never '*') and
 * delivers only messages that come from that origin AND from the parent window. Returns a stop
 * function. `initialize` is re-posted on request (a retry after a timeout).
 */
export function connect(
  parent: string,
  onEvent: (e: HandshakeEvent) => void,
  win: Window = window,
): { stop: () => void; initialize: () => void } {
  const listener = (ev: MessageEvent) => {
    if (ev.origin !== parent || ev.source !== win.parent) return; // spoofed or stray: ignore silently
    const parsed = parseProcoreMessage(ev.data);
    if (parsed) onEvent(parsed);
  };
  win.addEventListener('message', listener);
  const initialize = () => win.parent.postMessage({ type: 'initialize' }, parent);
  initialize();
  return { stop: () => win.removeEventListener('message', listener), initialize };
}
