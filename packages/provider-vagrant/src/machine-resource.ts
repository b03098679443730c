import { join } from 'node:path';
import {
  type Change,
  changedFields,
  ETCD_JOIN_UNIT,
  ETCD_UNIT,
  isOwnedBy,
  noChange,
  type OperationContext,
  ProviderError,
  type ResourceState,
  type ResourceType,
  replaceFields,
  updateFields,
} from '@hakoc/core';
import { leaveEtcdCluster } from './etcd-leave.js';
import { hostedEtcdMembers } from './etcd-membership.js';
import { GUEST_COMMANDS } from './guest-commands.js';
import type { VagrantAddress, VagrantClusterLayout, VagrantRole } from './layout.js';
import { userDataFileName } from './layout-from-model.js';
import {
  documentMachine,
  type MachinesDocument,
  type MachinesDocumentMachine,
} from './machines-json.js';
import { PROJECT_FILES, sha256Hex } from './project-store.js';
import { toProviderError, VAGRANT_PROVIDER_NAME } from './provider-error.js';
import { type GuestCondition, waitForGuest } from './readiness.js';
import type { VagrantProgress } from './run-vagrant.js';
import type { VagrantRuntime } from './runtime.js';

/** The resource type of one Vagrant machine (a VM). */
export const VAGRANT_MACHINE_TYPE = 'vagrant.machine';

/** The desired machine. */
export interface VagrantMachineSpec {
  /** What it does. */
  readonly role: VagrantRole;
  /** Its address on the private network. */
  readonly ip: string;
  /** Further addresses (a co-located etcd member's). */
  readonly extraAddresses: readonly VagrantAddress[];
  /** Memory in MiB. */
  readonly memoryMb: number;
  /** Virtual CPUs. */
  readonly cpus: number;
  /** The box it boots. */
  readonly box: string;
  /** The Vagrant provider that runs it. */
  readonly hypervisor: VagrantClusterLayout['hypervisor'];
  /**
   * The `ip name` lines it gets in `/etc/hosts` when it is provisioned. Not compared by `diff`:
   * provisioning runs once, so machines keep the names they were created with, and a machine
   * added or removed elsewhere changes no running machine (the names that matter, etcd
   * members and API servers, are fixed by the model).
   */
  readonly hosts: readonly string[];
  /** Its cloud-config; secret (keys, tokens), so plans show a hash of it. */
  readonly userData: string;
  /**
   * The Kubernetes release it runs (`X.Y.Z`), or empty for etcd members and the load
   * balancer. Recorded for the version check of the next plan; not compared by `diff`: the
   * release is part of the boot configuration, whose change replaces the machine anyway.
   */
  readonly kubernetesVersion: string;
  /** Whether the VM should be running: always `true` in a desired graph. */
  readonly running: boolean;
}

/** A machine as `machines.json` records it and `vagrant status` reports it. */
export interface VagrantMachineResourceState extends ResourceState {
  /** Ownership, from its `machines.json` entry. */
  readonly labels: Readonly<Record<string, string>>;
  /** See {@link VagrantMachineSpec.role}. */
  readonly role: VagrantRole;
  /** See {@link VagrantMachineSpec.ip}. */
  readonly ip: string;
  /** See {@link VagrantMachineSpec.extraAddresses}. */
  readonly extraAddresses: readonly VagrantAddress[];
  /** See {@link VagrantMachineSpec.memoryMb}. */
  readonly memoryMb: number;
  /** See {@link VagrantMachineSpec.cpus}. */
  readonly cpus: number;
  /** See {@link VagrantMachineSpec.box}. */
  readonly box: string;
  /** See {@link VagrantMachineSpec.hypervisor}. */
  readonly hypervisor: VagrantClusterLayout['hypervisor'];
  /** See {@link VagrantMachineSpec.hosts}. */
  readonly hosts: readonly string[];
  /**
   * sha256 of the user-data it was provisioned with; empty until provisioning finished and,
   * where the machine joins a running cluster, until it was found healthy.
   */
  readonly userDataSha256: string;
  /** See {@link VagrantMachineSpec.kubernetesVersion}; empty when not recorded. */
  readonly kubernetesVersion: string;
  /** Vagrant's state name (`running`, `poweroff`, `not_created`, …). */
  readonly vmState: string;
  /** Whether the VM runs. */
  readonly running: boolean;
}

type MachineType = ResourceType<VagrantMachineSpec, VagrantMachineResourceState>;

// What a machine is created from and configured with once, at first boot: changing any of it
// takes a new VM, as a new instance template does on GCE.
const REPLACING_FIELDS = ['role', 'ip', 'extraAddresses', 'box', 'hypervisor', 'userData'] as const;

