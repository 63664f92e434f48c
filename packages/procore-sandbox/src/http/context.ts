import type { Request } from 'express';
import type { ResolvedConfig } from '../options';
import type { Store } from '../state/store';
import type { AccessToken, App, Tool, ToolLevel, ToolPermissions, User } from '../state/types';
import type { Emitter } from '../webhooks/emitter';

/** Everything a route needs: the store, config, event emitter. */
export interface Deps {
  store: Store;
  config: ResolvedConfig;
  emitter: Emitter;
}

/** What a valid token may do inside the company named by Procore-Company-Id. */
export interface Access {
  companyId: number;
  projectIds: 'all' | Set<number>;
  permissions: ToolPermissions;
}

export interface Caller {
  token: AccessToken;
  app: App;
  user: User;
  /** Set when the request carried a usable Procore-Company-Id. */
  access?: Access;
}

export type SandboxRequest = Request & { caller?: Caller };

const ORDER: ToolLevel[] = ['none', 'read_only', 'standard', 'admin'];
export function atLeast(have: ToolLevel | undefined, need: ToolLevel): boolean {
  return ORDER.indexOf(have ?? 'none') >= ORDER.indexOf(need);
}
export type { Tool };
