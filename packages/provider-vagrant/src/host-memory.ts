import { totalmem } from 'node:os';
import type { VagrantMachine } from './layout.js';
import type { VagrantWarning } from './warning.js';

/** The code of the warning {@link checkHostMemory} returns. */
export const MEMORY_OVERCOMMIT_CODE = 'HAKOC_VAGRANT_MEMORY_OVERCOMMIT';

/** Options of {@link checkHostMemory}. */
export interface HostMemoryOptions {
  /**
   * The host's total memory in bytes.
   * @default os.totalmem()
   */
  readonly totalMemoryBytes?: number;
}

const MIB = 1024 * 1024;

/**
 * Warns when the machines together ask for more memory than the host has. Hypervisors accept
 * the overcommit and then swap or kill VMs at random, which looks like a broken cluster rather
 * than a too-small laptop, so say it before `vagrant up`.
 *
 * @returns the warning, or `undefined` when the machines fit
 */
export function checkHostMemory(
  machines: readonly Pick<VagrantMachine, 'memoryMb'>[],
  options: HostMemoryOptions = {},
): VagrantWarning | undefined {
  const hostMb = Math.floor((options.totalMemoryBytes ?? totalmem()) / MIB);
  const neededMb = machines.reduce((sum, machine) => sum + machine.memoryMb, 0);
  if (neededMb <= hostMb) return undefined;
  return {
    severity: 'warning',
    code: MEMORY_OVERCOMMIT_CODE,
    message: `The ${machines.length} machines need ${formatMb(neededMb)} of memory, more than the host's ${formatMb(hostMb)}`,
    hint: 'Lower memoryMb per role, run fewer workers, or co-locate etcd with the controllers.',
  };
}

function formatMb(mb: number): string {
  return mb >= 1024 ? `${(mb / 1024).toFixed(1)} GiB` : `${mb} MiB`;
}