/**
 * Vagrant machines as resources. Ownership lives in each machine's `machines.json` entry
 * (Vagrant has no labels); `list` reads the entries and runs `vagrant status` once for all.
 *
 * - create: user-data file, then the entry (without its user-data hash), then `vagrant up`.
 *   A machine that joins a running cluster — an etcd member or a controller while another of
 *   its kind is provisioned, as in a roll or a scale-up — is then waited for from inside
 *   (`vagrant ssh -c`): its etcd member healthy, its API server ready. The hash is recorded
 *   only after that, so a machine whose provisioning was cut off or that never became healthy
 *   is planned for replacement instead of looking finished.
 * - update (memory, CPUs, a stopped VM): the entry, then `halt` and `up --no-provision`, which
 *   applies the new size without provisioning again, then the same wait as a create.
 * - delete: a machine running an etcd member the cluster no longer lists (a scale-down) has the
 *   member leave the cluster first, one machine at a time; then `vagrant destroy -f`, the
 *   entry and the user-data file.
 */
export function machineResourceType(runtime: VagrantRuntime): MachineType {
  const { store, cli, timeouts } = runtime;

  const vagrantRun = <T>(
    ctx: OperationContext,
    operation: 'create' | 'update' | 'delete',
    resource: string,
    hypervisor: VagrantClusterLayout['hypervisor'],
    run: (onProgress: (progress: VagrantProgress) => void) => Promise<T>,
  ): Promise<T> => {
    runtime.machineQueue.concurrency = runtime.parallelism(hypervisor);
    return runtime.machineQueue
      .add(() => run(progressReporter(ctx)), { signal: ctx.signal })
      .catch((error: unknown) => {
        throw toProviderError(error, { operation, resource });
      });
  };

  const record = (
    name: string,
    spec: VagrantMachineSpec,
    labels: Readonly<Record<string, string>>,
    userDataSha256: string | undefined,
    kubernetesVersion = spec.kubernetesVersion,
  ): MachinesDocumentMachine =>
    documentMachine(
      {
        name,
        role: spec.role,
        ip: spec.ip,
        extraAddresses: spec.extraAddresses,
        memoryMb: spec.memoryMb,
        cpus: spec.cpus,
        userData: userDataFileName(name),
      },
      {
        box: spec.box,
        hypervisor: spec.hypervisor,
        hosts: spec.hosts,
        labels,
        kubernetesVersion,
        ...(userDataSha256 === undefined ? {} : { userDataSha256 }),
      },
    );

  const putEntry = (entry: MachinesDocumentMachine) =>
    store.update((current) => {
      if (current === undefined) {
        throw new ProviderError(`${store.dir} has no machines.json to add ${entry.name} to`, {
          provider: VAGRANT_PROVIDER_NAME,
          operation: 'create',
          resource: `${VAGRANT_MACHINE_TYPE}/${entry.name}`,
          reason: 'not-ready',
        });
      }
      const others = current.machines.filter((machine) => machine.name !== entry.name);
      // Sorted by name, so the file is the same whatever order machines were created in.
      const machines = [...others, entry].sort((a, b) =>
        a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
      );
      return { ...current, machines };
    });

  const stateOf = async (
    entry: MachinesDocumentMachine,
    vmState: string,
  ): Promise<VagrantMachineResourceState> => {
    const hypervisor = entry.hypervisor ?? 'virtualbox';
    return {
      id: await machineId(runtime, entry.name, hypervisor),
      name: entry.name,
      labels: { ...entry.labels },
      role: entry.role,
      ip: entry.ip,
      extraAddresses: entry.extraAddresses ?? [],
      memoryMb: entry.memoryMb,
      cpus: entry.cpus,
      box: entry.box ?? '',
      hypervisor,
      hosts: entry.hosts ?? [],
      userDataSha256: vmState === 'not_created' ? '' : (entry.userDataSha256 ?? ''),
      kubernetesVersion: entry.kubernetesVersion ?? '',
      vmState,
      running: vmState === 'running',
    };
  };

  return {
    type: VAGRANT_MACHINE_TYPE,
    async list(ctx, owner) {
      const document = await store.read();
      const owned = (document?.machines ?? []).filter((machine) =>
        isOwnedBy(machine.labels, owner),
      );
      if (owned.length === 0) return [];
      const states = await vmStates(runtime, owned, ctx.signal);
      return Promise.all(
        owned.map((entry) => stateOf(entry, states.get(entry.name) ?? 'not_created')),
      );
    },
    async create(ctx, resource) {
      const { name, spec } = resource;
      const id = `${VAGRANT_MACHINE_TYPE}/${name}`;
      // Judged before this machine is recorded: does it join a cluster that runs already?
      const conditions = joinConditions(name, spec, await store.read(), ctx, store.dir);
      // The user-data first: the entry that names it never points at a missing file.
      await store.write(userDataFileName(name), spec.userData, 0o600);
      await putEntry(record(name, spec, ctx.owner.labels, undefined));
      await vagrantRun(ctx, 'create', id, spec.hypervisor, (onProgress) =>
        cli.up(name, {
          provider: spec.hypervisor,
          signal: ctx.signal,
          timeoutMs: timeouts.up,
          onProgress,
        }),
      );
      // Outside the machine queue: waiting for one machine holds up no other's `up`.
      for (const condition of conditions) {
        await waitForGuest(runtime, ctx, { operation: 'create', resource: id }, condition);
      }
      const entry = record(name, spec, ctx.owner.labels, sha256Hex(spec.userData));
      await putEntry(entry);
      return stateOf(entry, 'running');
    },
    async update(ctx, current, resource) {
      const { name, spec } = resource;
      const id = `${VAGRANT_MACHINE_TYPE}/${name}`;
      const conditions = joinConditions(name, spec, await store.read(), ctx, store.dir);
      // Provisioning ran once: the machine keeps the release it was created with.
      const entry = record(
        name,
        spec,
        ctx.owner.labels,
        current.userDataSha256,
        current.kubernetesVersion,
      );
      await putEntry(entry);
      const resized = current.memoryMb !== spec.memoryMb || current.cpus !== spec.cpus;
      if (resized && current.running) {
        await vagrantRun(ctx, 'update', id, spec.hypervisor, (onProgress) =>
          cli.halt(name, { signal: ctx.signal, timeoutMs: timeouts.halt, onProgress }),
        );
      }
      // Starts the VM with the sizes of the entry; provisioning ran once, at creation.
      await vagrantRun(ctx, 'update', id, spec.hypervisor, (onProgress) =>
        cli.run(['up', name, '--no-provision', '--provider', spec.hypervisor], {
          signal: ctx.signal,
          timeoutMs: timeouts.up,
          onProgress,
        }),
      );
      try {
        for (const condition of conditions) {
          await waitForGuest(runtime, ctx, { operation: 'update', resource: id }, condition);
        }
      } catch (error) {
        // Not serving after its restart: without its hash the next plan re-creates it instead
        // of rolling on to the next machine.
        await putEntry(record(name, spec, ctx.owner.labels, undefined, current.kubernetesVersion));
        throw error;
      }
      return stateOf(entry, 'running');
    },
    async delete(ctx, current) {
      const document = await store.read();
      const entry = document?.machines.find((machine) => machine.name === current.name);
      // Not ours (any more): nothing of it is ours to touch.
      if (entry === undefined || !isOwnedBy(entry.labels, ctx.owner)) return;
      const id = `${VAGRANT_MACHINE_TYPE}/${current.name}`;
      const destroyVm = () =>
        vagrantRun(ctx, 'delete', id, current.hypervisor, (onProgress) =>
          cli.destroy(current.name, {
            signal: ctx.signal,
            timeoutMs: timeouts.destroy,
            onProgress,
          }),
        );
      // A destroy takes the whole cluster down: no member leaves (the last one could not).
      const leaving = ctx.operation === 'destroy' ? [] : leavingMembers(current, document);
      if (leaving.length === 0) {
        await destroyVm();
      } else {
        await runtime.etcdRemovals
          .add(
            async () => {
              await leaveEtcdCluster(runtime, ctx, id, current, leaving);
              await destroyVm();
            },
            { signal: ctx.signal },
          )
          .catch((error: unknown) => {
            throw toProviderError(error, { operation: 'delete', resource: id });
          });
      }
      await store.update((latest) =>
        latest === undefined
          ? undefined
          : {
              ...latest,
              machines: latest.machines.filter((machine) => machine.name !== current.name),
            },
      );
      await store.remove(userDataFileName(current.name));
    },
    diff(resource, current): Change {
      if (current.vmState === 'not_created' || current.userDataSha256 === '') {
        return replaceFields(
          ['running'],
          'the machine was never provisioned, or never found healthy: an earlier `vagrant up` failed or was stopped, or its etcd member or API server did not come up',
        );
      }
      const {
        userData,
        hosts: _provisionedOnce,
        kubernetesVersion: _inUserData,
        ...spec
      } = resource.spec;
      const fields = changedFields(
        { ...spec, userData: sha256Hex(userData) },
        {
          role: current.role,
          ip: current.ip,
          extraAddresses: current.extraAddresses,
          memoryMb: current.memoryMb,
          cpus: current.cpus,
          box: current.box,
          hypervisor: current.hypervisor,
          userData: current.userDataSha256,
          running: current.running,
        },
      );
      const replacing = fields.filter((field) =>
        (REPLACING_FIELDS as readonly string[]).includes(field),
      );
      if (replacing.length > 0) {
        return replaceFields(
          replacing,
          'a machine is configured once, at first boot: a new box, address, role, hypervisor or boot configuration takes a new VM',
        );
      }
      return fields.length === 0 ? noChange() : updateFields(fields);
    },
  };
}

