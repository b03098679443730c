import { zonesOf } from '../catalog.js';
import { defineCollection, requireBody, resourcePath } from '../collection.js';
import { type HandlerContext, mutate, ok, type Reply } from '../context.js';
import { badPayload, inUse, invalidField, notFound } from '../errors.js';
import { arrayField, isJsonObject, type JsonObject, objectField, stringField } from '../json.js';
import { paginate } from '../paging.js';
import { nameOf, refToPath, selfLinkOf } from '../paths.js';
import { findUser, requireRef } from '../references.js';
import type { Effect } from '../state.js';
import { fingerprintOf } from '../world.js';
import { instanceDeletion } from './instance-factory.js';
import { deleteMember } from './mig-controller.js';
import {
  instanceGroupPathOf,
  type Member,
  membersOf,
  migZones,
  policyDisks,
  policyKeepsIps,
} from './mig-model.js';

function regionOf(ctx: HandlerContext): string {
  return ctx.scope.kind === 'region' ? ctx.scope.name : '';
}

/**
 * GCE's rules for a regional group's rolling updates: a fixed `maxSurge` or `maxUnavailable`
 * is 0 or at least the number of zones (each zone moves at its own pace), and at least one of
 * the two is above 0 (else no update could ever progress).
 */
function checkRollingLimits(mig: JsonObject): void {
  const zones = migZones(mig).length;
  const update = objectField(mig, 'updatePolicy');
  const fixed = (field: string) => {
    const value = objectField(update, field).fixed;
    return typeof value === 'number' ? value : undefined;
  };
  for (const field of ['maxSurge', 'maxUnavailable']) {
    const value = fixed(field);
    if (value !== undefined && value !== 0 && value < zones) {
      throw invalidField(
        `resource.updatePolicy.${field}.fixed`,
        String(value),
        `Fixed ${field} of a regional managed instance group must be 0 or at least the number of zones (${zones}).`,
      );
    }
  }
  if (fixed('maxSurge') === 0 && fixed('maxUnavailable') === 0) {
    throw invalidField(
      'resource.updatePolicy',
      '0',
      'At least one of maxSurge and maxUnavailable must be greater than 0.',
    );
  }
}

function checkTemplates(ctx: HandlerContext, mig: JsonObject): void {
  const world = ctx.env.world;
  const template = stringField(mig, 'instanceTemplate');
  if (template) mig.instanceTemplate = selfLinkOf(requireRef(world, template, ctx.project));
  const versions = arrayField(mig, 'versions').filter(isJsonObject);
  for (const version of versions) {
    const ref = stringField(version, 'instanceTemplate');
    if (ref) version.instanceTemplate = selfLinkOf(requireRef(world, ref, ctx.project));
  }
  const first = versions[0];
  if (first && stringField(first, 'instanceTemplate')) {
    mig.instanceTemplate = String(first.instanceTemplate);
  } else if (!mig.instanceTemplate) {
    throw invalidField(
      'resource.instanceTemplate',
      '',
      'An instance template or a version is required.',
    );
  } else {
    mig.versions = [{ instanceTemplate: String(mig.instanceTemplate), name: '0' }];
  }
  for (const policy of arrayField(mig, 'autoHealingPolicies').filter(isJsonObject)) {
    const check = stringField(policy, 'healthCheck');
    if (check) policy.healthCheck = selfLinkOf(requireRef(world, check, ctx.project));
  }
  const update = objectField(mig, 'updatePolicy');
  const stateful = policyDisks(mig).length > 0 || policyKeepsIps(mig);
  // GCE's rules for stateful regional groups (see TOOL-NOTES): no redistribution, RECREATE only.
  if (stateful && stringField(update, 'instanceRedistributionType') !== 'NONE') {
    throw invalidField(
      'resource.updatePolicy.instanceRedistributionType',
      stringField(update, 'instanceRedistributionType') ?? 'PROACTIVE',
      'Stateful regional managed instance groups require instance redistribution type NONE.',
    );
  }
  if (stateful && (stringField(update, 'replacementMethod') ?? 'SUBSTITUTE') !== 'RECREATE') {
    throw invalidField(
      'resource.updatePolicy.replacementMethod',
      stringField(update, 'replacementMethod') ?? 'SUBSTITUTE',
      'Stateful managed instance groups require the RECREATE replacement method.',
    );
  }
  checkRollingLimits(mig);
}

