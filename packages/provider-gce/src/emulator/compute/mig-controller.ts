import type { Emulation } from '../context.js';
import { isGceApiError } from '../errors.js';
import {
  cloneJson,
  isJsonObject,
  type Json,
  type JsonObject,
  numberField,
  objectField,
  stringField,
} from '../json.js';
import type { OperationError } from '../operations.js';
import { refToPath, selfLinkOf } from '../paths.js';
import { applyAutoscalers } from './autoscaler-model.js';
import { buildInstance, instanceDeletion, storeInstance } from './instance-factory.js';
import {
  currentTemplate,
  fixedOrPercent,
  isStateful,
  type Member,
  MIG_PATH,
  membersOf,
  migZones,
  perInstanceConfigs,
  policyDisks,
  policyKeepsIps,
} from './mig-model.js';

/**
 * What GCE's instance group manager does in the background, run after every request and every
 * finished operation:
 *
 * 1. autoscalers set their MIG's target size;
 * 2. a `PROACTIVE` update replaces members made from an old template, a step at a time
 *    (`maxSurge` for `SUBSTITUTE`, `maxUnavailable` for `RECREATE`), waiting until no member is
 *    starting or stopping before the next step;
 * 3. members are created or deleted to reach the target size, spread evenly over the zones.
 *    Names come first from per-instance configs and remembered identities (stateful members and
 *    `recreateInstances` keep their name, zone, internal IP and preserved disks), then are new
 *    (`<baseInstanceName>-xxxx`).
 *
 * Each member creation and deletion is a zonal operation started by the MIG, as in GCE.
 */

/** The account GCE shows as the `user` of operations a MIG starts. */
const MIG_USER = 'hakoc-emulator@cloudservices.gserviceaccount.com';
const NAME_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';
/** A MIG never creates more than this many members in one pass, like GCE's batching. */
const MAX_CREATES_PER_PASS = 100;

function inTransition(member: Member): boolean {
  return ['PROVISIONING', 'STAGING', 'STOPPING'].includes(String(member.instance.status));
}

function identitiesOf(env: Emulation, migPath: string): JsonObject {
  return objectField(env.world.metaOf(migPath), 'identities');
}

function setIdentities(env: Emulation, migPath: string, identities: JsonObject): void {
  env.world.setMeta(migPath, { ...env.world.metaOf(migPath), identities });
}

function recordError(env: Emulation, migPath: string, name: string, error: OperationError): void {
  const meta = env.world.metaOf(migPath);
  const errors = Array.isArray(meta.errors) ? meta.errors.slice(-49) : [];
  errors.push({
    error: { code: error.code, message: error.message },
    instanceActionDetails: { action: 'CREATING', instance: name },
    timestamp: env.world.timestamp(),
  });
  env.world.setMeta(migPath, { ...meta, errors });
}

/** Deletes a member; `forget` drops its identity (scale-in) instead of keeping it for re-creation. */
export function deleteMember(
  env: Emulation,
  migPath: string,
  member: Member,
  forget: boolean,
): void {
  const identities = identitiesOf(env, migPath);
  const identity = objectField(identities, member.name);
  const keep = new Set(
    Object.values(objectField(identity, 'disks')).filter((d): d is string => typeof d === 'string'),
  );
  const plan = instanceDeletion(env.world, member.path, member.instance, keep);
  plan.apply();
  if (forget) {
    const { [member.name]: _dropped, ...rest } = identities;
    setIdentities(env, migPath, rest);
  }
  env.operations.start({
    project: migPath.split('/')[1] ?? '',
    scope: { kind: 'zone', name: member.zone },
    operationType: 'delete',
    targetPath: member.path,
    latencyKey: 'instances.delete',
    effects: plan.effects,
    user: MIG_USER,
  });
}

function preservedDisksOf(config: JsonObject | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  const disks = objectField(objectField(config ?? {}, 'preservedState'), 'disks');
  for (const [device, disk] of Object.entries(disks)) {
    const source = isJsonObject(disk) ? stringField(disk, 'source') : undefined;
    if (source) out[device] = source;
  }
  return out;
}

