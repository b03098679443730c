import {
  noChange,
  type OperationContext,
  type Owner,
  type Resource,
  type ResourceType,
  replaceFields,
  updateFields,
} from '@hakoc/core';
import { sha256Hex } from '../canonical-json.js';
import type { InstanceGroupManager, PerInstanceConfig } from '../compute-types.js';
import type { GceApi } from '../gce-api.js';
import { gceFailure } from '../gce-errors.js';
import { type GceState, getOrUndefined, ignoreNotFound } from '../gce-resource-type.js';
import { waitUntilGroupSettled } from '../group-settled.js';
import { labelFilter, labelsOfDescription, ownedBy, ownedDescription } from '../ownership.js';
import { requestIdFor } from '../request-id.js';
import { diskRef } from './disk.js';
import {
  DEFAULT_ETCD_LEAVE_POLL_MS,
  DEFAULT_ETCD_LEAVE_TIMEOUT_MS,
  type EtcdLeaveSettings,
  leaveEtcdCluster,
} from './etcd-member-leave.js';
import { globalRef, nameOfRef, siteOf } from './site.js';

/** The resource type of etcd members. */
export const ETCD_MEMBER_TYPE = 'gce.etcdMember';

/** The device name of the etcd data disk, kept across re-creation. */
export const ETCD_DATA_DEVICE = 'etcd-data';

/** The metadata key Ignition reads its config from on GCE. */
export const USER_DATA_KEY = 'user-data';

/**
 * One etcd member: a stateful regional managed instance group of exactly one instance, pinned
 * to the member's zone, whose per-instance config keeps the member's name, internal IP, data
 * disk (a `gce.disk` of its own) and Ignition config. GCE re-creates a deleted or failed member
 * with all four, so etcd sees the same member come back.
 */
export interface EtcdMemberSpec {
  /** The zone the member lives in (its data disk is zonal). */
  readonly zone: string;
  /** Name of the etcd instance template (shared by all members; it holds no secrets). */
  readonly template: string;
  /** The member's fixed internal IP. */
  readonly ip: string;
  /** Name of the member's data disk, in the member's zone, attached as `etcd-data`. */
  readonly disk: string;
  /** The member's own Ignition config (its certificates): secret, per member. */
  readonly userData: string;
}

/** What is read back of a member: the spec, with the config as a hash only. */
export interface EtcdMemberFields {
  /** See {@link EtcdMemberSpec.zone}. */
  readonly zone: string;
  /** See {@link EtcdMemberSpec.template}. */
  readonly template: string;
  /** The IP the per-instance config keeps; `''` when the config is missing. */
  readonly ip: string;
  /** The data disk the per-instance config attaches; `''` when missing. */
  readonly disk: string;
  /**
   * sha256 of the user-data the member's instance has (what it booted with), else of its
   * per-instance config's while the instance is away; `''` when both are missing. A config
   * stored by a roll that stopped before the re-creation so still differs from the spec.
   */
  readonly userDataSha256: string;
}

/** The state of a member. */
export type EtcdMemberState = GceState<EtcdMemberFields>;

// The data disk is not in the template: the per-instance config brings it, already made.
const STATEFUL_POLICY = {
  preservedState: { internalIPs: { nic0: { autoDelete: 'NEVER' } } },
};

// Stateful regional groups must recreate in place and never move members between zones.
const UPDATE_POLICY = {
  type: 'PROACTIVE',
  minimalAction: 'REPLACE',
  replacementMethod: 'RECREATE',
  instanceRedistributionType: 'NONE',
  maxSurge: { fixed: 0 },
  maxUnavailable: { fixed: 1 },
};

function preservedState(project: string, spec: EtcdMemberSpec) {
  return {
    metadata: { [USER_DATA_KEY]: spec.userData },
    internalIPs: { nic0: { autoDelete: 'NEVER', ipAddress: { literal: spec.ip } } },
    disks: {
      [ETCD_DATA_DEVICE]: {
        source: diskRef(project, spec.zone, spec.disk),
        mode: 'READ_WRITE',
        autoDelete: 'NEVER',
      },
    },
  };
}

