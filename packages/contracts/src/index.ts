// @mycoi/contracts: zod schemas and types shared by the API and the two web apps (zod only).
export * from './tenants';
export * from './panel';
export * from './events';
export * from './sync-problems';
export * from './procore-manifest';
export * from './webhook-unparsed';
export * from './tenant-settings';
