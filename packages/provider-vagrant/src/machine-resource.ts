import { join } from 'node:path';
import {
  type Change,
  changedFields,
  isOwnedBy,
  noChange,
  type OperationContext,
  ProviderError,
  type ResourceState,
  type ResourceType,
  replaceFields,
  updateFields,
} from '@hakoc/core';
import type { VagrantAddress, VagrantClusterLayout, VagrantRole } from './layout.js';
import { userDataFileName } from './layout-from-model.js';
import { documentMachine, type MachinesDocumentMachine } from './machines-json.js';
import { PROJECT_FILES, sha256Hex } from './project-store.js';
import { toProviderError, VAGRANT_PROVIDER_NAME } from './provider-error.js';
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
  /** sha256 of the user-data it was provisioned with; empty until provisioning finished. */
  readonly userDataSha256: string;
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
 * - create: user-data file, then the entry (without its user-data hash), then `vagrant up`;
 *   the hash is recorded only once `up` succeeded, so a machine whose provisioning was cut off
 *   is planned for replacement instead of looking finished.
 * - update (memory, CPUs, a stopped VM): the entry, then `halt` and `up --no-provision`, which
 *   applies the new size without provisioning again.
 * - delete: `vagrant destroy -f`, then the entry and the user-data file.
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
      const entry = record(name, spec, ctx.owner.labels, sha256Hex(spec.userData));
      await putEntry(entry);
      return stateOf(entry, 'running');
    },
    async update(ctx, current, resource) {
      const { name, spec } = resource;
      const id = `${VAGRANT_MACHINE_TYPE}/${name}`;
      const entry = record(name, spec, ctx.owner.labels, current.userDataSha256);
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
      return stateOf(entry, 'running');
    },
    async delete(ctx, current) {
      const document = await store.read();
      const entry = document?.machines.find((machine) => machine.name === current.name);
      // Not ours (any more): nothing of it is ours to touch.
      if (entry === undefined || !isOwnedBy(entry.labels, ctx.owner)) return;
      await vagrantRun(
        ctx,
        'delete',
        `${VAGRANT_MACHINE_TYPE}/${current.name}`,
        current.hypervisor,
        (onProgress) =>
          cli.destroy(current.name, {
            signal: ctx.signal,
            timeoutMs: timeouts.destroy,
            onProgress,
          }),
      );
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
          'the machine was never provisioned: an earlier `vagrant up` failed or was stopped',
        );
      }
      const { userData, hosts: _provisionedOnce, ...spec } = resource.spec;
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
