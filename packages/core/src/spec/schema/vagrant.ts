import * as z from 'zod';
import { schemaFor } from './schema-for.js';

/** `spec.provider.vagrant`: the same cluster as local virtual machines. */
export interface VagrantSpec {
  /**
   * IPv4 CIDR of the private network the machines and the load balancer share.
   * @default '192.168.56.0/24'
   */
  network: string;
  /**
   * Vagrant box every machine boots.
   * @default 'flatcar-stable'
   */
  box: string;
  /**
   * Vagrant provider that runs the machines.
   * @default 'virtualbox'
   */
  hypervisor: 'virtualbox' | 'libvirt';
}

/** The schema of {@link VagrantSpec}. */
export const vagrantSchema = schemaFor<VagrantSpec>()(
  z
    .strictObject({
      network: z
        .string()
        .default('192.168.56.0/24')
        .describe(
          'IPv4 CIDR of the private network the machines and the load balancer share. VirtualBox only allows 192.168.56.0/21 unless /etc/vbox/networks.conf says otherwise.',
        ),
      box: z.string().min(1).default('flatcar-stable').describe('Vagrant box every machine boots.'),
      hypervisor: z
        .enum(['virtualbox', 'libvirt'])
        .default('virtualbox')
        .describe('Vagrant provider that runs the machines.'),
    })
    .describe('Run the cluster on local virtual machines with Vagrant.'),
);
