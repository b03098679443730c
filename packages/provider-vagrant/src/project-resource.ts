import {
  type Change,
  CLUSTER_LABEL,
  changedFields,
  isOwnedBy,
  noChange,
  type Owner,
  ProviderError,
  type ResourceState,
  type ResourceType,
  updateFields,
} from '@hakoc/core';
import type { VagrantClusterLayout } from './layout.js';
import { MACHINES_SCHEMA_VERSION, type MachinesDocument } from './machines-json.js';
import { PROJECT_FILES, sha256Hex } from './project-store.js';
import { VAGRANT_PROVIDER_NAME } from './provider-error.js';
import type { VagrantRuntime } from './runtime.js';
import { readVagrantfileTemplate } from './vagrantfile-template.js';

/** The resource type of the project directory: the Vagrantfile and the head of `machines.json`. */
export const VAGRANT_PROJECT_TYPE = 'vagrant.project';

/** The desired project: what the head of `machines.json` and the Vagrantfile say. */
export interface VagrantProjectSpec {
  /** The Vagrant provider machines are created with. */
  readonly hypervisor: VagrantClusterLayout['hypervisor'];
  /** The box new machines boot. */
  readonly box: string;
  /** Dotted netmask of the private network. */
  readonly netmask: string;
  /** sha256 of the Vagrantfile template this package ships. */
  readonly vagrantfileSha256: string;
  /**
   * The etcd members the cluster should have, sorted. Recorded in `machines.json` before any
   * machine changes, so a machine deleted later whose member is not listed is known to be
   * leaving (scale-down), not replaced or destroyed with the whole cluster.
   */
  readonly etcdMembers: readonly string[];
}

/** The project as found on disk. */
export interface VagrantProjectState extends ResourceState, VagrantProjectSpec {}

type ProjectType = ResourceType<VagrantProjectSpec, VagrantProjectState>;

/**
 * The project directory as a resource, so the engine writes it before any machine (machines
 * depend on it) and removes it after the last one. Everything in it can change in place:
 * Vagrant reads both files afresh on every run.
 */
export function projectResourceType(runtime: VagrantRuntime): ProjectType {
  const { store } = runtime;
  const write = async (owner: Owner, name: string, spec: VagrantProjectSpec) => {
    const vagrantfile = await readVagrantfileTemplate();
    // machines.json first: a Vagrantfile on disk never points at a missing machine list.
    await store.update((current) => {
      refuseForeignProject(store.dir, current, owner);
      const head: MachinesDocument = {
        schemaVersion: MACHINES_SCHEMA_VERSION,
        clusterName: name,
        box: spec.box,
        hypervisor: spec.hypervisor,
        netmask: spec.netmask,
        labels: { ...owner.labels },
        etcdMembers: [...spec.etcdMembers],
        machines: current?.machines ?? [],
      };
      return head;
    });
    await store.write(PROJECT_FILES.vagrantfile, vagrantfile, 0o644);
    return {
      id: store.dir,
      name,
      labels: { ...owner.labels },
      ...spec,
      vagrantfileSha256: sha256Hex(vagrantfile),
    };
  };
  return {
    type: VAGRANT_PROJECT_TYPE,
    async list(_ctx, owner) {
      const document = await store.read();
      if (document === undefined || !isOwnedBy(document.labels, owner)) return [];
      const vagrantfile = (await store.readText(PROJECT_FILES.vagrantfile)) ?? '';
      return [
        {
          id: store.dir,
          name: document.clusterName,
          labels: { ...document.labels },
          hypervisor: document.hypervisor,
          box: document.box,
          netmask: document.netmask,
          vagrantfileSha256: sha256Hex(vagrantfile),
          etcdMembers: document.etcdMembers ?? [],
        },
      ];
    },
    create: (ctx, resource) => write(ctx.owner, resource.name, resource.spec),
    update: (ctx, _current, resource) => write(ctx.owner, resource.name, resource.spec),
    async delete(ctx) {
      let foreignRemain = false;
      await store.update((current) => {
        const others = (current?.machines ?? []).filter(
          (machine) => !isOwnedBy(machine.labels, ctx.owner),
        );
        if (current === undefined || others.length === 0) return undefined;
        // Machines someone else listed stay defined; only our claim on the project goes.
        foreignRemain = true;
        const { labels: _ours, ...rest } = current;
        return { ...rest, machines: others };
      });
      if (foreignRemain) return;
      await store.remove(PROJECT_FILES.vagrantfile);
      // Vagrant's own records of the machines, all destroyed by now.
      await store.remove(PROJECT_FILES.vagrantState);
    },
    diff(resource, current): Change {
      const { id: _id, name: _name, labels: _labels, ...actual } = current;
      const fields = changedFields({ ...resource.spec }, { ...actual });
      return fields.length === 0 ? noChange() : updateFields(fields);
    },
  };
}

// One directory, one cluster: a project another cluster owns is never taken over.
function refuseForeignProject(
  dir: string,
  document: MachinesDocument | undefined,
  owner: Owner,
): void {
  const holder = document?.labels?.[CLUSTER_LABEL];
  if (holder === undefined || holder === owner.cluster) return;
  throw new ProviderError(
    `${dir} holds the Vagrant project of cluster ${JSON.stringify(holder)}, not of ${JSON.stringify(owner.cluster)}`,
    {
      provider: VAGRANT_PROVIDER_NAME,
      operation: 'create',
      resource: `${VAGRANT_PROJECT_TYPE}/${owner.cluster}`,
      reason: 'conflict',
      hint: 'Give each cluster a directory of its own.',
    },
  );
}
