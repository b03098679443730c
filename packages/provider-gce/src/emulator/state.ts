import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { JsonObject } from './json.js';

/** A change applied to the world when an operation finishes. Plain data, so it can be saved. */
export type Effect =
  | { readonly kind: 'delete'; readonly path: string }
  | { readonly kind: 'merge'; readonly path: string; readonly fields: JsonObject };

/** An operation still running: when it is due and what it does then. */
export interface PendingOperation {
  /** The operation's own path (`projects/p/zones/z/operations/operation-…`). */
  readonly path: string;
  /** Epoch milliseconds at which it becomes `DONE`. */
  readonly dueAt: number;
  /** Applied in order when it finishes. */
  readonly effects: readonly Effect[];
}

/** Everything the emulator knows, as saved to a state file. */
export interface WorldSnapshot {
  readonly version: 1;
  /** Every resource (compute, operations, DNS) by path. */
  readonly resources: Record<string, JsonObject>;
  /** Emulator-private facts about a resource (a MIG's member identities, CPU load, …). */
  readonly meta: Record<string, JsonObject>;
  readonly pending: readonly PendingOperation[];
  /** `project/requestId` → path of the operation the first request started. */
  readonly requestIds: Record<string, string>;
  /** State of the naming PRNG, so names continue the same sequence after a restart. */
  readonly prngState: number;
  /** Next external IP number to hand out. */
  readonly externalIpCounter: number;
}

/** Reads a saved world, or `undefined` when the file does not exist yet. */
export function loadSnapshot(file: string): WorldSnapshot | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const parsed = JSON.parse(text) as Partial<WorldSnapshot>;
  if (parsed.version !== 1 || typeof parsed.resources !== 'object') {
    throw new Error(`${file} is not a GCE emulator state file (version 1)`);
  }
  return parsed as WorldSnapshot;
}

/**
 * Writes the world atomically: to a temporary file beside the target, then renamed over it, so a
 * crash mid-write never leaves a truncated state file.
 */
export function saveSnapshot(file: string, snapshot: WorldSnapshot): void {
  mkdirSync(dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, JSON.stringify(snapshot), { mode: 0o600 });
  renameSync(temporary, file);
}