// What must hold inside a new machine before it counts as created: a machine joining a cluster
// that runs (another machine of its kind is provisioned: a roll, a scale-up) must have joined
// it, so the next machine of a roll goes down only once this one serves. The machines of a new
// cluster come up together and are not waited for (an etcd member alone has no quorum).
function joinConditions(
  name: string,
  spec: VagrantMachineSpec,
  document: MachinesDocument | undefined,
  ctx: OperationContext,
  dir: string,
): GuestCondition[] {
  const others = (document?.machines ?? []).filter(
    (entry) =>
      entry.name !== name &&
      entry.userDataSha256 !== undefined &&
      isOwnedBy(entry.labels, ctx.owner),
  );
  const conditions: GuestCondition[] = [];
  const members = hostedEtcdMembers({ name, ...spec });
  if (members.length > 0 && others.some((entry) => hostedEtcdMembers(entry).length > 0)) {
    conditions.push({
      machine: name,
      command: GUEST_COMMANDS.etcdMemberHealthy,
      what: `etcd member ${members.join(', ')} on ${name} is healthy`,
      hint: `See why with \`vagrant ssh ${name} -c 'journalctl -u ${ETCD_JOIN_UNIT} -u ${ETCD_UNIT}'\` in ${dir}; the next apply re-creates the machine.`,
    });
  }
  if (spec.role === 'controlPlane' && others.some((entry) => entry.role === 'controlPlane')) {
    conditions.push({
      machine: name,
      command: GUEST_COMMANDS.apiServerReady,
      what: `the API server on ${name} is ready`,
      hint: `See why with \`vagrant ssh ${name} -c 'journalctl -u kubelet'\` in ${dir}; the next apply re-creates the machine.`,
    });
  }
  return conditions;
}

