import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import {
  buildClusterModel,
  type ClusterModel,
  composeBootConfig,
  loadClusterSpec,
  type Resource,
  renderCloudConfig,
} from '@hakoc/core';
import {
  type VagrantMachineSpec,
  type VagrantProvider,
  type VagrantProviderInput,
  type VagrantProviderOptions,
  vagrant,
} from '@hakoc/provider-vagrant';

/** The stand-in `vagrant`; in `hypervisor` mode it keeps VMs in a state file. */
export const STAND_IN_VAGRANT = join(import.meta.dirname, 'stand-in-vagrant.mjs');

const EXAMPLE = join(import.meta.dirname, '..', '..', '..', '..', 'examples', 'vagrant.yaml');

/** Machine counts and the hypervisor of a test cluster built from `examples/vagrant.yaml`. */
export interface ClusterShape {
  readonly etcd?: number;
  readonly controllers?: number;
  readonly workers?: number;
  readonly hypervisor?: 'virtualbox' | 'libvirt';
  readonly name?: string;
  readonly kubernetesVersion?: string;
}

/** The model of `examples/vagrant.yaml`, with counts, hypervisor and name changed as asked. */
export async function exampleModel(shape: ClusterShape = {}): Promise<ClusterModel> {
  let text = await readFile(EXAMPLE, 'utf8');
  const replace = (from: RegExp, to: string) => {
    if (!from.test(text)) throw new Error(`examples/vagrant.yaml has no ${from}`);
    text = text.replace(from, to);
  };
  if (shape.etcd !== undefined) replace(/etcd: \{ count: \d+/, `etcd: { count: ${shape.etcd}`);
  if (shape.controllers !== undefined)
    replace(/controlPlane: \{ count: \d+/, `controlPlane: { count: ${shape.controllers}`);
  if (shape.workers !== undefined)
    replace(/workers: \{ count: \d+/, `workers: { count: ${shape.workers}`);
  if (shape.hypervisor !== undefined)
    replace(
      /vagrant: \{ network: ([^ ]+) \}/,
      `vagrant: { network: $1, hypervisor: ${shape.hypervisor} }`,
    );
  if (shape.name !== undefined) replace(/name: demo/, `name: ${shape.name}`);
  if (shape.kubernetesVersion !== undefined)
    replace(
      /\n {2}workers:/,
      `\n  kubernetes: { version: ${shape.kubernetesVersion} }\n  workers:`,
    );
  return buildClusterModel(loadClusterSpec(text));
}

/**
 * A cloud-config per machine of the model, made with the real `composeBootConfig` and
 * `renderCloudConfig`: a shared file every role writes identically (as the base modules do)
 * and one of the machine's own. `tag` changes one machine's config; a new Kubernetes version
 * changes every machine's (as a new minor does, with its etcd image).
 */
export function testUserData(
  model: ClusterModel,
  changed: { readonly machine?: string; readonly tag?: string } = {},
): Record<string, string> {
  const userData: Record<string, string> = {};
  for (const set of Object.values(model.machineSets)) {
    for (const machine of set.machines) {
      const tag = machine.name === changed.machine ? (changed.tag ?? '') : '';
      userData[machine.name] = renderCloudConfig(
        composeBootConfig([
          {
            module: 'base',
            part: {
              files: [
                {
                  path: '/etc/hakoc/cluster',
                  contents: `${model.name} ${model.kubernetes.version}\n`,
                  mode: 0o644,
                },
              ],
            },
          },
          {
            module: set.role,
            part: {
              files: [
                {
                  path: `/etc/hakoc/${machine.name}`,
                  contents: `${machine.name}${tag}\n`,
                  mode: 0o600,
                  secret: true,
                },
              ],
              units: [
                {
                  name: `hakoc-${set.role.toLowerCase()}.service`,
                  contents: '[Service]\nExecStart=/bin/true\n',
                  enabled: false,
                },
              ],
            },
          },
        ]),
      );
    }
  }
  return userData;
}

/** A scratch area with the stand-in's hypervisor state and the environment to reach it. */
export interface StandInHypervisor {
  /** Environment for the stand-in (`STAND_IN_MODE=hypervisor`, the state and log files). */
  readonly env: Record<string, string>;
  /** The hypervisor's VMs, by `<project dir>::<machine>`. */
  vms(): Promise<
    Record<
      string,
      {
        id: string;
        state: string;
        provider: string;
        memoryMb: number;
        cpus: number;
        userDataSha256?: string;
      }
    >
  >;
  /**
   * Makes the next `count` up/halt/destroy runs fail before touching anything. Synchronous,
   * so the fault is in place before the caller's next step starts any stand-in.
   */
  failNext(count: number, retryable: boolean): void;
  /** Every run so far, one `command args…` line each. */
  runs(): Promise<string[]>;
  /** How the guests answer `vagrant ssh -c` (see stand-in-hypervisor.mjs). Synchronous. */
  setGuest(guest: StandInGuest): void;
  /** Every run so far with its start and end on the host's clock, in the order they ended. */
  timeline(): Promise<StandInRun[]>;
}

/** How the stand-in's guests answer the provider's commands. */
export interface StandInGuest {
  /** An etcd member answers healthy once its VM has run this long since it last booted. */
  readonly healthyAfterMs?: number;
  /** Machines whose etcd member never answers healthy. */
  readonly neverHealthy?: readonly string[];
  /** Machines whose leave unit fails. */
  readonly leaveFails?: readonly string[];
}

/** One run of the stand-in `vagrant`. */
export interface StandInRun {
  /** The arguments, `--machine-readable` left out. */
  readonly argv: readonly string[];
  /** When it started and ended, in milliseconds since the epoch. */
  readonly start: number;
  readonly end: number;
  /** Its exit status. */
  readonly exit: number;
}

/** Sets up a stand-in hypervisor under `dir`. */
export async function standInHypervisor(dir: string): Promise<StandInHypervisor> {
  await mkdir(dir, { recursive: true });
  const state = join(dir, 'hypervisor.json');
  const log = join(dir, 'runs.log');
  const timeline = join(dir, 'timeline.jsonl');
  await writeFile(state, JSON.stringify({ vms: {}, faults: { remaining: 0, retryable: true } }));
  await writeFile(log, '');
  await writeFile(timeline, '');
  // Preflight looks VBoxManage up on the PATH (it never runs it): a stub stands in for
  // VirtualBox being installed.
  const bin = join(dir, 'bin');
  await mkdir(bin, { recursive: true });
  await writeFile(join(bin, 'VBoxManage'), '#!/bin/sh\nexit 1\n');
  await chmod(join(bin, 'VBoxManage'), 0o755);
  const read = async () => JSON.parse(await readFile(state, 'utf8'));
  return {
    env: {
      PATH: `${bin}${delimiter}${process.env.PATH ?? ''}`,
      STAND_IN_MODE: 'hypervisor',
      STAND_IN_STATE: state,
      STAND_IN_LOG: log,
      STAND_IN_TIMELINE: timeline,
      STAND_IN_PLUGIN_FIXTURE: join(
        import.meta.dirname,
        '..',
        'fixtures',
        'plugin-list-libvirt.txt',
      ),
    },
    vms: async () => (await read()).vms,
    failNext(count, retryable) {
      const current = JSON.parse(readFileSync(state, 'utf8'));
      writeFileSync(
        `${state}.test`,
        JSON.stringify({ ...current, faults: { remaining: count, retryable } }),
      );
      renameSync(`${state}.test`, state);
    },
    runs: async () => (await readFile(log, 'utf8')).split('\n').filter((line) => line !== ''),
    setGuest(guest) {
      const current = JSON.parse(readFileSync(state, 'utf8'));
      writeFileSync(`${state}.test`, JSON.stringify({ ...current, guest }));
      renameSync(`${state}.test`, state);
    },
    timeline: async () =>
      (await readFile(timeline, 'utf8'))
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line) as StandInRun),
  };
}

/** The provider over the stand-in, with quick kill grace and no warnings printed. */
export function standInProvider(
  dir: string,
  hypervisor: StandInHypervisor,
  options: Partial<VagrantProviderOptions> = {},
): VagrantProvider {
  return vagrant({
    dir,
    binary: STAND_IN_VAGRANT,
    env: hypervisor.env,
    killGraceMs: 2_000,
    onWarning: () => undefined,
    ...options,
  });
}

/** The provider input for a model with {@link testUserData}. */
export function inputFor(
  model: ClusterModel,
  extra: Partial<VagrantProviderInput> = {},
): VagrantProviderInput {
  return { model, userData: testUserData(model), ...extra };
}

/** The cloud-config of machine `name` in a desired graph; throws when there is none. */
export function userDataIn(resources: readonly Resource[], name: string): string {
  const machine = resources.find((resource) => resource.name === name);
  if (machine === undefined) throw new Error(`no resource ${name}`);
  return (machine.spec as VagrantMachineSpec).userData;
}