function preservedIpOf(config: JsonObject | undefined): string | undefined {
  const ips = objectField(objectField(config ?? {}, 'preservedState'), 'internalIPs');
  const nic0 = ips.nic0;
  return isJsonObject(nic0) ? stringField(objectField(nic0, 'ipAddress'), 'literal') : undefined;
}

/** A stateful config's metadata (a string map in GCE), which GCE sets on the member it creates. */
function preservedMetadataOf(config: JsonObject | undefined): Record<string, string> {
  const metadata = objectField(objectField(config ?? {}, 'preservedState'), 'metadata');
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(metadata)) {
    if (typeof value === 'string') out[key] = value;
  }
  return out;
}

function zoneOfDisk(ref: string): string | undefined {
  return /\/zones\/([^/]+)\/disks\//.exec(ref)?.[1];
}

function createMember(
  env: Emulation,
  migPath: string,
  mig: JsonObject,
  name: string,
  zone: string,
  config: JsonObject | undefined,
): boolean {
  const world = env.world;
  const [, project = '', , region = ''] = migPath.split('/');
  const templatePath = currentTemplate(mig, project);
  const template = templatePath ? world.get(templatePath) : undefined;
  if (!templatePath || !template) return false;
  const identities = identitiesOf(env, migPath);
  const identity = objectField(identities, name);
  const stateful = isStateful(world, migPath, mig);
  const preservedDisks: Record<string, string> = {};
  for (const [device, disk] of Object.entries({
    ...objectField(identity, 'disks'),
    ...preservedDisksOf(config),
  })) {
    const diskPath = refToPath(String(disk), project);
    if (world.get(diskPath)) preservedDisks[device] = diskPath;
  }
  const networkIP = preservedIpOf(config) ?? stringField(identity, 'networkIP');
  let built: ReturnType<typeof buildInstance>;
  try {
    built = buildInstance(
      world,
      {
        project,
        zone,
        name,
        properties: cloneJson(objectField(template, 'properties')),
        ...(networkIP ? { networkIP } : {}),
        preservedDisks,
        extraMetadata: {
          ...preservedMetadataOf(config),
          'created-by': selfLinkOf(migPath),
          'instance-template': selfLinkOf(templatePath),
        },
      },
      region,
    );
  } catch (error) {
    if (!isGceApiError(error)) throw error;
    recordError(env, migPath, name, { code: error.reason, message: error.message });
    return false;
  }
  const quotas = env.quotas;
  const quotaError =
    quotas.checkRegion(world, project, region, 'CPUS', built.usage.cpus) ??
    quotas.checkRegion(world, project, region, 'INSTANCES', 1) ??
    quotas.checkRegion(world, project, region, 'IN_USE_ADDRESSES', built.usage.externalIps) ??
    quotas.checkRegion(
      world,
      project,
      region,
      'DISKS_TOTAL_GB',
      built.usage.diskGb.DISKS_TOTAL_GB,
    ) ??
    quotas.checkRegion(world, project, region, 'SSD_TOTAL_GB', built.usage.diskGb.SSD_TOTAL_GB);
  if (quotaError) {
    recordError(env, migPath, name, quotaError);
    return false;
  }
  storeInstance(world, built);
  world.setMeta(built.path, { mig: migPath, template: templatePath });
  const keepDevices = new Set([...policyDisks(mig), ...Object.keys(preservedDisksOf(config))]);
  const keepIp = policyKeepsIps(mig) || preservedIpOf(config) !== undefined;
  if (stateful) {
    const disks: JsonObject = {};
    for (const attached of (built.instance.disks as Json[]).filter(isJsonObject)) {
      const device = stringField(attached, 'deviceName') ?? '';
      if (keepDevices.has(device)) {
        disks[device] = refToPath(stringField(attached, 'source') ?? '', project);
        attached.autoDelete = false;
      }
    }
    const nic0 = (built.instance.networkInterfaces as Json[]).find(isJsonObject);
    const kept: JsonObject = { zone, disks };
    if (keepIp && nic0) kept.networkIP = stringField(nic0, 'networkIP') ?? '';
    setIdentities(env, migPath, { ...identitiesOf(env, migPath), [name]: kept });
  } else if (identities[name]) {
    const { [name]: _used, ...rest } = identities;
    setIdentities(env, migPath, rest);
  }
  env.operations.start({
    project,
    scope: { kind: 'zone', name: zone },
    operationType: 'insert',
    targetPath: built.path,
    latencyKey: 'instances.insert',
    effects: built.effects,
    user: MIG_USER,
  });
  return true;
}

