// @mycoi/events: what webhook events and Procore hooks MEAN (parsing, planning, the webhook_events
// queue side, the targeted-run and hook-job handlers); apps/api keeps the HTTP receivers and wiring.
export type { EventSource, EventsLogger, EventMetricsPort, HookClients } from './ports';
export { ProcoreDelivery, ProcoreDeliveryV2, MycoiComplianceEvent, procoreEventId, parseInstant } from './payloads';
export { planBatch, PROCORE_RESOURCES, PROCORE_EVENT_TYPES, type CommitmentRef, type Target, type Plan } from './plan';
export {
  rememberSignature,
  takeRunEvents,
  requeueEvents,
  requeueStrandedEvents,
  finishEvents,
  pruneEvents,
  type NewEvent,
  type ClaimedEvent,
  type Finished,
} from './store';
export { RetryLaterError, TargetedRunFailedError, type TargetResult, type TargetedEngine } from './engine';
export { syncTargetedEngine } from './sync-engine';
export { eventRunHandler, type EventRunHandler, type EventRunOptions } from './worker';
export {
  HookManager,
  WANTED_TRIGGERS,
  HOOK_VERIFY_EVERY,
  HOOK_NAMESPACE,
  missingTriggerProblems,
  type HookManagerOptions,
  type HookState,
  type EnsureResult,
} from './hooks';
export { hookJobHandler, queueHookJob, waitForRun } from './hook-jobs';
export { CallMeter } from './call-meter';
export { newHookSecret, secretHash, matchesSecret } from './secret';
export { EventCounters, type CounterKind } from './counters';
export { storeUnparsed, listUnparsed, UNPARSED_KEEP_BYTES, UNPARSED_KEEP_ROWS, type UnparsedInput } from './unparsed';
export { tenantEventsSummary } from './summary';
