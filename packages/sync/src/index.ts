export * from './ports';
export { mapStatus, commitmentStatus, todayUtc } from './status';
export {
  complianceRows,
  procoreOverallStatus,
  worseStatus,
  lineKeys,
  PROCORE_STATUS_LABELS,
  MYCOI_STATUS_LABELS,
  type ComplianceRow,
  type ComplianceRowKind,
} from './compliance';
export { procoreComplianceView } from './compliance-view';
export { canonicalJson, contentHash } from './hash';
export {
  ORIGIN_PREFIX,
  isOurs,
  vendorOriginId,
  projectOriginId,
  commitmentStatusKey,
  primaryLimit,
  buildNotes,
  buildRows,
  rowHash,
} from './rows';
export { RunContext, BudgetLowError, emptyCounts, type Counts, type RunError, type SyncLogger } from './context';
export { ingestRecords, ownerKey, FEED_CHECKPOINT } from './ingest';
export { pushDirty, SYNC_BATCH } from './push';
export { reconcile, expireLapsed, matchesDesired } from './reconcile';
export { runUpkeep, normaliseName, sameVendor, UPKEEP_CHECKPOINT } from './upkeep';
export { sendDigestIfChanged, digestItems, renderDigest, type DigestItem } from './digest';
export {
  enqueueRun,
  queuedRunOf,
  claimRun,
  claimRunById,
  enqueueTargeted,
  enqueueHooks,
  nextDueInMs,
  heartbeat,
  finishRun,
  recentRuns,
  getRun,
  recordOutcome,
  tenantState,
  backoffMs,
  reclaimStaleRuns,
  markReconcileDue,
  HEARTBEAT_MS,
  STALE_AFTER_MS,
  type RunKind,
  type RunTarget,
  type RunRow,
  type RunStatus,
  type RunTrigger,
} from './runs';
export { executeRun, type EngineOptions, type RunOutcome } from './engine';
export {
  loadTenant,
  loadFeatures,
  activeTenantFeatures,
  featuresOf,
  runBlockedBy,
  activeTenants,
  activeTenantIds,
  scheduledKinds,
  reportInvalidSettings,
  clearInvalidSettings,
  SettingsInvalidError,
  type SyncTenant,
  type ComplianceLevel,
} from './tenants';
export { getCheckpoint, setCheckpoint } from './checkpoints';
export { procorePort } from './adapters/procore';
export { mycoiPort, recordStatus, lineStatusOf, toRecord } from './adapters/mycoi';
export { rememberProjectNames, knownProjectNames, projectForbiddenProblem } from './forbidden';
export { recordProblem, clearProblem, replaceProblemsOfKind, listProblems, type ProblemReport } from './problems';
export { keepPending, resolvePending, markPendingDue, duePending, countPending, type PendingRecord } from './pending';
