/** What a Vagrant machine does in the cluster. */
export type VagrantRole = 'etcd' | 'controlPlane' | 'worker' | 'loadBalancer';

/** A further name and address a machine answers to on the private network. */
export interface VagrantAddress {
  /** The name other machines reach the address by (`/etc/hosts`), for example an etcd member's. */
  readonly name: string;
  /** Static IPv4 address on the private network. */
  readonly ip: string;
}

/** One virtual machine of the cluster. */
export interface VagrantMachine {
  /** Machine name; also its hostname, its `/etc/hosts` name and Vagrant's machine name. */
  readonly name: string;
  /** What the machine does. */
  readonly role: VagrantRole;
  /** Static IPv4 address on the private network; cluster traffic uses it, never the NAT one. */
  readonly ip: string;
  /**
   * Further addresses on the private network, each on an interface of its own: the address of
   * an etcd member co-located on a controller, so the member keeps the address its certificates
   * and its peers name. @default []
   */
  readonly extraAddresses?: readonly VagrantAddress[];
  /** Memory in MiB. */
  readonly memoryMb: number;
  /** Virtual CPUs. */
  readonly cpus: number;
  /**
   * File name (no directory) of the machine's cloud-config, beside the Vagrantfile.
   * Without it the machine boots the plain box.
   */
  readonly userData?: string;
}

/** An API server the load balancer forwards port 6443 to. */
export interface VagrantApiServer {
  /** The machine name of the API server. */
  readonly name: string;
  /** Its address on the private network. */
  readonly ip: string;
}

/** Everything the Vagrant project of one cluster is rendered from. */
export interface VagrantClusterLayout {
  /** Cluster name; prefixes the VM names the hypervisor shows. */
  readonly clusterName: string;
  /** The Vagrant box every machine boots, for example `flatcar-stable`. */
  readonly box: string;
  /** The Vagrant provider used unless `VAGRANT_DEFAULT_PROVIDER` says otherwise. */
  readonly hypervisor: 'virtualbox' | 'libvirt';
  /** IPv4 CIDR of the private network every machine is on, for example `192.168.56.0/24`. */
  readonly network: string;
  /** Every machine, load balancer included, in the order Vagrant should bring them up. */
  readonly machines: readonly VagrantMachine[];
  /** The API servers the load balancer sends port 6443 to. */
  readonly apiServers: readonly VagrantApiServer[];
}
