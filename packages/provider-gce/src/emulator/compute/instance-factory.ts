import { machineType } from '../catalog.js';
import { alreadyExists, inUse, invalidField, notFound, requiredField } from '../errors.js';
import { allocateInternalIp, ipTaken } from '../ipam.js';
import {
  arrayField,
  cloneJson,
  isJsonObject,
  type Json,
  type JsonObject,
  numberField,
  objectField,
  stringField,
} from '../json.js';
import { nameOf, refToPath, selfLinkOf } from '../paths.js';
import { type DiskQuotaMetric, diskQuotaMetric } from '../quotas.js';
import type { Effect } from '../state.js';
import { fingerprintOf, type World } from '../world.js';

/**
 * Builds an instance and its disks from instance properties, the way GCE does for
 * `instances.insert` and for a MIG creating a member from its template: boot and data disks are
 * created (or existing ones attached), NICs get an internal IP from their subnetwork and an
 * ephemeral external IP when they ask for one.
 */

/** What a new instance is made from. */
export interface InstanceRecipe {
  readonly project: string;
  readonly zone: string;
  readonly name: string;
  /** `Instance` fields (from a request) or `InstanceProperties` (from a template). */
  readonly properties: JsonObject;
  /** A fixed internal IP for nic0 (stateful members keep theirs). */
  readonly networkIP?: string;
  /** Existing disks to attach by device name instead of creating them (stateful disks). */
  readonly preservedDisks?: Readonly<Record<string, string>>;
  /**
   * Metadata items laid over the properties' own, replacing an item with the same key: what GCE
   * adds for a MIG member (`created-by`, `instance-template`, a stateful config's metadata).
   */
  readonly extraMetadata?: Readonly<Record<string, string>>;
}

/** The instance and disks to store, and what finishing its operation changes. */
export interface BuiltInstance {
  readonly path: string;
  readonly instance: JsonObject;
  readonly disks: ReadonlyArray<readonly [string, JsonObject]>;
  /** CPUs, ephemeral external IPs and new disk GB by disk quota metric, for quota checks. */
  readonly usage: {
    readonly cpus: number;
    readonly externalIps: number;
    readonly diskGb: Readonly<Record<DiskQuotaMetric, number>>;
  };
  readonly effects: Effect[];
}

function machineTypeUrl(project: string, zone: string, ref: string): string {
  const name = nameOf(ref);
  if (!machineType(name)) {
    throw invalidField(
      'resource.machineType',
      ref,
      `Machine type with name '${name}' does not exist in zone '${zone}'.`,
    );
  }
  return selfLinkOf(`projects/${project}/zones/${zone}/machineTypes/${name}`);
}

function diskTypeUrl(project: string, zone: string, ref: string | undefined): string {
  return selfLinkOf(`projects/${project}/zones/${zone}/diskTypes/${nameOf(ref ?? 'pd-standard')}`);
}

function buildNic(
  world: World,
  recipe: InstanceRecipe,
  region: string,
  nic: JsonObject,
  index: number,
): { nic: JsonObject; externalIps: number } {
  const { project } = recipe;
  let subnetRef = stringField(nic, 'subnetwork');
  let networkPath = refToPath(stringField(nic, 'network') ?? 'global/networks/default', project);
  if (subnetRef) {
    const subnetPath = refToPath(subnetRef, project);
    const subnet = world.get(subnetPath);
    if (!subnet) throw notFound(subnetPath);
    networkPath = refToPath(stringField(subnet, 'network') ?? '', project);
    subnetRef = subnetPath;
  } else {
    if (!world.get(networkPath)) throw notFound(networkPath);
    const found = world
      .list(`projects/${project}/regions/${region}/subnetworks`)
      .find((s) => refToPath(stringField(s, 'network') ?? '', project) === networkPath);
    if (!found) {
      throw invalidField(
        `resource.networkInterfaces[${index}].subnetwork`,
        '',
        `Subnetwork should be specified for custom subnetmode network in region ${region}.`,
      );
    }
    subnetRef = refToPath(stringField(found, 'selfLink') ?? '', project);
  }
  const requestedIp =
    index === 0
      ? (recipe.networkIP ?? stringField(nic, 'networkIP'))
      : stringField(nic, 'networkIP');
  if (requestedIp && recipe.networkIP === undefined && ipTaken(world, project, requestedIp)) {
    throw invalidField(
      `resource.networkInterfaces[${index}].networkIP`,
      requestedIp,
      'IP address is already in use.',
    );
  }
  const networkIP = requestedIp ?? allocateInternalIp(world, project, subnetRef);
  const accessConfigs = arrayField(nic, 'accessConfigs')
    .filter(isJsonObject)
    .map((config) => ({
      kind: 'compute#accessConfig',
      type: stringField(config, 'type') ?? 'ONE_TO_ONE_NAT',
      name: stringField(config, 'name') ?? 'External NAT',
      natIP: stringField(config, 'natIP') ?? world.nextExternalIp(),
      networkTier: stringField(config, 'networkTier') ?? 'PREMIUM',
    }));
  const built: JsonObject = {
    ...cloneJson(nic),
    kind: 'compute#networkInterface',
    name: `nic${index}`,
    network: selfLinkOf(networkPath),
    subnetwork: selfLinkOf(subnetRef),
    networkIP,
    stackType: stringField(nic, 'stackType') ?? 'IPV4_ONLY',
  };
  if (accessConfigs.length > 0) built.accessConfigs = accessConfigs;
  built.fingerprint = fingerprintOf(built);
  return { nic: built, externalIps: accessConfigs.length };
}

