import { notFound } from './errors.js';
import { isJsonObject, type Json } from './json.js';
import { nameOf, refToPath } from './paths.js';
import type { World } from './world.js';

/**
 * References between resources: checking that a referenced resource exists, and finding who
 * still uses a resource that is about to be deleted.
 */

/** The stored path of a reference, after checking the resource exists (404 otherwise). */
export function requireRef(world: World, ref: string, project: string): string {
  const path = refToPath(ref, project);
  if (!world.get(path)) throw notFound(path);
  return path;
}

/**
 * Fields that never make a resource a user of what they name. `selfLink` is a resource's own
 * name and `metadata` is opaque user data. `users` and everything under `status` are output-only
 * back-references GCE writes itself (an address lists the forwarding rule holding it, a MIG names
 * the autoscaler that targets it in `status.autoscaler`); real GCE lets the named resource be
 * deleted all the same, and the forward reference (the rule's `IPAddress`, the autoscaler's
 * `target`) is what blocks the other direction.
 */
const NOT_A_USE = new Set(['selfLink', 'metadata', 'users', 'status']);

function mentions(value: Json, target: string, name: string, project: string): boolean {
  if (typeof value === 'string') {
    return value.endsWith(name) && refToPath(value, project) === target;
  }
  if (Array.isArray(value)) return value.some((v) => mentions(v, target, name, project));
  if (isJsonObject(value)) {
    return Object.entries(value).some(
      ([k, v]) => !NOT_A_USE.has(k) && mentions(v, target, name, project),
    );
  }
  return false;
}

/**
 * The path of a resource that references `path` (a MIG using a template, a backend service
 * using a health check, a forwarding rule using a backend service, an instance using a disk…),
 * or `undefined` when nothing does. Operations never count as users.
 */
export function findUser(
  world: World,
  path: string,
  project: string,
  ignore: ReadonlySet<string> = new Set(),
): string | undefined {
  const name = nameOf(path);
  for (const [otherPath, value] of world.resources) {
    if (otherPath === path || otherPath.startsWith(`${path}/`) || ignore.has(otherPath)) continue;
    if (otherPath.includes('/operations/') || !otherPath.startsWith('projects/')) continue;
    if (mentions(value, path, name, project)) return otherPath;
  }
  return undefined;
}