function prepare(ctx: HandlerContext, mig: JsonObject, path: string): void {
  const region = regionOf(ctx);
  mig.baseInstanceName = stringField(mig, 'baseInstanceName') ?? String(mig.name);
  mig.targetSize = mig.targetSize ?? 0;
  const policy = objectField(mig, 'distributionPolicy');
  const regionZones = zonesOf(region) ?? [];
  const requested = arrayField(policy, 'zones')
    .filter(isJsonObject)
    .map((z) => nameOf(stringField(z, 'zone') ?? ''));
  for (const zone of requested) {
    if (!regionZones.includes(zone)) {
      throw invalidField(
        'resource.distributionPolicy.zones',
        zone,
        `Zone must be in region ${region}.`,
      );
    }
  }
  // GCE spreads a regional group over three zones of the region unless told otherwise.
  const zones = requested.length > 0 ? requested : regionZones.slice(0, 3);
  mig.distributionPolicy = {
    targetShape: stringField(policy, 'targetShape') ?? 'EVEN',
    zones: zones.map((zone) => ({ zone: selfLinkOf(`projects/${ctx.project}/zones/${zone}`) })),
  };
  const update = objectField(mig, 'updatePolicy');
  mig.updatePolicy = {
    type: 'PROACTIVE',
    minimalAction: 'REPLACE',
    replacementMethod: 'SUBSTITUTE',
    instanceRedistributionType: 'PROACTIVE',
    maxSurge: { fixed: zones.length, calculated: zones.length },
    maxUnavailable: { fixed: zones.length, calculated: zones.length },
    ...update,
  };
  checkTemplates(ctx, mig);
  mig.instanceGroup = selfLinkOf(instanceGroupPathOf(path));
  mig.status = { isStable: mig.targetSize === 0 };
  mig.currentActions = { none: 0, creating: 0, deleting: 0 };
}

function requireMig(ctx: HandlerContext): { path: string; mig: JsonObject } {
  const path = resourcePath(ctx);
  return { path, mig: ctx.env.world.require(path) };
}

function membersNamed(
  ctx: HandlerContext,
  path: string,
  mig: JsonObject,
  refs: readonly string[],
): Member[] {
  const members = membersOf(ctx.env.world, path, mig);
  return refs.map((ref) => {
    const member = members.find(
      (m) => m.path === refToPath(ref, ctx.project) || m.name === nameOf(ref),
    );
    if (!member) throw notFound(refToPath(ref, ctx.project));
    return member;
  });
}

function groupOperation(ctx: HandlerContext, path: string, verb: string, apply: () => void): Reply {
  return mutate(
    ctx,
    {
      scope: ctx.scope,
      operationType: verb,
      targetPath: path,
      latencyKey: `instanceGroupManagers.${verb}`,
    },
    apply,
  );
}

function storeConfigs(ctx: HandlerContext, migPath: string, configs: readonly JsonObject[]): void {
  for (const config of configs) {
    const name = stringField(config, 'name');
    if (!name) throw badPayload("Required field 'name' of a per-instance config is missing.");
    const stored: JsonObject = {
      name,
      preservedState: objectField(config, 'preservedState'),
      status: 'APPLYING',
    };
    stored.fingerprint = fingerprintOf(stored);
    ctx.env.world.put(`${migPath}/perInstanceConfigs/${name}`, stored);
  }
}

