export { createSyncService, type SyncService, type SyncServiceConfig, type SyncServiceDeps } from './service';
export { enqueueSlot, phaseMs, slotCoordinator } from './slots';
