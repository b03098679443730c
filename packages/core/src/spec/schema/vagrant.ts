import * as z from 'zod';

/** `spec.provider.vagrant`: the same cluster as local virtual machines. */
export const vagrantSchema = z
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
  .describe('Run the cluster on local virtual machines with Vagrant.');

/** The parsed `spec.provider.vagrant` section. */
export type VagrantSpec = z.output<typeof vagrantSchema>;
