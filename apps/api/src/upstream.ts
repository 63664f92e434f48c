import type { Config } from '@mycoi/config';
import type { ProcoreEnvironment } from '@mycoi/contracts';
import type { Lifecycle } from './lifecycle';
import type { Logger } from 'pino';
import type { ProcoreSandbox } from '@mycoi/procore-sandbox';
import type { MycoiSandbox } from '@mycoi/mycoi-sandbox';
import { keepSandboxStates, loadSandboxState, sandboxStateDir } from './demo-state';

/** Where Procore and myCOI are, and the marketplace app used for user sign-in. */
export interface UpstreamLocations {
  procoreLoginUrl: string;
  procoreApiUrl: string;
  procoreClientId: string;
  procoreClientSecret: string;
  mycoiApiUrl: string;
}

/** What follows from the locations, decided here and nowhere else. */
export interface UpstreamDerived {
  /** The Procore web app, for links a person follows (digest mails): app.procore.com, or the sandbox. */
  procoreAppUrl: string;
  /** Which Procore this is: the console preselects and labels it, so a demo is never registered as Production. */
  procoreEnvironment: ProcoreEnvironment;
  /** Who may frame the side panel (CSP frame-ancestors) and talk to it by postMessage. */
  panelFrameAncestors: string[];
}

/**
 * What the features read about the upstream services. A location is missing only when the app is
 * mounted from a config that names none (unit tests mounting createApp alone); the composition
 * root always has all five.
 */
export interface UpstreamView extends Partial<UpstreamLocations>, UpstreamDerived {}

/**
 * The upstream services as the composition root resolved them. In production they come from
 * config; in the demo (and in tests) embedded sandboxes are started and their URLs used.
 * Every feature reads upstream URLs from here — nobody else decides between sandbox and real hosts.
 */
export interface Upstream extends UpstreamLocations, UpstreamDerived {
  mycoiWebhookSecret: string;
  /** Present in the demo: the embedded sandboxes (for the harness page, admin actions, tests). */
  sandboxes?: { procore: ProcoreSandbox; mycoi: MycoiSandbox };
  /** Demo: point the myCOI sandbox's compliance.updated webhooks at our receiver. */
  connectDemoWebhooks(ourBaseUrl: string): Promise<void>;
}

/**
 * The view of given locations: `embedded` when they are this process's own sandboxes. Used by
 * resolveUpstream, by configuredUpstream, and by tests that mount the app next to their own sandboxes.
 */
export function upstreamView<L extends Partial<UpstreamLocations>>(config: Config, at: L, embedded = false): L & UpstreamDerived {
  const procoreEnvironment: ProcoreEnvironment = embedded ? 'local' : environmentOf(at.procoreApiUrl);
  return {
    ...at,
    // a local Procore (the sandbox) serves its own pages; Procore's sandbox company lives on its own host
    procoreAppUrl:
      procoreEnvironment === 'local' && at.procoreApiUrl
        ? at.procoreApiUrl
        : procoreEnvironment === 'sandbox'
          ? 'https://sandbox.procore.com'
          : 'https://app.procore.com',
    procoreEnvironment,
    panelFrameAncestors: frameAncestors(config, at.procoreLoginUrl),
  };
}

/** The upstream named by config alone (no sandboxes started): what createApp uses when given none. */
export function configuredUpstream(config: Config): UpstreamView {
  return upstreamView(config, {
    procoreLoginUrl: config.PROCORE_LOGIN_URL,
    procoreApiUrl: config.PROCORE_API_URL,
    procoreClientId: config.PROCORE_CLIENT_ID,
    procoreClientSecret: config.PROCORE_CLIENT_SECRET,
    mycoiApiUrl: config.MYCOI_API_URL,
  });
}

/**
 * The Procore environment a service talks to, from its API host: Procore's known hosts, else a
 * local sandbox.
 */
export function environmentOf(apiUrl: string | undefined): ProcoreEnvironment {
  if (!apiUrl) return 'production';
  let host: string;
  try {
    host = new URL(apiUrl).hostname;
  } catch {
    return 'production';
  }
  if (host === 'sandbox.procore.com') return 'sandbox';
  if (host === 'api-monthly.procore.com') return 'monthly';
  if (host.endsWith('procore.com') || host.endsWith('procoregov.com')) return 'production';
  return 'local';
}

/**
 * FRAME_ANCESTORS (Procore's origins), plus — outside production only — the local Procore sandbox,
 * whose harness page plays Procore in the demo and the browser tests. Production never trusts a
 * loopback origin.
 */
function frameAncestors(config: Config, procoreLoginUrl: string | undefined): string[] {
  const list = [...config.FRAME_ANCESTORS];
  if (config.mode === 'production' || !procoreLoginUrl) return list;
  const u = new URL(procoreLoginUrl);
  if (u.protocol === 'http:' && (u.hostname === '127.0.0.1' || u.hostname === 'localhost') && !list.includes(u.origin)) list.push(u.origin);
  return list;
}

