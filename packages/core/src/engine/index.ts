/**
 * The reconcile engine: plan, apply and destroy over a provider's resource graph. It keeps no
 * state of its own; the cloud is the truth, found through ownership labels.
 */
export { type ApplyResult, apply } from './apply.js';
export {
  APPLY_ABORTED_CODE,
  APPLY_FAILED_CODE,
  ApplyError,
  type ApplyErrorDetails,
  type FailedStep,
  isApplyError,
} from './apply-error.js';
export {
  type Change,
  type NoChange,
  noChange,
  type ReplaceChange,
  replaceFields,
  type UpdateChange,
  updateFields,
} from './change.js';
export { changedFields } from './changed-fields.js';
export { type DestroyResult, destroy } from './destroy.js';
export { toDot } from './dot.js';
export type { EngineEventListener } from './emitter.js';
export type {
  ApplyFailedEvent,
  ApplyFinishedEvent,
  ApplyStartedEvent,
  EngineEvent,
  EngineOperation,
  LockEvent,
  LockReleaseFailedEvent,
  PlanFailedEvent,
  PlanFinishedEvent,
  PlanStartedEvent,
  ResourceDoneEvent,
  ResourceFailedEvent,
  ResourceProgressEvent,
  ResourceRetryEvent,
  ResourceStartEvent,
  StepRef,
  StepTotals,
} from './events.js';
export { GRAPH_INVALID_CODE, GraphError, isGraphError } from './graph-error.js';
export { loadPlan } from './load-plan.js';
export { breakLock, type LockProvider, readLock } from './lock.js';
export { isLockedError, LOCKED_CODE, LockedError } from './lock-error.js';
export type { LockRecord, LockStore, PendingLock } from './lock-store.js';
export { toMermaid } from './mermaid.js';
export type {
  ApplyOptions,
  DestroyOptions,
  EngineOptions,
  ExecutionOptions,
  PlanOptions,
  RetryPolicy,
  Timeouts,
} from './options.js';
export { OPTIONS_INVALID_CODE } from './options-schema.js';
export {
  CLUSTER_LABEL,
  createOwner,
  isOwnedBy,
  MANAGED_LABEL,
  OWNER_INVALID_CODE,
  type Owner,
} from './owner.js';
export { hasChanges, plan } from './plan.js';
export {
  PLAN_FORMAT_VERSION,
  type PlanDocument,
  type PlanStep,
  type PlanSummary,
  type StepAction,
} from './plan-document.js';
export {
  isInvalidPlanError,
  isStalePlanError,
  PLAN_INVALID_CODE,
  PLAN_STALE_CODE,
  PlanError,
} from './plan-error.js';
export type { Plan } from './plan-internals.js';
export type { ActualResource, PreflightResult, Provider } from './provider.js';
export {
  isProviderError,
  PROVIDER_ERROR_CODE,
  ProviderError,
  type ProviderErrorOptions,
  type ProviderErrorReason,
  type ProviderOperation,
} from './provider-error.js';
export { deterministicRequestId } from './request-id.js';
export { type Resource, type ResourceRef, resourceId } from './resource.js';
export type {
  OperationContext,
  OwnershipProof,
  ProviderContext,
  ReplaceStrategy,
  ResourceState,
  ResourceType,
} from './resource-type.js';
export type { RunResult } from './run-plan.js';
export {
  checkVersionStep,
  VERSION_DOWNGRADE_CODE,
  VERSION_SKIP_CODE,
  type VersionStep,
} from './version-step.js';