function stateOf(
  group: InstanceGroupManager,
  config: PerInstanceConfig | undefined,
  owner: Owner,
  booted: string | undefined,
): EtcdMemberState | undefined {
  const labels = labelsOfDescription(group.description);
  if (!ownedBy(labels, owner) || labels['hakoc-role'] !== 'etcd') return undefined;
  const userData = booted ?? config?.preservedState?.metadata?.[USER_DATA_KEY];
  return {
    id: String(group.id ?? group.name ?? ''),
    name: group.name ?? '',
    labels,
    fields: {
      zone: nameOfRef(group.distributionPolicy?.zones?.[0]?.zone),
      template: nameOfRef(group.versions?.[0]?.instanceTemplate ?? group.instanceTemplate),
      ip: config?.preservedState?.internalIPs?.nic0?.ipAddress?.literal ?? '',
      disk: nameOfRef(config?.preservedState?.disks?.[ETCD_DATA_DEVICE]?.source),
      userDataSha256: userData === undefined || userData === null ? '' : sha256Hex(userData),
    },
  };
}

/**
 * etcd members as one stateful group each (see {@link EtcdMemberSpec}). The zone is fixed (a
 * new zone is a new member with a new disk); the template, IP and config change by updating
 * the per-instance config and re-creating the instance in place, keeping its disk. A member
 * deleted by an apply (scaling down, or moving it to another zone) first leaves its etcd
 * cluster from inside it (see `etcd-member-leave.ts`), one member at a time; a destroy, which
 * takes the whole cluster, deletes the groups at once.
 */
