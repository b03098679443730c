import { HakocError } from '@hakoc/core';
import { machineStatuses, type VagrantMachineStatus } from './machine-status.js';
import {
  runVagrant,
  type VagrantProcessOptions,
  type VagrantRunOptions,
  type VagrantRunResult,
} from './run-vagrant.js';

/** The code of the error thrown for a machine name Vagrant would misread. */
export const MACHINE_NAME_INVALID_CODE = 'HAKOC_VAGRANT_MACHINE_NAME_INVALID';

/** Options of {@link VagrantCli.up}. */
export interface VagrantUpOptions extends VagrantRunOptions {
  /** The provider to create the machine with; Vagrant's default when unset. */
  readonly provider?: 'virtualbox' | 'libvirt';
}

/** Options of {@link VagrantCli.validate}. */
export interface VagrantValidateOptions extends VagrantRunOptions {
  /**
   * Skip provider-specific checks, so no hypervisor needs to be installed.
   * @default true
   */
  readonly ignoreProvider?: boolean;
}

/** What {@link VagrantCli.ssh} returns: the run, and what the command printed. */
export interface VagrantSshResult extends VagrantRunResult {
  /** The command's standard output, lines joined with `\n`. */
  readonly stdout: string;
}

/** Time limits of the {@link VagrantCli} commands, in milliseconds. */
export interface VagrantTimeouts {
  /** `vagrant status`, and any command run through {@link VagrantCli.run}. */
  readonly status: number;
  /** `vagrant validate`. */
  readonly validate: number;
  /** `vagrant up`. */
  readonly up: number;
  /** `vagrant halt`. */
  readonly halt: number;
  /** `vagrant destroy`. */
  readonly destroy: number;
  /** One command run in a machine with `vagrant ssh -c` (a health probe). */
  readonly ssh: number;
}

/**
 * The time limits used when a call names none. Bringing a machine up may download a box
 * first; the others only talk to the hypervisor.
 */
export const DEFAULT_VAGRANT_TIMEOUTS_MS: VagrantTimeouts = {
  status: 60_000,
  validate: 60_000,
  up: 20 * 60_000,
  halt: 5 * 60_000,
  destroy: 5 * 60_000,
  ssh: 2 * 60_000,
};

/** `vagrant`, for one project directory. Every method runs one `vagrant` process. */
export interface VagrantCli {
  /** The project directory. */
  readonly cwd: string;
  /** Every machine of the project and its state (`vagrant status`). */
  status(options?: VagrantRunOptions): Promise<VagrantMachineStatus[]>;
  /** Creates and provisions, or starts, one machine (`vagrant up NAME`). */
  up(machine: string, options?: VagrantUpOptions): Promise<VagrantRunResult>;
  /** Shuts one machine down (`vagrant halt NAME`). */
  halt(machine: string, options?: VagrantRunOptions): Promise<VagrantRunResult>;
  /** Deletes one machine without asking (`vagrant destroy -f NAME`). */
  destroy(machine: string, options?: VagrantRunOptions): Promise<VagrantRunResult>;
  /**
   * Runs a shell command in one machine, without a terminal (`vagrant ssh NAME -c COMMAND --
   * -T`). Vagrant exits with the command's exit status, so a command that fails throws.
   */
  ssh(machine: string, command: string, options?: VagrantRunOptions): Promise<VagrantSshResult>;
  /** Checks the Vagrantfile (`vagrant validate`). */
  validate(options?: VagrantValidateOptions): Promise<VagrantRunResult>;
  /** Any other command, still machine-readable and bounded. */
  run(args: readonly string[], options?: VagrantRunOptions): Promise<VagrantRunResult>;
}

/**
 * Makes a {@link VagrantCli} for the project in `options.cwd`.
 *
 * @example
 * ```ts
 * const vagrant = createVagrantCli({ cwd: paths.dir });
 * await vagrant.up('controller-0', { onProgress: (p) => console.log(p.line) });
 * ```
 */
export function createVagrantCli(options: VagrantProcessOptions): VagrantCli {
  const run = (
    args: readonly string[],
    defaultTimeoutMs: number,
    runOptions: VagrantRunOptions = {},
  ) => runVagrant(args, options, { timeoutMs: defaultTimeoutMs, ...runOptions });
  return {
    cwd: options.cwd,
    async status(runOptions) {
      const result = await run(['status'], DEFAULT_VAGRANT_TIMEOUTS_MS.status, runOptions);
      return machineStatuses(result.records);
    },
    async up(machine, { provider, ...runOptions } = {}) {
      const providerArgs = provider === undefined ? [] : ['--provider', provider];
      return run(
        ['up', machineName(machine), ...providerArgs],
        DEFAULT_VAGRANT_TIMEOUTS_MS.up,
        runOptions,
      );
    },
    async halt(machine, runOptions) {
      return run(['halt', machineName(machine)], DEFAULT_VAGRANT_TIMEOUTS_MS.halt, runOptions);
    },
    async destroy(machine, runOptions) {
      return run(
        ['destroy', '-f', machineName(machine)],
        DEFAULT_VAGRANT_TIMEOUTS_MS.destroy,
        runOptions,
      );
    },
    async ssh(machine, command, { onProgress, ...runOptions } = {}) {
      // The command's own output is passed through raw, not as machine-readable records.
      // `-T` goes to ssh itself: Vagrant takes a `--no-tty` anywhere for its own, global, flag.
      const lines: string[] = [];
      const result = await run(
        ['ssh', machineName(machine), '-c', command, '--', '-T'],
        DEFAULT_VAGRANT_TIMEOUTS_MS.ssh,
        {
          ...runOptions,
          onProgress: (progress) => {
            if (progress.stream === 'stdout' && progress.record === undefined) {
              lines.push(progress.line);
            }
            onProgress?.(progress);
          },
        },
      );
      return { ...result, stdout: lines.join('\n') };
    },
    validate({ ignoreProvider = true, ...runOptions } = {}) {
      const args = ignoreProvider ? ['validate', '--ignore-provider'] : ['validate'];
      return run(args, DEFAULT_VAGRANT_TIMEOUTS_MS.validate, runOptions);
    },
    run(args, runOptions) {
      return run(args, DEFAULT_VAGRANT_TIMEOUTS_MS.status, runOptions);
    },
  };
}

// Vagrant reads `/…/` as a regular expression over machine names and `-…` as an option, so
// such a name would act on other machines or none; refuse it rather than guess.
function machineName(name: string): string {
  if (name === '' || name.startsWith('-') || name.startsWith('/')) {
    throw new HakocError(
      MACHINE_NAME_INVALID_CODE,
      `${JSON.stringify(name)} is not a machine name Vagrant reads literally`,
    );
  }
  return name;
}
