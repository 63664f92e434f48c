export { createSyncService, DEFAULT_CONCURRENCY, type SyncService, type SyncServiceConfig, type SyncServiceDeps } from './service';
export { enqueueSlot, phaseMs, slotCoordinator, upkeepFirst } from './slots';
export {
  drainDue,
  executeClaimed,
  inFlightLimit,
  IN_FLIGHT_PER_PERMIT,
  type Executed,
  type RunHandler,
  type WorkerOptions,
} from './worker';
export { Permits } from './permits';
export { startWorkerLoop, type WorkerLoop } from './loop';