function newName(env: Emulation, base: string, taken: Set<string>): string {
  for (let attempt = 0; attempt < 1000; attempt++) {
    const name = `${base}-${env.world.prng.chars(NAME_ALPHABET, 4)}`;
    if (!taken.has(name)) return name;
  }
  throw new Error(`no free instance name for ${base}`);
}

function leastLoadedZone(zones: readonly string[], members: readonly Member[]): string {
  let best = zones[0] ?? '';
  let bestCount = Number.POSITIVE_INFINITY;
  for (const zone of zones) {
    const count = members.filter((m) => m.zone === zone).length;
    if (count < bestCount) {
      best = zone;
      bestCount = count;
    }
  }
  return best;
}

function rollingUpdate(
  env: Emulation,
  migPath: string,
  mig: JsonObject,
  members: Member[],
  template: string,
): Set<string> {
  const replaced = new Set<string>();
  const policy = objectField(mig, 'updatePolicy');
  if ((stringField(policy, 'type') ?? 'PROACTIVE') !== 'PROACTIVE') return replaced;
  if (members.some(inTransition)) return replaced;
  const outdated = members.filter((m) => m.template !== template);
  if (outdated.length === 0) return replaced;
  const zones = Math.max(1, migZones(mig).length);
  const target = numberField(mig, 'targetSize') ?? 0;
  const recreate = stringField(policy, 'replacementMethod') === 'RECREATE';
  const step = Math.max(
    1,
    fixedOrPercent(objectField(policy, recreate ? 'maxUnavailable' : 'maxSurge'), target, zones),
  );
  for (const member of outdated.slice(0, step)) {
    const identities = identitiesOf(env, migPath);
    // RECREATE keeps the member's name (and, for stateful groups, its zone, IP and disks).
    if (recreate && !identities[member.name]) {
      setIdentities(env, migPath, {
        ...identities,
        [member.name]: { zone: member.zone, disks: {} },
      });
    }
    deleteMember(env, migPath, member, !recreate);
    replaced.add(member.path);
  }
  return replaced;
}