const verbs = {
  resize(ctx: HandlerContext): Reply {
    const { path } = requireMig(ctx);
    const size = Number(ctx.query.get('size'));
    if (!Number.isInteger(size) || size < 0 || ctx.query.get('size') === null) {
      throw invalidField('size', String(ctx.query.get('size')), 'Must be a non-negative integer.');
    }
    return groupOperation(ctx, path, 'resize', () =>
      ctx.env.world.merge(path, { targetSize: size }),
    );
  },
  setInstanceTemplate(ctx: HandlerContext): Reply {
    const { path } = requireMig(ctx);
    const ref = stringField(requireBody(ctx), 'instanceTemplate') ?? '';
    const link = selfLinkOf(requireRef(ctx.env.world, ref, ctx.project));
    return groupOperation(ctx, path, 'setInstanceTemplate', () =>
      ctx.env.world.merge(path, {
        instanceTemplate: link,
        versions: [{ instanceTemplate: link, name: '0' }],
      }),
    );
  },
  listManagedInstances(ctx: HandlerContext): Reply {
    const { path, mig } = requireMig(ctx);
    const world = ctx.env.world;
    const actions: Record<string, string> = {
      PROVISIONING: 'CREATING',
      STAGING: 'CREATING',
      STOPPING: 'DELETING',
    };
    const all = membersOf(world, path, mig).map((m) => {
      const managed: JsonObject = {
        instance: String(m.instance.selfLink),
        id: String(m.instance.id),
        name: m.name,
        instanceStatus: String(m.instance.status),
        currentAction: actions[String(m.instance.status)] ?? 'NONE',
        version: { instanceTemplate: selfLinkOf(m.template) },
      };
      const config = world.get(`${path}/perInstanceConfigs/${m.name}`);
      if (config) managed.preservedStateFromConfig = objectField(config, 'preservedState');
      const identity = objectField(objectField(world.metaOf(path), 'identities'), m.name);
      if (Object.keys(objectField(identity, 'disks')).length > 0 || identity.networkIP) {
        const disks: JsonObject = {};
        for (const [device, disk] of Object.entries(objectField(identity, 'disks'))) {
          disks[device] = {
            source: selfLinkOf(String(disk)),
            mode: 'READ_WRITE',
            autoDelete: 'NEVER',
          };
        }
        const fromPolicy: JsonObject = { disks };
        if (typeof identity.networkIP === 'string') {
          fromPolicy.internalIPs = {
            nic0: { autoDelete: 'NEVER', ipAddress: { literal: identity.networkIP } },
          };
        }
        managed.preservedStateFromPolicy = fromPolicy;
      }
      return managed;
    });
    const page = paginate(all, ctx.query);
    const body: JsonObject = { managedInstances: page.items };
    if (page.nextPageToken) body.nextPageToken = page.nextPageToken;
    return ok(body);
  },
  updatePerInstanceConfigs(ctx: HandlerContext): Reply {
    const { path } = requireMig(ctx);
    const configs = arrayField(requireBody(ctx), 'perInstanceConfigs').filter(isJsonObject);
    return groupOperation(ctx, path, 'updatePerInstanceConfigs', () =>
      storeConfigs(ctx, path, configs),
    );
  },
  patchPerInstanceConfigs(ctx: HandlerContext): Reply {
    return verbs.updatePerInstanceConfigs(ctx);
  },
  listPerInstanceConfigs(ctx: HandlerContext): Reply {
    const { path } = requireMig(ctx);
    const page = paginate(ctx.env.world.list(`${path}/perInstanceConfigs`), ctx.query);
    const body: JsonObject = { items: page.items };
    if (page.nextPageToken) body.nextPageToken = page.nextPageToken;
    return ok(body);
  },
  deletePerInstanceConfigs(ctx: HandlerContext): Reply {
    const { path } = requireMig(ctx);
    const names = arrayField(requireBody(ctx), 'names').map(String);
    return groupOperation(ctx, path, 'deletePerInstanceConfigs', () => {
      for (const name of names) ctx.env.world.remove(`${path}/perInstanceConfigs/${name}`);
    });
  },
  deleteInstances(ctx: HandlerContext): Reply {
    const { path, mig } = requireMig(ctx);
    const members = membersNamed(
      ctx,
      path,
      mig,
      arrayField(requireBody(ctx), 'instances').map(String),
    );
    return groupOperation(ctx, path, 'deleteInstances', () => {
      const size = Math.max(0, Number(mig.targetSize ?? 0) - members.length);
      ctx.env.world.merge(path, { targetSize: size });
      for (const member of members) deleteMember(ctx.env, path, member, true);
    });
  },
  recreateInstances(ctx: HandlerContext): Reply {
    const { path, mig } = requireMig(ctx);
    const members = membersNamed(
      ctx,
      path,
      mig,
      arrayField(requireBody(ctx), 'instances').map(String),
    );
    return groupOperation(ctx, path, 'recreateInstances', () => {
      const meta = ctx.env.world.metaOf(path);
      const identities = { ...objectField(meta, 'identities') };
      for (const member of members) {
        identities[member.name] = identities[member.name] ?? { zone: member.zone, disks: {} };
      }
      ctx.env.world.setMeta(path, { ...meta, identities });
      for (const member of members) deleteMember(ctx.env, path, member, false);
    });
  },
  createInstances(ctx: HandlerContext): Reply {
    const { path, mig } = requireMig(ctx);
    const requested = arrayField(requireBody(ctx), 'instances').filter(isJsonObject);
    return groupOperation(ctx, path, 'createInstances', () => {
      const withState = requested.filter(
        (r) => Object.keys(objectField(r, 'preservedState')).length > 0,
      );
      storeConfigs(ctx, path, withState);
      const meta = ctx.env.world.metaOf(path);
      const identities = { ...objectField(meta, 'identities') };
      for (const r of requested) {
        const name = stringField(r, 'name');
        if (name && !identities[name]) identities[name] = { disks: {} };
      }
      ctx.env.world.setMeta(path, { ...meta, identities });
      ctx.env.world.merge(path, { targetSize: Number(mig.targetSize ?? 0) + requested.length });
    });
  },
  listErrors(ctx: HandlerContext): Reply {
    const { path } = requireMig(ctx);
    const errors = ctx.env.world.metaOf(path).errors;
    return ok({ items: Array.isArray(errors) ? errors : [] });
  },
};

