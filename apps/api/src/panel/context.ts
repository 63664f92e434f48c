import type { Config } from '@mycoi/config';
import type { Database } from '@mycoi/db';
import type { PanelPorts } from './ports';
import type { PanelManifest } from './manifest';

/** What every panel route needs. `ports()` is a getter so routes mount before upstream clients exist. */
export interface PanelContext {
  config: Config;
  db: Database;
  ports: () => PanelPorts;
  manifest: PanelManifest;
}
