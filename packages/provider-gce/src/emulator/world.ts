import { createHash } from 'node:crypto';
import { notFound } from './errors.js';
import { cloneJson, type JsonObject } from './json.js';
import { Prng } from './prng.js';
import type { PendingOperation, WorldSnapshot } from './state.js';

/**
 * The emulator's world: every resource by path, private per-resource facts, running operations
 * and request ids. Handlers read and write it; the operation engine and the MIG controller
 * move it forward in time.
 */
export class World {
  readonly resources = new Map<string, JsonObject>();
  readonly meta = new Map<string, JsonObject>();
  pending: PendingOperation[] = [];
  readonly requestIds = new Map<string, string>();
  readonly prng: Prng;
  externalIpCounter: number;
  /** Called after every change, so the server can save the world. */
  onChange: () => void = () => {};

  constructor(seed: number, snapshot?: WorldSnapshot) {
    this.prng = new Prng(snapshot?.prngState ?? seed);
    this.externalIpCounter = snapshot?.externalIpCounter ?? 0;
    if (snapshot) {
      for (const [k, v] of Object.entries(snapshot.resources)) this.resources.set(k, v);
      for (const [k, v] of Object.entries(snapshot.meta)) this.meta.set(k, v);
      for (const [k, v] of Object.entries(snapshot.requestIds)) this.requestIds.set(k, v);
      this.pending = [...snapshot.pending];
    }
  }

  /** Forgets everything: an empty world, drawing from `seed` again. */
  reset(seed: number): void {
    this.resources.clear();
    this.meta.clear();
    this.requestIds.clear();
    this.pending = [];
    this.externalIpCounter = 0;
    this.prng.reseed(seed);
    this.onChange();
  }

  /** The resource at `path`, or `undefined`. */
  get(path: string): JsonObject | undefined {
    return this.resources.get(path);
  }

  /** The resource at `path`, or a 404 `notFound` error. */
  require(path: string): JsonObject {
    const found = this.resources.get(path);
    if (!found) throw notFound(path);
    return found;
  }

  /** Stores a resource (replacing any at the same path). */
  put(path: string, value: JsonObject): void {
    this.resources.set(path, value);
    this.onChange();
  }

  /** Merges fields into a stored resource; a missing resource is left missing. */
  merge(path: string, fields: JsonObject): void {
    const current = this.resources.get(path);
    if (!current) return;
    this.resources.set(path, { ...current, ...cloneJson(fields) });
    this.onChange();
  }

  /** Removes a resource and its private facts. */
  remove(path: string): void {
    this.resources.delete(path);
    this.meta.delete(path);
    this.onChange();
  }

  /** Resources directly inside a collection path (`projects/p/global/networks`), in order. */
  list(collectionPath: string): JsonObject[] {
    const prefix = `${collectionPath}/`;
    const out: JsonObject[] = [];
    for (const [path, value] of this.resources) {
      if (path.startsWith(prefix) && !path.slice(prefix.length).includes('/')) out.push(value);
    }
    return out;
  }

  /** Paths and values of every resource whose path matches `pattern`. */
  find(pattern: RegExp): Array<[string, JsonObject]> {
    const out: Array<[string, JsonObject]> = [];
    for (const entry of this.resources) if (pattern.test(entry[0])) out.push(entry);
    return out;
  }

  /** Private facts about a resource (never returned by the API). */
  metaOf(path: string): JsonObject {
    return this.meta.get(path) ?? {};
  }

  /** Replaces the private facts about a resource. */
  setMeta(path: string, value: JsonObject): void {
    this.meta.set(path, value);
    this.onChange();
  }

  /** A fresh GCE-style numeric id. */
  newId(): string {
    return this.prng.id();
  }

  /** The current time as GCE prints it (RFC 3339 with milliseconds and an offset). */
  timestamp(at = Date.now()): string {
    return new Date(at).toISOString().replace('Z', '-00:00');
  }

  /** The next address from a public-looking range for ephemeral and static external IPs. */
  nextExternalIp(): string {
    const n = this.externalIpCounter++;
    return `34.${100 + Math.floor(n / 65536)}.${Math.floor(n / 256) % 256}.${(n % 254) + 1}`;
  }

  /** Everything, for the state file. */
  snapshot(): WorldSnapshot {
    return {
      version: 1,
      resources: Object.fromEntries(this.resources),
      meta: Object.fromEntries(this.meta),
      pending: this.pending,
      requestIds: Object.fromEntries(this.requestIds),
      prngState: this.prng.state,
      externalIpCounter: this.externalIpCounter,
    };
  }
}

/**
 * A fingerprint of a value, in GCE's format (8 bytes, base64). GCE's fingerprints are opaque;
 * hashing the content makes ours change exactly when the content does.
 */
export function fingerprintOf(value: JsonObject): string {
  if (Object.keys(value).length === 0) return '42WmSpB8rSM=';
  return createHash('sha256')
    .update(JSON.stringify(value))
    .digest()
    .subarray(0, 8)
    .toString('base64');
}
