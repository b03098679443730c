import type PQueue from 'p-queue';
import type { ProjectStore } from './project-store.js';
import type { VagrantReadiness } from './readiness.js';
import type { VagrantCli, VagrantTimeouts } from './vagrant-cli.js';

/** What the resource types of one provider share: the project files, Vagrant and its limits. */
export interface VagrantRuntime {
  /** The project directory's files. */
  readonly store: ProjectStore;
  /** `vagrant` in the project directory. */
  readonly cli: VagrantCli;
  /**
   * Bounds the `vagrant up`, `halt` and `destroy` runs in flight, whatever the engine's
   * concurrency: the hypervisor, not the engine, knows how much it can take at once.
   */
  readonly machineQueue: PQueue;
  /**
   * One leaving etcd member at a time (its leave, then its VM's destroy): the engine deletes
   * the machines of a scale-down together, and etcd must lose one member at a time.
   */
  readonly etcdRemovals: PQueue;
  /** Runs in flight per hypervisor when the caller did not choose. */
  readonly parallelism: (hypervisor: 'virtualbox' | 'libvirt') => number;
  /** Time limits per command. */
  readonly timeouts: VagrantTimeouts;
  /** How long to wait for a machine to be healthy, and how often to look. */
  readonly readiness: VagrantReadiness;
}
