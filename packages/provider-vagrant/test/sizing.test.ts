import {
  checkHostMemory,
  DEFAULT_MACHINE_RESOURCES,
  MEMORY_OVERCOMMIT_CODE,
  machineResources,
} from '@hakoc/provider-vagrant';
import { describe, expect, it } from 'vitest';
import { sampleLayout } from './support/layouts.js';

const GIB = 1024 ** 3;

describe('machine resources', () => {
  it('gives controllers at least 2 GiB, etcd 1 GiB, workers 2 GiB and the load balancer 512 MiB', () => {
    expect(DEFAULT_MACHINE_RESOURCES.controlPlane.memoryMb).toBeGreaterThanOrEqual(2048);
    expect(DEFAULT_MACHINE_RESOURCES.etcd.memoryMb).toBe(1024);
    expect(DEFAULT_MACHINE_RESOURCES.worker.memoryMb).toBe(2048);
    expect(DEFAULT_MACHINE_RESOURCES.loadBalancer.memoryMb).toBe(512);
  });

  it('applies per-role overrides on top of the defaults', () => {
    expect(machineResources('worker', { worker: { memoryMb: 4096 } })).toEqual({
      memoryMb: 4096,
      cpus: 2,
    });
    expect(machineResources('etcd', { worker: { memoryMb: 4096 } })).toEqual(
      DEFAULT_MACHINE_RESOURCES.etcd,
    );
  });
});

describe('checkHostMemory', () => {
  const { layout } = sampleLayout();
  const totalMb = layout.machines.reduce((sum, machine) => sum + machine.memoryMb, 0);

  it('is quiet when the machines fit, to the MiB', () => {
    expect(
      checkHostMemory(layout.machines, { totalMemoryBytes: totalMb * 1024 * 1024 }),
    ).toBeUndefined();
  });

  it('warns with the numbers and a way out when they do not', () => {
    const warning = checkHostMemory(layout.machines, { totalMemoryBytes: 8 * GIB });
    expect(warning).toEqual({
      severity: 'warning',
      code: MEMORY_OVERCOMMIT_CODE,
      message: "The 9 machines need 13.5 GiB of memory, more than the host's 8.0 GiB",
      hint: expect.stringContaining('co-locate etcd with the controllers'),
    });
  });

  it("reads the host's memory when not told", () => {
    expect(checkHostMemory([{ memoryMb: 1 }])).toBeUndefined();
    expect(checkHostMemory([{ memoryMb: 1024 * 1024 * 1024 }])?.code).toBe(MEMORY_OVERCOMMIT_CODE);
  });
});