/**
 * Builds a new instance. Throws API errors for a taken name, unknown references or a disk
 * attached elsewhere; does not store anything.
 */
export function buildInstance(world: World, recipe: InstanceRecipe, region: string): BuiltInstance {
  const { project, zone, name, properties } = recipe;
  const path = `projects/${project}/zones/${zone}/instances/${name}`;
  if (world.get(path)) throw alreadyExists(path);
  const machineTypeRef = stringField(properties, 'machineType');
  if (!machineTypeRef) throw requiredField('resource.machineType');
  const selfLink = selfLinkOf(path);
  const disks: Array<readonly [string, JsonObject]> = [];
  const attached: JsonObject[] = [];
  const diskGb: Record<DiskQuotaMetric, number> = { DISKS_TOTAL_GB: 0, SSD_TOTAL_GB: 0 };
  const diskSpecs = arrayField(properties, 'disks').filter(isJsonObject);
  if (diskSpecs.length === 0) throw requiredField('resource.disks');
  // A stateful config may bring disks the template does not name: GCE attaches them as well.
  const named = new Set(diskSpecs.map((spec) => stringField(spec, 'deviceName')));
  for (const deviceName of Object.keys(recipe.preservedDisks ?? {})) {
    if (!named.has(deviceName)) diskSpecs.push({ boot: false, deviceName, autoDelete: false });
  }
  for (const [index, spec] of diskSpecs.entries()) {
    const boot = spec.boot === true || (index === 0 && spec.boot === undefined);
    const deviceName =
      stringField(spec, 'deviceName') ?? (boot ? 'persistent-disk-0' : `persistent-disk-${index}`);
    const init = objectField(spec, 'initializeParams');
    const preserved = recipe.preservedDisks?.[deviceName];
    const sourceRef = preserved ?? stringField(spec, 'source');
    let diskPath: string;
    let sizeGb: string;
    if (sourceRef) {
      diskPath = refToPath(sourceRef, project);
      const disk = world.get(diskPath);
      if (!disk) throw notFound(diskPath);
      const users = arrayField(disk, 'users');
      if (users.length > 0 && !users.includes(selfLink)) {
        throw inUse(diskPath, String(users[0]));
      }
      sizeGb = String(numberField(disk, 'sizeGb') ?? 10);
      disks.push([
        diskPath,
        { ...disk, users: [selfLink], lastAttachTimestamp: world.timestamp() },
      ]);
    } else {
      const diskName = stringField(init, 'diskName') ?? (boot ? name : `${name}-${deviceName}`);
      diskPath = `projects/${project}/zones/${zone}/disks/${diskName}`;
      if (world.get(diskPath)) throw alreadyExists(diskPath);
      sizeGb = String(numberField(init, 'diskSizeGb') ?? 10);
      diskGb[diskQuotaMetric(stringField(init, 'diskType'))] += Number(sizeGb);
      const disk: JsonObject = {
        kind: 'compute#disk',
        id: world.newId(),
        creationTimestamp: world.timestamp(),
        name: diskName,
        sizeGb,
        zone: selfLinkOf(`projects/${project}/zones/${zone}`),
        status: 'READY',
        selfLink: selfLinkOf(diskPath),
        type: diskTypeUrl(project, zone, stringField(init, 'diskType')),
        users: [selfLink],
        labels: objectField(init, 'labels'),
        physicalBlockSizeBytes: '4096',
        lastAttachTimestamp: world.timestamp(),
      };
      const image = stringField(init, 'sourceImage');
      if (image) disk.sourceImage = image;
      disk.labelFingerprint = fingerprintOf(objectField(disk, 'labels'));
      disks.push([diskPath, disk]);
    }
    attached.push({
      kind: 'compute#attachedDisk',
      type: 'PERSISTENT',
      mode: stringField(spec, 'mode') ?? 'READ_WRITE',
      source: selfLinkOf(diskPath),
      deviceName,
      index,
      boot,
      autoDelete: preserved ? false : spec.autoDelete !== false,
      interface: stringField(spec, 'interface') ?? 'SCSI',
      diskSizeGb: sizeGb,
    });
  }
  let externalIps = 0;
  const nicSpecs = arrayField(properties, 'networkInterfaces').filter(isJsonObject);
  const nics = (nicSpecs.length > 0 ? nicSpecs : [{}]).map((nic, index) => {
    const built = buildNic(world, recipe, region, nic, index);
    externalIps += built.externalIps;
    return built.nic;
  });
  const metadata = objectField(properties, 'metadata');
  const extra = recipe.extraMetadata ?? {};
  const items: Json[] = arrayField(metadata, 'items')
    .filter((item) => isJsonObject(item) && !Object.hasOwn(extra, String(item.key)))
    .map((item) => cloneJson(item));
  for (const [key, value] of Object.entries(extra)) items.push({ key, value });
  const labels = objectField(properties, 'labels');
  const instance: JsonObject = {
    ...cloneJson(properties),
    kind: 'compute#instance',
    id: world.newId(),
    creationTimestamp: world.timestamp(),
    name,
    machineType: machineTypeUrl(project, zone, machineTypeRef),
    status: 'PROVISIONING',
    zone: selfLinkOf(`projects/${project}/zones/${zone}`),
    networkInterfaces: nics,
    disks: attached,
    metadata: { kind: 'compute#metadata', fingerprint: fingerprintOf({ items }), items },
    selfLink,
    labels,
    labelFingerprint: fingerprintOf(labels),
    cpuPlatform: 'Intel Broadwell',
    startRestricted: false,
    deletionProtection: properties.deletionProtection === true,
  };
  // A template's `resourceManagerTags` live under `params` on an instance (the `Instance` message
  // has no such top-level field, and the clients reject a response that carries one).
  const tags = objectField(instance, 'resourceManagerTags');
  delete instance.resourceManagerTags;
  if (Object.keys(tags).length > 0) {
    instance.params = { ...objectField(instance, 'params'), resourceManagerTags: tags };
  }
  instance.fingerprint = fingerprintOf(instance);
  return {
    path,
    instance,
    disks,
    usage: {
      cpus: machineType(nameOf(machineTypeRef))?.guestCpus ?? 0,
      externalIps,
      diskGb,
    },
    effects: [
      { kind: 'merge', path, fields: { status: 'RUNNING', lastStartTimestamp: world.timestamp() } },
    ],
  };
}

/** Stores a built instance and its disks. */
export function storeInstance(world: World, built: BuiltInstance): void {
  for (const [diskPath, disk] of built.disks) world.put(diskPath, disk);
  world.put(built.path, built.instance);
}

/**
 * What deleting an instance does: it shows `STOPPING` at once; when the operation finishes the
 * instance and its auto-delete disks are gone and kept disks are detached.
 */
export function instanceDeletion(
  world: World,
  path: string,
  instance: JsonObject,
  keepDisks: ReadonlySet<string> = new Set(),
): { apply: () => void; effects: Effect[] } {
  const effects: Effect[] = [{ kind: 'delete', path }];
  for (const disk of arrayField(instance, 'disks').filter(isJsonObject)) {
    const source = stringField(disk, 'source');
    if (!source) continue;
    const diskPath = refToPath(source, path.split('/')[1] ?? '');
    if (disk.autoDelete === true && !keepDisks.has(diskPath))
      effects.push({ kind: 'delete', path: diskPath });
    else
      effects.push({
        kind: 'merge',
        path: diskPath,
        fields: { users: [], lastDetachTimestamp: world.timestamp() },
      });
  }
  return { apply: () => world.merge(path, { status: 'STOPPING' }), effects };
}
