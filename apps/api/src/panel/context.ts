import type { Config } from '@mycoi/config';
import type { Database } from '@mycoi/db';
import type { PanelPorts } from './ports';
import type { PanelManifest } from './manifest';
import type { PanelAuthz } from './authz';
import type { PanelProcoreTokens } from './procore-token';

/** What every panel route needs. `ports()` is a getter so routes mount before upstream clients exist. */
export interface PanelContext {
  config: Config;
  db: Database;
  ports: () => PanelPorts;
  manifest: PanelManifest;
  /** The Procore user token of each session, refreshed single-flight (issue 11.6). */
  tokens: PanelProcoreTokens;
  /** Every Procore id a request touches, checked with the user's own token (issue 16.2). */
  authz: PanelAuthz;
}
