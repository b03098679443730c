import { stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { resolve } from 'node:path';
import type { ActualResource, Provider } from '@hakoc/core';
import PQueue from 'p-queue';
import {
  desiredResources,
  type VagrantDesiredOptions,
  type VagrantProviderInput,
} from './desired.js';
import { checkHostMemory } from './host-memory.js';
import { checkKubernetesChange } from './kubernetes-version.js';
import type { VagrantClusterLayout, VagrantRole } from './layout.js';
import { createLockFileStore } from './lock-file.js';
import {
  machineResourceType,
  VAGRANT_MACHINE_TYPE,
  type VagrantMachineResourceState,
} from './machine-resource.js';
import { checkVagrantHost } from './preflight.js';
import { projectResourceType } from './project-resource.js';
import { createProjectStore } from './project-store.js';
import { VAGRANT_PROVIDER_NAME } from './provider-error.js';
import { DEFAULT_VAGRANT_READINESS, type VagrantReadiness } from './readiness.js';
import type { VagrantProcessOptions } from './run-vagrant.js';
import type { VagrantRuntime } from './runtime.js';
import {
  createVagrantCli,
  DEFAULT_VAGRANT_TIMEOUTS_MS,
  type VagrantTimeouts,
} from './vagrant-cli.js';
import type { VagrantWarning } from './warning.js';

/** Options of {@link vagrant}. */
export interface VagrantProviderOptions extends VagrantDesiredOptions {
  /** The project directory: Vagrantfile, `machines.json`, user-data, the lock. One per cluster. */
  readonly dir: string;
  /** The `vagrant` program. @default 'vagrant' */
  readonly binary?: string;
  /** Variables added to Vagrant's environment (`VAGRANT_HOME`, `LIBVIRT_DEFAULT_URI`, …). */
  readonly env?: Readonly<Record<string, string>>;
  /** Time between SIGINT and SIGKILL when a run is stopped. @default 10_000 */
  readonly killGraceMs?: number;
  /** Time limits per Vagrant command. @default DEFAULT_VAGRANT_TIMEOUTS_MS */
  readonly timeouts?: Partial<VagrantTimeouts>;
  /**
   * How long a machine that joins a running cluster (a re-created etcd member, a new
   * controller) may take to be healthy, and how often it is asked; the same time bounds a
   * leaving etcd member's leave unit.
   * @default DEFAULT_VAGRANT_READINESS
   */
  readonly readiness?: Partial<VagrantReadiness>;
  /**
   * `vagrant up`, `halt` and `destroy` runs in flight at once. VirtualBox's Vagrant provider
   * does not support bringing machines up in parallel (box import and host-only network setup
   * race), libvirt does.
   * @default 1 on VirtualBox, 4 on libvirt
   */
  readonly parallelism?: number;
  /**
   * The hypervisor preflight checks for. Without it, preflight checks the project's (from
   * `machines.json`) and, before the first apply, accepts either.
   */
  readonly hypervisor?: VagrantClusterLayout['hypervisor'];
  /** The host's memory in bytes, for the over-commit warning. @default os.totalmem() */
  readonly totalMemoryBytes?: number;
  /**
   * Receives warnings (machines needing more memory than the host has) when the desired graph
   * is built.
   * @default process.emitWarning
   */
  readonly onWarning?: (warning: VagrantWarning) => void;
}

/** One machine as {@link VagrantOutputs} lists it. */
export interface VagrantMachineOutput {
  /** Machine name, also its hostname. */
  readonly name: string;
  /** What it does. */
  readonly role: VagrantRole;
  /** Its address on the private network. */
  readonly ip: string;
  /** Vagrant's state name. */
  readonly vmState: string;
}

/** What a user needs after an apply. */
export interface VagrantOutputs {
  /** The project directory; run `vagrant ssh NAME` there. */
  readonly projectDir: string;
  /** `https://<load balancer>:6443`, when the load balancer exists. */
  readonly apiServerUrl: string | undefined;
  /** Every machine, by name. */
  readonly machines: readonly VagrantMachineOutput[];
}

/** The Vagrant provider: a plain {@link Provider} object. */
export type VagrantProvider = Provider<VagrantProviderInput, VagrantOutputs>;

/**
 * Makes the Vagrant provider for one project directory. Machines (the load balancer
 * included) are resources, so plan, apply, destroy and a second apply behave as on GCE:
 * the project directory and `machines.json` are the cloud, ownership labels live in each
 * machine's entry, and `vagrant status` is read once per plan. An upgrade rolls the etcd
 * machines one at a time, then the controllers one at a time, then the workers, each waiting
 * for the one before to be healthy; plan refuses skipping a Kubernetes minor version or going
 * back one.
 *
 * @example
 * ```ts
 * const provider = vagrant({ dir: '.hakoc/demo' });
 * const thePlan = await plan({ model, userData }, provider, { owner: createOwner(model.name) });
 * await apply(thePlan, { onEvent: console.log });
 * ```
 */
export function vagrant(options: VagrantProviderOptions): VagrantProvider {
  const dir = resolve(options.dir);
  const store = createProjectStore(dir);
  const cli = createVagrantCli({ ...cliOptions(options), cwd: dir });
  const runtime: VagrantRuntime = {
    store,
    cli,
    machineQueue: new PQueue({ concurrency: 1 }),
    etcdRemovals: new PQueue({ concurrency: 1 }),
    parallelism: (hypervisor) => options.parallelism ?? (hypervisor === 'libvirt' ? 4 : 1),
    timeouts: { ...DEFAULT_VAGRANT_TIMEOUTS_MS, ...options.timeouts },
    readiness: { ...DEFAULT_VAGRANT_READINESS, ...options.readiness },
  };
  const warn =
    options.onWarning ??
    ((warning: VagrantWarning) =>
      process.emitWarning(warning.message, { code: warning.code, detail: warning.hint }));
  return {
    name: VAGRANT_PROVIDER_NAME,
    types: [projectResourceType(runtime), machineResourceType(runtime)],
    lock: createLockFileStore(dir),
    async desired(input) {
      const { layout, resources } = await desiredResources(input, options);
      const warning = checkHostMemory(
        layout.machines,
        options.totalMemoryBytes === undefined
          ? {}
          : { totalMemoryBytes: options.totalMemoryBytes },
      );
      if (warning !== undefined) warn(warning);
      return resources;
    },
    async preflight(ctx) {
      const hypervisor =
        options.hypervisor ?? (await store.read().catch(() => undefined))?.hypervisor;
      // Vagrant needs an existing working directory; before the first apply there is none,
      // and a plan must not create it.
      const exists = await stat(dir).then(
        (found) => found.isDirectory(),
        () => false,
      );
      const probe = exists ? cli : createVagrantCli({ ...cliOptions(options), cwd: tmpdir() });
      await checkVagrantHost(probe, {
        signal: ctx.signal,
        ...(hypervisor === undefined ? {} : { hypervisor }),
        ...(options.env?.PATH === undefined ? {} : { path: options.env.PATH }),
      });
    },
    checkChange: checkKubernetesChange,
    outputs: (actual) => outputsOf(dir, actual),
  };
}

// How Vagrant is started, for the project directory and for the preflight probe alike.
function cliOptions(options: VagrantProviderOptions): Omit<VagrantProcessOptions, 'cwd'> {
  return {
    ...(options.binary === undefined ? {} : { binary: options.binary }),
    ...(options.env === undefined ? {} : { env: options.env }),
    ...(options.killGraceMs === undefined ? {} : { killGraceMs: options.killGraceMs }),
  };
}

function outputsOf(dir: string, actual: readonly ActualResource[]): VagrantOutputs {
  const machines = actual
    .filter((resource) => resource.type === VAGRANT_MACHINE_TYPE)
    .map((resource) => resource.state as VagrantMachineResourceState)
    .map(({ name, role, ip, vmState }) => ({ name, role, ip, vmState }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const loadBalancer = machines.find((machine) => machine.role === 'loadBalancer');
  return {
    projectDir: dir,
    apiServerUrl: loadBalancer === undefined ? undefined : `https://${loadBalancer.ip}:6443`,
    machines,
  };
}
