import type { JsonObject } from './json.js';
import { operationLatencyMs } from './latency.js';
import { type Scope, scopePath, selfLinkOf } from './paths.js';
import type { Effect, PendingOperation } from './state.js';
import type { World } from './world.js';

/** An error an operation finishes with (`Operation.error.errors[]`). */
export interface OperationError {
  /** e.g. `QUOTA_EXCEEDED`, `RESOURCE_NOT_FOUND`, `INTERNAL_ERROR`. */
  readonly code: string;
  readonly message: string;
  readonly errorDetails?: readonly JsonObject[];
  /** The HTTP status GCE reports for the failed operation. */
  readonly httpStatus?: number;
}

/** What to start: where, on what, how long, and what happens when it is done. */
export interface OperationSpec {
  readonly project: string;
  /** Global, regional or zonal: decides which operations collection holds it. */
  readonly scope: Scope;
  /** GCE's `operationType`: `insert`, `delete`, `resize`, `compute.instances.repair.recreateInstance`… */
  readonly operationType: string;
  /** Path of the resource it acts on. */
  readonly targetPath: string;
  /** Key in the latency table, e.g. `instances.insert`. */
  readonly latencyKey: string;
  /** How long it takes, in ms, instead of the latency table's time (a slow operation). */
  readonly durationMs?: number;
  /** Changes applied when it finishes (never when it fails). */
  readonly effects?: readonly Effect[];
  /** When set, the operation finishes with this error. */
  readonly error?: OperationError;
  /** The principal shown in `user`. */
  readonly user?: string;
}

/** The account GCE names as the `user` of operations the emulator's clients start. */
export const DEFAULT_OPERATION_USER = 'hakoc-emulator@hakoc-emulator.iam.gserviceaccount.com';

/**
 * Long-running operations: created `RUNNING`, finished `DONE` after their scaled latency, with
 * their effects applied at that moment. One timer, set for the earliest due operation, drives
 * them; every request also settles what is due, so reads never see stale status.
 */
export class OperationEngine {
  readonly #world: World;
  readonly #latencyScale: number;
  readonly #waiters = new Map<string, Set<() => void>>();
  #timer: NodeJS.Timeout | undefined;
  #closed = false;
  /** Runs after operations finish (the MIG controller hooks in here). */
  onSettled: () => void = () => {};

  constructor(world: World, latencyScale: number) {
    this.#world = world;
    this.#latencyScale = latencyScale;
  }

  /** Starts an operation and returns its JSON as the insert/delete call answers it. */
  start(spec: OperationSpec): JsonObject {
    const world = this.#world;
    const now = Date.now();
    const name = `operation-${now}-${world.prng.chars('0123456789abcdef', 13)}-${world.prng.chars('0123456789abcdef', 8)}-${world.prng.chars('0123456789abcdef', 8)}`;
    const path = `${scopePath(spec.project, spec.scope)}/operations/${name}`;
    const target = world.get(spec.targetPath);
    const operation: JsonObject = {
      kind: 'compute#operation',
      id: world.newId(),
      name,
      operationType: spec.operationType,
      targetLink: selfLinkOf(spec.targetPath),
      status: 'RUNNING',
      user: spec.user ?? DEFAULT_OPERATION_USER,
      progress: 0,
      insertTime: world.timestamp(now),
      startTime: world.timestamp(now),
      selfLink: selfLinkOf(path),
    };
    if (typeof target?.id === 'string') operation.targetId = target.id;
    if (spec.scope.kind === 'zone') {
      operation.zone = selfLinkOf(`projects/${spec.project}/zones/${spec.scope.name}`);
    } else if (spec.scope.kind === 'region') {
      operation.region = selfLinkOf(`projects/${spec.project}/regions/${spec.scope.name}`);
    }
    const done: JsonObject = { status: 'DONE', progress: 100 };
    if (spec.error) {
      const error: JsonObject = { code: spec.error.code, message: spec.error.message };
      if (spec.error.errorDetails) error.errorDetails = [...spec.error.errorDetails];
      done.error = { errors: [error] };
      done.httpErrorStatusCode = spec.error.httpStatus ?? 400;
      done.httpErrorMessage = httpReason(spec.error.httpStatus ?? 400);
    }
    world.put(path, operation);
    world.pending.push({
      path,
      dueAt: now + (spec.durationMs ?? operationLatencyMs(spec.latencyKey, this.#latencyScale)),
      effects: [...(spec.error ? [] : (spec.effects ?? [])), { kind: 'merge', path, fields: done }],
    });
    this.#schedule();
    return operation;
  }

  /** Finishes every operation that is due, then lets the controller react. */
  settle(now = Date.now()): void {
    if (this.#closed) return;
    const due = this.#world.pending.filter((p) => p.dueAt <= now).sort((a, b) => a.dueAt - b.dueAt);
    if (due.length > 0) {
      this.#world.pending = this.#world.pending.filter((p) => p.dueAt > now);
      for (const op of due) this.#finish(op);
    }
    this.onSettled();
    this.#schedule();
  }

  #finish(op: PendingOperation): void {
    const world = this.#world;
    for (const effect of op.effects) {
      if (effect.kind === 'delete') world.remove(effect.path);
      else if (effect.path === op.path)
        world.merge(effect.path, { ...effect.fields, endTime: world.timestamp() });
      else world.merge(effect.path, effect.fields);
    }
    const waiters = this.#waiters.get(op.path);
    this.#waiters.delete(op.path);
    for (const wake of waiters ?? []) wake();
  }

  /**
   * Waits for an operation like GCE's `wait`: answers when it is `DONE` or when `timeoutMs`
   * has passed, whichever comes first, with the operation as it then is.
   */
  async wait(path: string, timeoutMs: number): Promise<void> {
    if (this.#world.get(path)?.status === 'DONE' || this.#closed) return;
    await new Promise<void>((resolve) => {
      const waiters = this.#waiters.get(path) ?? new Set<() => void>();
      this.#waiters.set(path, waiters);
      const wake = (): void => {
        clearTimeout(timer);
        waiters.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, timeoutMs);
      waiters.add(wake);
    });
  }

  #schedule(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#closed || this.#world.pending.length === 0) return;
    const next = Math.min(...this.#world.pending.map((p) => p.dueAt));
    // Node caps timers at 2^31-1 ms; a later wake-up simply re-arms.
    const delay = Math.min(Math.max(0, next - Date.now()), 2_147_483_647);
    this.#timer = setTimeout(() => this.settle(), delay);
  }

  /** Drops the timer and releases every pending `wait` (the world forgot their operations). */
  reset(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    for (const waiters of this.#waiters.values()) for (const wake of [...waiters]) wake();
    this.#waiters.clear();
  }

  /** Stops the timer and releases every pending `wait`. */
  close(): void {
    this.#closed = true;
    if (this.#timer) clearTimeout(this.#timer);
    for (const waiters of this.#waiters.values()) for (const wake of [...waiters]) wake();
    this.#waiters.clear();
  }
}

function httpReason(status: number): string {
  switch (status) {
    case 403:
      return 'FORBIDDEN';
    case 404:
      return 'NOT_FOUND';
    case 409:
      return 'CONFLICT';
    case 500:
      return 'INTERNAL_SERVER_ERROR';
    case 503:
      return 'SERVICE_UNAVAILABLE';
    default:
      return 'BAD_REQUEST';
  }
}
