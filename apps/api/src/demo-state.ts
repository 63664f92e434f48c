import { mkdirSync, readFileSync, renameSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';

/**
 * The demo's sandboxes keep their state across restarts, as the real Procore and myCOI do: our
 * database keeps the active tenant, its ledger and hooks, so the sandboxes must keep the rows we
 * pushed, the hooks we registered and the feed our cursor points into. Each sandbox's state is a
 * JSON file beside the embedded database (PGLITE_DIR `.data/pglite` → `.data/sandboxes/`), written
 * when it changed (checked twice a second) and at shutdown, read at boot.
 */
export function sandboxStateDir(pgliteDir: string): string {
  const dir = path.resolve(pgliteDir);
  // the default layout gets `.data/sandboxes`; any other data dir its own sibling, never a shared one
  return path.basename(dir) === 'pglite' ? path.join(path.dirname(dir), 'sandboxes') : `${dir}-sandboxes`;
}

export interface PersistedSandbox {
  name: string;
  serialize(): string;
}

export const SAVE_EVERY_MS = 500;

/** Returns the saved state of a sandbox, or null (first start, or an unreadable file: logged). */
export function loadSandboxState(dir: string, name: string, logger: Logger): string | null {
  const file = path.join(dir, `${name}.json`);
  if (!existsSync(file)) return null;
  try {
    const json = readFileSync(file, 'utf8');
    JSON.parse(json); // a torn or edited file is reported, not half-loaded
    return json;
  } catch (err) {
    logger.error({ file, err: String(err) }, `demo ${name} sandbox state unreadable; starting it from its seed`);
    return null;
  }
}

/** Saves each sandbox when its state changed, and once more on stop. Returns stop(). */
export function keepSandboxStates(dir: string, sandboxes: PersistedSandbox[], logger: Logger): () => void {
  mkdirSync(dir, { recursive: true });
  const last = new Map<string, string>();
  const save = () => {
    for (const sb of sandboxes) {
      try {
        const json = sb.serialize();
        if (last.get(sb.name) === json) continue;
        const file = path.join(dir, `${sb.name}.json`);
        // write then rename: a crash mid-write never leaves a torn file behind
        writeFileSync(`${file}.tmp`, json);
        renameSync(`${file}.tmp`, file);
        last.set(sb.name, json);
      } catch (err) {
        logger.warn({ sandbox: sb.name, err: String(err) }, 'demo sandbox state not saved');
      }
    }
  };
  save();
  const timer = setInterval(save, SAVE_EVERY_MS);
  timer.unref();
  return () => {
    clearInterval(timer);
    save();
  };
}
