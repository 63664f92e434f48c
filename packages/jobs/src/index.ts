export { createSyncService, DEFAULT_CONCURRENCY, type SyncService, type SyncServiceConfig, type SyncServiceDeps } from './service';
export { enqueueSlot, phaseMs, slotCoordinator, upkeepFirst } from './slots';
export { drainDue, executeClaimed, type Executed, type RunHandler, type WorkerOptions } from './worker';
export { startWorkerLoop, type WorkerLoop } from './loop';