export function etcdMemberType(
  api: GceApi,
  leave: EtcdLeaveSettings = {
    timeoutMs: DEFAULT_ETCD_LEAVE_TIMEOUT_MS,
    pollMs: DEFAULT_ETCD_LEAVE_POLL_MS,
  },
): ResourceType<EtcdMemberSpec, EtcdMemberState> {
  const where = { project: api.project, region: api.region };
  // The engine starts the deletes of one plan together; members leave one after another, each
  // deleted before the next is asked, so each one's quorum check sees the cluster as it is.
  let leaving: Promise<unknown> = Promise.resolve();
  const oneAtATime = <T>(work: () => Promise<T>): Promise<T> => {
    const turn = leaving.then(work, work);
    leaving = turn.catch(() => undefined);
    return turn;
  };

  const configOf = async (signal: AbortSignal, group: string) => {
    const [configs] = await api.call(siteOf('list', ETCD_MEMBER_TYPE, group), signal, (c) =>
      c.regionInstanceGroupManagers.listPerInstanceConfigs({
        ...where,
        instanceGroupManager: group,
      }),
    );
    return configs.find((config) => config.name === group);
  };

  // The user-data each etcd instance has now, by instance (= member) name: one call for all.
  const bootedUserData = async (signal: AbortSignal, owner: Owner, name?: string) =>
    api.call(siteOf('list', ETCD_MEMBER_TYPE, name), signal, async (c) => {
      const found = new Map<string, string>();
      const only = name === undefined ? '' : ` AND name = "${name}"`;
      const pages = c.instances.aggregatedListAsync(
        {
          project: api.project,
          filter: `${labelFilter(owner)} AND labels.hakoc-role = "etcd"${only}`,
        },
        { autoPaginate: false },
      );
      for await (const [, scoped] of pages) {
        for (const instance of scoped.instances ?? []) {
          const item = instance.metadata?.items?.find((i) => i.key === USER_DATA_KEY);
          if (instance.name && typeof item?.value === 'string')
            found.set(instance.name, item.value);
        }
      }
      return found;
    });

  const settled = (ctx: OperationContext, name: string, operation: 'create' | 'update') =>
    waitUntilGroupSettled(api, {
      group: name,
      site: siteOf(operation, ETCD_MEMBER_TYPE, name),
      signal: ctx.signal,
      progress: (message) => ctx.progress(message),
    });

  const read = async (ctx: OperationContext, name: string): Promise<EtcdMemberState> => {
    const site = siteOf('create', ETCD_MEMBER_TYPE, name);
    const found = await getOrUndefined(
      api.call(site, ctx.signal, (c) =>
        c.regionInstanceGroupManagers.get({ ...where, instanceGroupManager: name }),
      ),
    );
    // The config and the booted user-data are read side by side: one round trip, not two.
    const [config, booted] =
      found === undefined
        ? []
        : await Promise.all([
            configOf(ctx.signal, name),
            bootedUserData(ctx.signal, ctx.owner, name),
          ]);
    const state =
      found === undefined ? undefined : stateOf(found[0], config, ctx.owner, booted?.get(name));
    if (state === undefined) {
      throw gceFailure(
        `${ETCD_MEMBER_TYPE}/${name} is not there after its insert.`,
        site,
        'not-ready',
      );
    }
    return state;
  };

  const addMember = async (ctx: OperationContext, resource: Resource<EtcdMemberSpec>) => {
    await api.mutate(siteOf('create', ETCD_MEMBER_TYPE, resource.name), ctx.signal, (c) =>
      c.regionInstanceGroupManagers.createInstances({
        ...where,
        instanceGroupManager: resource.name,
        requestId: requestIdFor(ctx, 'createInstances'),
        regionInstanceGroupManagersCreateInstancesRequestResource: {
          instances: [
            { name: resource.name, preservedState: preservedState(api.project, resource.spec) },
          ],
        },
      }),
    );
  };

  return {
    type: ETCD_MEMBER_TYPE,
    async list(ctx, owner) {
      const [groups] = await api.call(siteOf('list', ETCD_MEMBER_TYPE), ctx.signal, (c) =>
        c.regionInstanceGroupManagers.list(where),
      );
      const members = groups.filter((group) => {
        const labels = labelsOfDescription(group.description);
        return ownedBy(labels, owner) && labels['hakoc-role'] === 'etcd';
      });
      const booted = members.length === 0 ? new Map() : await bootedUserData(ctx.signal, owner);
      const states = await Promise.all(
        members.map(async (group) =>
          stateOf(
            group,
            await configOf(ctx.signal, group.name ?? ''),
            owner,
            booted.get(group.name ?? ''),
          ),
        ),
      );
      return states.flatMap((state) => state ?? []);
    },

    async create(ctx, resource) {
      const { name, spec } = resource;
      const site = siteOf('create', ETCD_MEMBER_TYPE, name);
      try {
        await api.mutate(site, ctx.signal, (c) =>
          c.regionInstanceGroupManagers.insert({
            ...where,
            requestId: requestIdFor(ctx, 'insert'),
            instanceGroupManagerResource: {
              name,
              description: ownedDescription(ctx.owner, `etcd member ${name}`, 'etcd'),
              baseInstanceName: name,
              targetSize: 0,
              instanceTemplate: globalRef(api.project, 'instanceTemplates', spec.template),
              distributionPolicy: {
                zones: [{ zone: `projects/${api.project}/zones/${spec.zone}` }],
              },
              statefulPolicy: STATEFUL_POLICY,
              updatePolicy: UPDATE_POLICY,
            },
          }),
        );
      } catch (error) {
        const existing = await getOrUndefined(
          api.call(site, ctx.signal, (c) =>
            c.regionInstanceGroupManagers.get({ ...where, instanceGroupManager: name }),
          ),
        );
        if (
          existing === undefined ||
          stateOf(existing[0], undefined, ctx.owner, undefined) === undefined
        ) {
          throw error;
        }
      }
      // An interrupted earlier run may have added the member already.
      if ((await configOf(ctx.signal, name)) === undefined) await addMember(ctx, resource);
      await settled(ctx, name, 'create');
      return read(ctx, name);
    },

    async update(ctx, current, resource) {
      const { name, spec } = resource;
      const site = siteOf('update', ETCD_MEMBER_TYPE, name);
      if (current.fields.ip === '') {
        await addMember(ctx, resource);
        await settled(ctx, name, 'update');
        return read(ctx, name);
      }
      await api.mutate(site, ctx.signal, (c) =>
        c.regionInstanceGroupManagers.updatePerInstanceConfigs({
          ...where,
          instanceGroupManager: name,
          requestId: requestIdFor(ctx, 'updatePerInstanceConfigs'),
          regionInstanceGroupManagerUpdateInstanceConfigReqResource: {
            perInstanceConfigs: [{ name, preservedState: preservedState(api.project, spec) }],
          },
        }),
      );
      if (spec.template !== current.fields.template) {
        // The group's RECREATE update policy re-creates the member from the new template, with
        // the new per-instance config, keeping its name, IP and disk.
        const template = globalRef(api.project, 'instanceTemplates', spec.template);
        await api.mutate(site, ctx.signal, (c) =>
          c.regionInstanceGroupManagers.patch({
            ...where,
            instanceGroupManager: name,
            requestId: requestIdFor(ctx, 'patch'),
            instanceGroupManagerResource: {
              instanceTemplate: template,
              versions: [{ name: 'current', instanceTemplate: template }],
            },
          }),
        );
      } else {
        // Ignition runs at first boot only: a new config means a new boot of the same member.
        await api.mutate(site, ctx.signal, (c) =>
          c.regionInstanceGroupManagers.recreateInstances({
            ...where,
            instanceGroupManager: name,
            requestId: requestIdFor(ctx, 'recreateInstances'),
            regionInstanceGroupManagersRecreateRequestResource: {
              instances: [`projects/${api.project}/zones/${spec.zone}/instances/${name}`],
            },
          }),
        );
      }
      // The next member of a roll may go down only once this one is back (serialGroup 'etcd').
      await settled(ctx, name, 'update');
      return read(ctx, name);
    },

    async delete(ctx, current) {
      // The group keeps the data disk when it goes; the disk is a resource of its own, deleted
      // (or kept for a member that comes back) by its own step.
      const remove = () =>
        ignoreNotFound(
          api.mutate(siteOf('delete', ETCD_MEMBER_TYPE, current.name), ctx.signal, (c) =>
            c.regionInstanceGroupManagers.delete({
              ...where,
              instanceGroupManager: current.name,
              requestId: requestIdFor(ctx, 'delete'),
            }),
          ),
        );
      // A group that never got its member (an interrupted create) has no one to leave.
      if (ctx.operation === 'destroy' || current.fields.ip === '') return remove();
      await oneAtATime(async () => {
        const member = { type: ETCD_MEMBER_TYPE, name: current.name, zone: current.fields.zone };
        await leaveEtcdCluster(api, ctx, member, leave);
        await remove();
      });
    },

    diff(resource, current) {
      const desired: EtcdMemberFields = {
        zone: resource.spec.zone,
        template: resource.spec.template,
        ip: resource.spec.ip,
        disk: resource.spec.disk,
        userDataSha256: sha256Hex(resource.spec.userData),
      };
      const fields = (Object.keys(desired) as (keyof EtcdMemberFields)[])
        .filter((key) => desired[key] !== current.fields[key])
        .map((key) => (key === 'userDataSha256' ? 'userData' : key));
      if (fields.length === 0) return noChange();
      if (fields.includes('zone')) {
        return replaceFields(
          fields,
          "a member's data disk lives in its zone: in a new zone it is a new member with a new disk",
        );
      }
      return updateFields(fields);
    },
  };
}