function reconcileMig(env: Emulation, migPath: string, mig: JsonObject): void {
  const world = env.world;
  if (world.metaOf(migPath).deleting === true) return;
  const project = migPath.split('/')[1] ?? '';
  const template = currentTemplate(mig, project) ?? '';
  const zones = migZones(mig);
  const replaced = rollingUpdate(env, migPath, mig, membersOf(world, migPath, mig), template);
  let members = membersOf(world, migPath, mig);
  const active = members.filter((m) => m.instance.status !== 'STOPPING' && !replaced.has(m.path));
  const target = numberField(mig, 'targetSize') ?? 0;
  const configs = perInstanceConfigs(world, migPath);
  const present = new Set(members.map((m) => m.name));
  const identities = identitiesOf(env, migPath);
  // A member that keeps its name and is still stopping holds its slot until it can come back.
  const returning = members.filter(
    (m) =>
      m.instance.status === 'STOPPING' && (configs.has(m.name) || identities[m.name] !== undefined),
  ).length;
  if (active.length + returning < target) {
    const wanted = [...new Set([...configs.keys(), ...Object.keys(identities)])].filter(
      (n) => !present.has(n),
    );
    const taken = new Set([...present, ...configs.keys(), ...Object.keys(identities)]);
    let deficit = Math.min(target - active.length - returning, MAX_CREATES_PER_PASS);
    let attempts = 0;
    while (deficit > 0 && attempts++ < MAX_CREATES_PER_PASS) {
      const name = wanted.shift() ?? newName(env, String(mig.baseInstanceName ?? mig.name), taken);
      taken.add(name);
      const identity = objectField(identities, name);
      const config = configs.get(name);
      const diskZone = Object.values(preservedDisksOf(config))
        .map(zoneOfDisk)
        .find((z) => z !== undefined);
      const zone =
        stringField(identity, 'zone') ??
        diskZone ??
        leastLoadedZone(
          zones,
          members.filter((m) => m.instance.status !== 'STOPPING'),
        );
      if (createMember(env, migPath, mig, name, zone, config)) {
        members = membersOf(world, migPath, mig);
      }
      deficit--;
    }
  } else if (active.length > target) {
    const surplus = [...active].sort((a, b) => {
      const outdated = Number(b.template !== template) - Number(a.template !== template);
      if (outdated !== 0) return outdated;
      const configured = Number(configs.has(a.name)) - Number(configs.has(b.name));
      return configured !== 0 ? configured : b.name.localeCompare(a.name);
    });
    for (const member of surplus.slice(0, active.length - target))
      deleteMember(env, migPath, member, true);
    members = membersOf(world, migPath, mig);
  }
  writeStatus(env, migPath, template, members, configs);
}

function writeStatus(
  env: Emulation,
  migPath: string,
  template: string,
  members: readonly Member[],
  configs: ReadonlyMap<string, JsonObject>,
): void {
  const world = env.world;
  const mig = world.get(migPath);
  if (!mig) return;
  const count = (status: string): number =>
    members.filter((m) => m.instance.status === status).length;
  const creating = count('PROVISIONING') + count('STAGING');
  const deleting = count('STOPPING');
  const running = members.filter((m) => m.instance.status === 'RUNNING');
  const target = numberField(mig, 'targetSize') ?? 0;
  const versionReached = members.every((m) => m.template === template);
  for (const [name, config] of configs) {
    const effective = running.some((m) => m.name === name);
    const status = effective ? 'EFFECTIVE' : 'APPLYING';
    if (config.status !== status) {
      world.resources.set(`${migPath}/perInstanceConfigs/${name}`, { ...config, status });
    }
  }
  const autoscaler = world
    .list(migPath.replace(/instanceGroupManagers\/[^/]+$/, 'autoscalers'))
    .find((a) => refToPath(String(a.target ?? ''), migPath.split('/')[1] ?? '') === migPath);
  const status: JsonObject = {
    isStable: creating === 0 && deleting === 0 && running.length === target && versionReached,
    versionTarget: { isReached: versionReached },
    stateful: {
      hasStatefulConfig: isStateful(world, migPath, mig),
      perInstanceConfigs: {
        allEffective: [...configs.keys()].every((n) => running.some((m) => m.name === n)),
      },
    },
    allInstancesConfig: { effective: true },
  };
  if (autoscaler) status.autoscaler = String(autoscaler.selfLink);
  world.resources.set(migPath, {
    ...mig,
    status,
    currentActions: {
      abandoning: 0,
      creating,
      creatingWithoutRetries: 0,
      deleting,
      none: running.length,
      recreating: 0,
      refreshing: 0,
      restarting: 0,
      resuming: 0,
      starting: 0,
      stopping: 0,
      suspending: 0,
      verifying: 0,
    },
  });
}

/** One pass of every autoscaler and every MIG in the world. */
export function reconcileGroups(env: Emulation): void {
  applyAutoscalers(env);
  for (const [path, mig] of env.world.find(MIG_PATH)) reconcileMig(env, path, mig);
}