export const DEMO_PANEL_CLIENT = { id: 'demo-panel-client', secret: 'demo-panel-secret' };
const DEMO_WEBHOOK_SECRET = 'demo-mycoi-webhook-secret-0123456789';

export async function resolveUpstream(config: Config, lifecycle: Lifecycle, logger: Logger): Promise<Upstream> {
  if (!config.sandboxes) {
    const at: UpstreamLocations = {
      procoreLoginUrl: required(config.PROCORE_LOGIN_URL, 'PROCORE_LOGIN_URL'),
      procoreApiUrl: required(config.PROCORE_API_URL, 'PROCORE_API_URL'),
      procoreClientId: config.PROCORE_CLIENT_ID ?? DEMO_PANEL_CLIENT.id,
      procoreClientSecret: config.PROCORE_CLIENT_SECRET ?? DEMO_PANEL_CLIENT.secret,
      mycoiApiUrl: required(config.MYCOI_API_URL, 'MYCOI_API_URL'),
    };
    return {
      ...upstreamView(config, at),
      mycoiWebhookSecret: config.MYCOI_WEBHOOK_SECRET ?? DEMO_WEBHOOK_SECRET,
      connectDemoWebhooks: async () => undefined, // real myCOI: ops register our URL with myCOI
    };
  }
  // Imported lazily: production never loads sandbox code.
  const { createProcoreSandbox, restoreStore: restoreProcore, serializeStore: serializeProcore } = await import('@mycoi/procore-sandbox');
  const { createMycoiSandbox, restoreStore: restoreMycoi, serializeStore: serializeMycoi } = await import('@mycoi/mycoi-sandbox');
  // the demo's sandboxes keep their state across restarts, like the real services (demo-state.ts)
  const stateDir = sandboxStateDir(config.PGLITE_DIR);
  let savedProcore = loadSandboxState(stateDir, 'procore', logger);
  let savedMycoi = loadSandboxState(stateDir, 'mycoi', logger);
  if (!savedProcore !== !savedMycoi) {
    // one without the other would not match: both start from their seeds together
    logger.warn({ stateDir }, 'only one demo sandbox state found; both sandboxes start from their seeds');
    savedProcore = savedMycoi = null;
  }
  // Fixed ports next to ours in the demo, so the browser can reach the sandbox's consent page;
  // random ports when we run on port 0 (tests).
  const port = (n: number) => (config.PORT === 0 ? 0 : config.PORT + n);
  const webhookSecret = config.MYCOI_WEBHOOK_SECRET ?? DEMO_WEBHOOK_SECRET;
  // The demo seed registers the API's callbacks on port 3000; on any other port accept loopback ones.
  const procore = await createProcoreSandbox({
    port: port(1),
    seed: savedProcore ? 'empty' : 'demo',
    overrides: { allowAnyLoopbackRedirect: config.PORT !== 3000 },
    // the harness page frames the panel this service serves, on whatever port it listens
    // (tests, on port 0, name it in each harness URL: ?panel=)
    harness: { panelBaseUrl: config.PUBLIC_URL ?? (config.PORT === 0 ? undefined : `http://localhost:${config.PORT}`) },
  });
  lifecycle.onStop('procore sandbox', () => procore.close());
  const mycoi = await createMycoiSandbox({ port: port(2), seed: savedMycoi ? 'empty' : 'demo' });
  lifecycle.onStop('myCOI sandbox', () => mycoi.close());
  if (savedProcore) restoreProcore(procore.state, savedProcore);
  if (savedMycoi) restoreMycoi(mycoi.state, savedMycoi);
  const stopSaving = keepSandboxStates(
    stateDir,
    [
      { name: 'procore', serialize: () => serializeProcore(procore.state) },
      { name: 'mycoi', serialize: () => serializeMycoi(mycoi.state) },
    ],
    logger,
  );
  lifecycle.onStop('demo sandbox state', stopSaving); // stops before the sandboxes close: last save
  logger.info(
    { procore: procore.url, mycoi: mycoi.url, stateDir, restored: { procore: Boolean(savedProcore), mycoi: Boolean(savedMycoi) } },
    savedProcore && savedMycoi
      ? 'embedded sandboxes started (demo) with the state they had when the demo stopped'
      : 'embedded sandboxes started (demo) from their seeds; their state is kept across restarts from now on',
  );
  const at: UpstreamLocations = {
    procoreLoginUrl: procore.url,
    procoreApiUrl: procore.url,
    procoreClientId: DEMO_PANEL_CLIENT.id,
    procoreClientSecret: DEMO_PANEL_CLIENT.secret,
    mycoiApiUrl: mycoi.url,
  };
  return {
    ...upstreamView(config, at, true),
    mycoiWebhookSecret: webhookSecret,
    sandboxes: { procore, mycoi },
    connectDemoWebhooks: async (ourBaseUrl) => {
      mycoi.admin.setWebhook({ url: `${ourBaseUrl}/webhooks/mycoi`, secret: webhookSecret });
    },
  };
}

function required(value: string | undefined, name: string): string {
  if (!value) throw new Error(`${name} is required when the embedded sandboxes are off`);
  return value;
}
