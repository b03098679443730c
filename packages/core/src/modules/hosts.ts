import type { ClusterModel } from '../model/index.js';
import type { BootModule } from './module.js';

/**
 * `/etc/hosts` for Vagrant, which has no DNS of its own: the API name at the HAProxy load
 * balancer, every machine by name and the etcd members by their `etcd-N.<domain>` names too.
 * On GCE, Cloud DNS serves the same names and nothing is written.
 */
export function vagrantHosts(model: ClusterModel): string | undefined {
  const lb = model.network.privateNetwork?.loadBalancerIp;
  if (lb === undefined) return undefined;
  const lines = ['127.0.0.1 localhost', '::1 localhost', `${lb} ${model.endpoints.api}`];
  for (const set of [
    model.machineSets.etcd,
    model.machineSets.controlPlane,
    model.machineSets.workers,
  ]) {
    for (const machine of set.machines) {
      if (machine.ip === undefined) continue;
      const names = [machine.name, ...(machine.dnsName === undefined ? [] : [machine.dnsName])];
      lines.push(`${machine.ip} ${names.join(' ')}`);
    }
  }
  return `# Written by hakoc: the cluster's names on the Vagrant private network.\n${lines.join('\n')}\n`;
}

/** Cluster names for machines on Vagrant; nothing on GCE. */
export const hostsModule: BootModule = (model) => {
  const hosts = vagrantHosts(model);
  return hosts === undefined
    ? {}
    : { files: [{ path: '/etc/hosts', contents: hosts, mode: 0o644 }] };
};
