import type { Config } from '@mycoi/config';
import type { Lifecycle } from './lifecycle';
import type { Logger } from 'pino';
import type { ProcoreSandbox } from '@mycoi/procore-sandbox';
import type { MycoiSandbox } from '@mycoi/mycoi-sandbox';
import { keepSandboxStates, loadSandboxState, sandboxStateDir } from './demo-state';

/**
 * Where Procore and myCOI are, and the marketplace app used for user sign-in. In production these
 * come from config; in the demo (and in tests) embedded sandboxes are started and their URLs used.
 * Every feature reads upstream URLs from here — nobody else decides between sandbox and real hosts.
 */
export interface Upstream {
  procoreLoginUrl: string;
  procoreApiUrl: string;
  procoreClientId: string;
  procoreClientSecret: string;
  mycoiApiUrl: string;
  mycoiWebhookSecret: string;
  /** Present in the demo: the embedded sandboxes (for the harness page, admin actions, tests). */
  sandboxes?: { procore: ProcoreSandbox; mycoi: MycoiSandbox };
  /** Demo: point the myCOI sandbox's compliance.updated webhooks at our receiver. */
  connectDemoWebhooks(ourBaseUrl: string): Promise<void>;
}

export const DEMO_PANEL_CLIENT = { id: 'demo-panel-client', secret: 'demo-panel-secret' };
const DEMO_WEBHOOK_SECRET = 'demo-mycoi-webhook-secret-0123456789';

export async function resolveUpstream(config: Config, lifecycle: Lifecycle, logger: Logger): Promise<Upstream> {
  if (!config.sandboxes) {
    return {
      procoreLoginUrl: required(config.PROCORE_LOGIN_URL, 'PROCORE_LOGIN_URL'),
      procoreApiUrl: required(config.PROCORE_API_URL, 'PROCORE_API_URL'),
      procoreClientId: config.PROCORE_CLIENT_ID ?? DEMO_PANEL_CLIENT.id,
      procoreClientSecret: config.PROCORE_CLIENT_SECRET ?? DEMO_PANEL_CLIENT.secret,
      mycoiApiUrl: required(config.MYCOI_API_URL, 'MYCOI_API_URL'),
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
  return {
    procoreLoginUrl: procore.url,
    procoreApiUrl: procore.url,
    procoreClientId: DEMO_PANEL_CLIENT.id,
    procoreClientSecret: DEMO_PANEL_CLIENT.secret,
    mycoiApiUrl: mycoi.url,
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
