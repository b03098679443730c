import type {
  VagrantClusterLayout,
  VagrantMachine,
  VagrantProjectFiles,
} from '@hakoc/provider-vagrant';

/** Machine counts of a sample cluster. */
export interface SampleCounts {
  readonly etcd: number;
  readonly controllers: number;
  readonly workers: number;
}

/**
 * A layout shaped the way the cluster model lays out the Vagrant network: the host at .1, the
 * load balancer at .2, then etcd members, controllers and workers from .3 on. Every machine but
 * the load balancer has a user-data file.
 */
export function sampleLayout(counts: SampleCounts = { etcd: 3, controllers: 3, workers: 2 }): {
  layout: VagrantClusterLayout;
  files: VagrantProjectFiles;
} {
  const machines: VagrantMachine[] = [
    { name: 'lb', role: 'loadBalancer', ip: '192.168.56.2', memoryMb: 512, cpus: 1 },
  ];
  let host = 3;
  const add = (prefix: string, role: VagrantMachine['role'], count: number, memoryMb: number) => {
    for (let index = 0; index < count; index += 1) {
      const name = `${prefix}-${index}`;
      machines.push({
        name,
        role,
        ip: `192.168.56.${host}`,
        memoryMb,
        cpus: 2,
        userData: `user-data-${name}`,
      });
      host += 1;
    }
  };
  add('etcd', 'etcd', counts.etcd, 1024);
  add('controller', 'controlPlane', counts.controllers, 2048);
  add('worker', 'worker', counts.workers, 2048);
  const files: Record<string, string> = {};
  for (const machine of machines) {
    if (machine.userData !== undefined)
      files[machine.userData] = `#cloud-config\nhostname: ${machine.name}\n`;
  }
  return {
    layout: {
      clusterName: 'demo',
      box: 'flatcar-stable',
      hypervisor: 'virtualbox',
      network: '192.168.56.0/24',
      machines,
      apiServers: machines
        .filter((machine) => machine.role === 'controlPlane')
        .map(({ name, ip }) => ({ name, ip })),
    },
    files,
  };
}
