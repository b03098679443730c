import { arch, availableParallelism, cpus, loadavg, platform, totalmem } from 'node:os';

/** The machine a run measured on, as the report states it. */
export interface MachineDescription {
  /** Logical CPUs the process may use (what `nproc` prints). */
  readonly nproc: number;
  readonly cpuModel: string;
  readonly totalMemoryBytes: number;
  readonly node: string;
  readonly platform: string;
}

/** Describes this machine. */
export function describeMachine(): MachineDescription {
  return {
    nproc: availableParallelism(),
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown CPU',
    totalMemoryBytes: totalmem(),
    node: process.version,
    platform: `${platform()}/${arch()}`,
  };
}

/** The 1, 5 and 15 minute load averages, as `uptime` prints them. */
export function loadAverage(): string {
  return loadavg()
    .map((value) => value.toFixed(2))
    .join(' ');
}

/** One line for a report: nproc, CPU, memory, Node. */
export function machineLine(machine: MachineDescription): string {
  return `${machine.nproc} CPUs (\`nproc\`), ${machine.cpuModel}, ${(machine.totalMemoryBytes / 2 ** 30).toFixed(1)} GiB RAM, Node ${machine.node}, ${machine.platform}`;
}
