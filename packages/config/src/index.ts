export { loadConfig, ConfigError, type Config } from './load';
export { envSchema, requiredInProduction, PROCORE_ORIGINS, type Env } from './schema';
