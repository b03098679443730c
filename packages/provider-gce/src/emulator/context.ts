import type { GuestHooks } from './compute/guest-attributes.js';
import type { JsonObject } from './json.js';
import type { OperationEngine, OperationError, OperationSpec } from './operations.js';
import type { Scope } from './paths.js';
import type { Quotas } from './quotas.js';
import type { World } from './world.js';

/** What a handler answers: an HTTP status and a JSON body (none for 204). */
export interface Reply {
  readonly status: number;
  readonly body: JsonObject | undefined;
}

/** The emulator's shared services, as handlers see them. */
export interface Emulation {
  readonly world: World;
  readonly operations: OperationEngine;
  readonly quotas: Quotas;
  /** How long `operations/…/wait` blocks before answering with a still-running operation. */
  readonly waitTimeoutMs: number;
  /** What tests playing the software on the VMs subscribe to. */
  readonly guests: GuestHooks;
}

/** A compute request after routing and validation. */
export interface ComputeRequest {
  readonly method: string;
  readonly project: string;
  readonly scope: Scope;
  /** Collection, e.g. `instanceGroupManagers`. */
  readonly collection: string;
  /** Resource name, when the path has one. */
  readonly name: string | undefined;
  /** Custom verb after the name (`resize`, `setLabels`, `wait`). */
  readonly verb: string | undefined;
  readonly query: URLSearchParams;
  /** The parsed body; `undefined` for body-less calls (including POSTs sent with `""`). */
  readonly body: JsonObject | undefined;
}

/** A compute request with the emulator behind it. */
export interface HandlerContext extends ComputeRequest {
  readonly env: Emulation;
  /** Set by fault injection: this call's operation must fail. */
  readonly operationFault: boolean;
  /** Set by fault injection: this call's operation takes this long instead (a slow operation). */
  readonly operationDurationMs?: number;
}

/** An operation to start on behalf of the caller; `project` comes from the request. */
export type MutationSpec = Omit<OperationSpec, 'project'> & {
  /** A failure known up front (quota): the operation fails and `apply` never runs. */
  readonly error?: OperationError;
};

/** The operation error fault injection uses. */
export const INJECTED_OPERATION_ERROR: OperationError = {
  code: 'INTERNAL_ERROR',
  message: 'Internal error. Please try again or contact Google Support. (Code: injected)',
  httpStatus: 500,
};

/**
 * Starts the operation for a mutating call. `apply` changes the world now (what GCE shows right
 * after the call returns); `spec.effects` change it when the operation is done. An injected
 * fault or a known error makes the operation fail without changing anything, as GCE does.
 */
export function mutate(ctx: HandlerContext, spec: MutationSpec, apply?: () => void): Reply {
  const error = ctx.operationFault ? INJECTED_OPERATION_ERROR : spec.error;
  if (!error) apply?.();
  const operation = ctx.env.operations.start({
    ...spec,
    project: ctx.project,
    ...(error ? { error } : {}),
    ...(ctx.operationDurationMs === undefined ? {} : { durationMs: ctx.operationDurationMs }),
  });
  return { status: 200, body: operation };
}

/** A 200 reply. */
export function ok(body: JsonObject): Reply {
  return { status: 200, body };
}