function onDelete(ctx: HandlerContext, path: string, mig: JsonObject) {
  const world = ctx.env.world;
  // The MIG names its own instance group in `instanceGroup`; that is not a use.
  const groupUser = findUser(world, instanceGroupPathOf(path), ctx.project, new Set([path]));
  if (groupUser) throw inUse(instanceGroupPathOf(path), groupUser);
  const members = membersOf(world, path, mig);
  const keep = new Set<string>();
  for (const identity of Object.values(objectField(world.metaOf(path), 'identities'))) {
    if (!isJsonObject(identity)) continue;
    for (const disk of Object.values(objectField(identity, 'disks'))) keep.add(String(disk));
  }
  const plans = members.map((m) => instanceDeletion(world, m.path, m.instance, keep));
  const effects: Effect[] = [
    ...plans.flatMap((p) => p.effects),
    ...world.list(`${path}/perInstanceConfigs`).map((c) => ({
      kind: 'delete' as const,
      path: `${path}/perInstanceConfigs/${String(c.name)}`,
    })),
    { kind: 'delete', path },
  ];
  return {
    apply: () => {
      world.setMeta(path, { ...world.metaOf(path), deleting: true });
      for (const plan of plans) plan.apply();
    },
    effects,
  };
}

const standard = defineCollection({
  collection: 'instanceGroupManagers',
  kind: 'compute#instanceGroupManager',
  fingerprint: true,
  prepare,
  afterChange: (ctx, mig) => checkTemplates(ctx, mig),
  onDelete,
  quota: (ctx) =>
    ctx.env.quotas.checkRegion(
      ctx.env.world,
      ctx.project,
      regionOf(ctx),
      'REGIONAL_INSTANCE_GROUP_MANAGERS',
      1,
    ),
});

/**
 * Regional managed instance groups: the standard methods plus resize, setInstanceTemplate,
 * listManagedInstances, per-instance configs (update/patch/list/delete), deleteInstances,
 * recreateInstances, createInstances and listErrors. What the group then does in the background
 * is the MIG controller's job.
 */
export const instanceGroupManagers = { ...standard, verbs };
