import { type ClusterSpec, fewestWorkers } from '../spec/index.js';
import { cidrOf } from './cidr-of.js';
import type { Machine, MachineRole, MachineSet } from './cluster-model.js';
import { ownershipLabels, ROLE_LABEL, ROLE_WORDS } from './labels.js';
import { resourceName } from './names.js';
import { vagrantMachineAddress } from './vagrant-addresses.js';

/** The DNS name of etcd member `index`: `etcd-0.<domain>`. */
export function etcdDnsName(index: number, domain: string): string {
  return `etcd-${index}.${domain}`;
}

/** The zone of machine `index` when machines go round-robin over `zones`. */
function zoneFor(zones: readonly string[], index: number): string | undefined {
  return zones.length === 0 ? undefined : zones[index % zones.length];
}

/**
 * The three machine sets. etcd members are always listed (each has a name, DNS name and, on
 * GCE, a zone of its own while zones last). On GCE controllers and workers belong to managed
 * instance groups that name their instances, so none are listed; on Vagrant every machine is
 * listed with its static address (see `vagrant-addresses.ts` for the layout).
 */
export function buildMachineSets(spec: ClusterSpec): Record<MachineRole, MachineSet> {
  const { name } = spec.metadata;
  const { provider, etcd, controlPlane, workers, domain } = spec.spec;
  const zones = 'gce' in provider ? provider.gce.zones : [];
  const vagrantNetwork =
    'vagrant' in provider
      ? cidrOf(provider.vagrant.network, ['spec', 'provider', 'vagrant', 'network'])
      : undefined;
  // Only GCE has an autoscaler; Vagrant runs the minimum.
  const autoscaling =
    'min' in workers && 'gce' in provider
      ? { min: workers.min, max: workers.max, cpuTarget: workers.cpuTarget }
      : undefined;
  const counts: Record<MachineRole, number> = {
    etcd: etcd.count,
    controlPlane: controlPlane.count,
    workers: fewestWorkers(workers),
  };
  const machineSet = (role: MachineRole, machineType: string, diskSizeGb: number): MachineSet => {
    const setName = resourceName(name, ROLE_WORDS[role]);
    const count = counts[role];
    const listed = role === 'etcd' || vagrantNetwork !== undefined;
    const machines: Machine[] = [];
    for (let index = 0; listed && index < count; index++) {
      const machine: Machine = { name: resourceName(setName, String(index)), index };
      const zone = zoneFor(zones, index);
      if (zone !== undefined) machine.zone = zone;
      if (role === 'etcd') machine.dnsName = etcdDnsName(index, domain);
      if (vagrantNetwork !== undefined) {
        machine.ip = vagrantMachineAddress(vagrantNetwork, role, index);
      }
      machines.push(machine);
    }
    const set: MachineSet = {
      role,
      name: setName,
      machineType,
      diskSizeGb,
      // etcd names the zones its members use; managed groups spread over every zone.
      zones: role === 'etcd' ? [...new Set(machines.flatMap((m) => m.zone ?? []))] : [...zones],
      count,
      machines,
      labels: { ...ownershipLabels(name), [ROLE_LABEL]: ROLE_WORDS[role] },
    };
    if (role === 'workers' && autoscaling !== undefined) set.autoscaling = autoscaling;
    return set;
  };
  return {
    etcd: machineSet('etcd', etcd.machineType, etcd.diskSizeGb),
    controlPlane: machineSet('controlPlane', controlPlane.machineType, controlPlane.diskSizeGb),
    workers: machineSet('workers', workers.machineType, workers.diskSizeGb),
  };
}