// The etcd members a machine runs that the cluster no longer lists: they leave before the VM
// goes. None when the project predates the list, when the VM was never created (its member
// never started), or when the machine is replaced (its member is still listed: it re-joins).
function leavingMembers(
  machine: VagrantMachineResourceState,
  document: MachinesDocument | undefined,
): string[] {
  const listed = document?.etcdMembers;
  if (listed === undefined || machine.vmState === 'not_created') return [];
  return hostedEtcdMembers(machine).filter((member) => !listed.includes(member));
}

// One `vagrant status` for every machine. Without a Vagrantfile (removed by hand) Vagrant
// cannot answer; Vagrant's own record of a created machine (its id file) still tells whether
// a VM exists, and the project resource puts the Vagrantfile back before any machine step.
async function vmStates(
  runtime: VagrantRuntime,
  owned: readonly MachinesDocumentMachine[],
  signal: AbortSignal,
): Promise<Map<string, string>> {
  const states = new Map<string, string>();
  if ((await runtime.store.readText(PROJECT_FILES.vagrantfile)) === undefined) {
    for (const entry of owned) {
      const created = await vagrantId(runtime, entry.name, entry.hypervisor ?? 'virtualbox');
      states.set(entry.name, created === undefined ? 'not_created' : 'unknown');
    }
    return states;
  }
  try {
    const statuses = await runtime.cli.status({ signal, timeoutMs: runtime.timeouts.status });
    for (const status of statuses) states.set(status.name, status.state);
  } catch (error) {
    throw toProviderError(error, { operation: 'list' });
  }
  return states;
}

// Vagrant keeps the hypervisor's id of a created machine (a VirtualBox UUID, a libvirt domain
// UUID) in .vagrant/machines/NAME/PROVIDER/id; it changes when the VM is created again.
async function vagrantId(
  runtime: VagrantRuntime,
  name: string,
  hypervisor: string,
): Promise<string | undefined> {
  const text = await runtime.store.readText(
    join(PROJECT_FILES.vagrantState, 'machines', name, hypervisor, 'id'),
  );
  const id = text?.trim();
  return id === undefined || id === '' ? undefined : id;
}

async function machineId(
  runtime: VagrantRuntime,
  name: string,
  hypervisor: string,
): Promise<string> {
  return (await vagrantId(runtime, name, hypervisor)) ?? name;
}

// Vagrant's `ui` lines, one progress event each: what a user would read in the terminal.
function progressReporter(ctx: OperationContext): (progress: VagrantProgress) => void {
  return ({ record }) => {
    if (record?.type !== 'ui') return;
    const [, message = ''] = record.data;
    const line = message
      .split('\n')
      .find((part) => part.trim() !== '')
      ?.trim();
    if (line !== undefined) ctx.progress(line);
  };
}
