import { arrayField, isJsonObject, type JsonObject, objectField, stringField } from '../json.js';
import { nameOf, refToPath } from '../paths.js';
import type { World } from '../world.js';

/**
 * How the emulator reads a regional managed instance group (MIG) and its members. Membership
 * and each member's template live in emulator-private meta (GCE shows them through
 * `listManagedInstances`, never on the instance itself besides its metadata).
 */

/** Matches the path of every regional MIG. */
export const MIG_PATH = /^projects\/[^/]+\/regions\/[^/]+\/instanceGroupManagers\/[^/]+$/;

/** A member instance: its path, its resource and the template it was made from. */
export interface Member {
  readonly path: string;
  readonly name: string;
  readonly zone: string;
  readonly instance: JsonObject;
  readonly template: string;
}

/** The template path a MIG is on (first version wins, as GCE's single-version groups). */
export function currentTemplate(mig: JsonObject, project: string): string | undefined {
  const version = arrayField(mig, 'versions').find(isJsonObject);
  const ref =
    (version && stringField(version, 'instanceTemplate')) ?? stringField(mig, 'instanceTemplate');
  return ref ? refToPath(ref, project) : undefined;
}

/** Zone names the MIG spreads over. */
export function migZones(mig: JsonObject): string[] {
  return arrayField(objectField(mig, 'distributionPolicy'), 'zones')
    .filter(isJsonObject)
    .map((z) => nameOf(stringField(z, 'zone') ?? ''))
    .filter((z) => z !== '');
}

/** Every instance the MIG owns, including those starting or stopping. */
export function membersOf(world: World, migPath: string, mig: JsonObject): Member[] {
  const project = migPath.split('/')[1] ?? '';
  return migZones(mig).flatMap((zone) =>
    world
      .list(`projects/${project}/zones/${zone}/instances`)
      .map((instance) => {
        const path = `projects/${project}/zones/${zone}/instances/${String(instance.name)}`;
        const meta = world.metaOf(path);
        return { path, instance, meta };
      })
      .filter(({ meta }) => meta.mig === migPath)
      .map(({ path, instance, meta }) => ({
        path,
        name: String(instance.name),
        zone,
        instance,
        template: String(meta.template ?? ''),
      })),
  );
}

/** Per-instance configs of a MIG, by instance name. */
export function perInstanceConfigs(world: World, migPath: string): Map<string, JsonObject> {
  return new Map(
    world.list(`${migPath}/perInstanceConfigs`).map((config) => [String(config.name), config]),
  );
}

/** Device names of disks the stateful policy preserves for every member. */
export function policyDisks(mig: JsonObject): string[] {
  return Object.keys(
    objectField(objectField(objectField(mig, 'statefulPolicy'), 'preservedState'), 'disks'),
  );
}

/** True when the policy keeps members' internal IPs. */
export function policyKeepsIps(mig: JsonObject): boolean {
  const state = objectField(objectField(mig, 'statefulPolicy'), 'preservedState');
  return Object.keys(objectField(state, 'internalIPs')).length > 0;
}

/** True when the MIG is stateful: a stateful policy or any per-instance config. */
export function isStateful(world: World, migPath: string, mig: JsonObject): boolean {
  return (
    policyDisks(mig).length > 0 ||
    policyKeepsIps(mig) ||
    world.list(`${migPath}/perInstanceConfigs`).length > 0
  );
}

/** The regional instance-group path that mirrors a MIG (what backend services reference). */
export function instanceGroupPathOf(migPath: string): string {
  return migPath.replace('/instanceGroupManagers/', '/instanceGroups/');
}

/** A fixed-or-percent value (`maxSurge`, `maxUnavailable`) resolved against a size. */
export function fixedOrPercent(value: JsonObject, size: number, fallback: number): number {
  if (typeof value.fixed === 'number') return value.fixed;
  if (typeof value.percent === 'number') return Math.ceil((size * value.percent) / 100);
  return fallback;
}
