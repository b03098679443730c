import { type ClusterModel, composeBootConfig, renderIgnition } from '@hakoc/core';
import type { GceBootConfigs } from '@hakoc/provider-gce';

/**
 * The boot configs `hakoc plan|apply` give the GCE provider: the one place that decides what
 * machines boot with, so the full configs from `renderCluster` (certificates, etcd, kubelet,
 * control plane) replace this function alone. Until then each machine gets a minimal, valid
 * Ignition config naming its cluster, role and (etcd) member: the machines, groups, network,
 * load balancer and DNS are real, the Kubernetes payload is not there yet.
 */
export function bootConfigsFor(model: ClusterModel): GceBootConfigs {
  const config = (role: string, member?: string) =>
    renderIgnition(
      composeBootConfig([
        {
          module: 'hakoc-identity',
          part: {
            files: [
              {
                path: '/etc/hakoc/identity',
                contents: `cluster=${model.name}\nrole=${role}\n${member === undefined ? '' : `member=${member}\n`}`,
                mode: 0o644,
              },
            ],
          },
        },
      ]),
    );
  return {
    etcd: Object.fromEntries(
      model.machineSets.etcd.machines.map((machine) => [
        machine.name,
        config('etcd', machine.name),
      ]),
    ),
    controlPlane: config('controller'),
    workers: config('worker'),
  };
}
