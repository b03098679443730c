import type {
  AccessSpec,
  EtcdSnapshotSpec,
  GceSpec,
  ImageSpec,
  KeyStoreSpec,
  KubernetesSpec,
  PkiSpec,
  VagrantSpec,
} from '../spec/index.js';

/** The three kinds of machine a cluster has. */
export type MachineRole = 'etcd' | 'controlPlane' | 'workers';

/** A cluster on Google Compute Engine, with its GCE settings. */
export interface GceProviderModel extends GceSpec {
  /** The provider's name. */
  name: 'gce';
}

/** A cluster on Vagrant, with its Vagrant settings. */
export interface VagrantProviderModel extends VagrantSpec {
  /** The provider's name. */
  name: 'vagrant';
}

/** The provider a cluster runs on, with its settings; switch on `name`. */
export type ProviderModel = GceProviderModel | VagrantProviderModel;

/** The operating system image, and where Kubernetes binaries come from. */
export interface ImageModel extends ImageSpec {
  /**
   * `image` when a pre-built image carries them in `/opt/kubernetes`; `download` when first
   * boot fetches pinned, checksummed releases.
   */
  kubernetesBinaries: 'image' | 'download';
}

/** One machine the model knows individually (etcd members always; every machine on Vagrant). */
export interface Machine {
  /** Instance or VM name, also its hostname: `demo-etcd-0`. */
  name: string;
  /** Position within its machine set, from 0. */
  index: number;
  /** The zone it runs in (GCE only). */
  zone?: string;
  /** Its DNS name, `etcd-0.<domain>` for etcd members. */
  dnsName?: string;
  /** Its static private address (Vagrant only; GCE assigns internal IPs). */
  ip?: string;
}

/** The bounds of an autoscaled machine set. */
export interface Autoscaling {
  /** Fewest machines. */
  min: number;
  /** Most machines. */
  max: number;
  /** Average CPU utilisation (0 to 1) the autoscaler aims for. */
  cpuTarget: number;
}

/** A group of identical machines with one role. */
export interface MachineSet {
  /** What the machines do. */
  role: MachineRole;
  /** GCE-valid name of the set (group, template prefix): `demo-etcd`, `demo-controller`. */
  name: string;
  /** Compute Engine machine type; Vagrant sizes its VMs from it. */
  machineType: string;
  /** Boot disk size in GB. */
  diskSizeGb: number;
  /** Zones the set spreads over, in spec order (empty on Vagrant). */
  zones: string[];
  /** Machines started: the fixed count, or the autoscaling minimum. */
  count: number;
  /** Present when the platform scales the set (GCE workers with min/max). */
  autoscaling?: Autoscaling;
  /** Machines known individually; empty where a managed instance group names them. */
  machines: Machine[];
  /** Labels on every resource of the set: ownership plus `hakoc-role`. */
  labels: Record<string, string>;
}

/** The address plan of the cluster. */
export interface NetworkPlan {
  /** Subnet of the machines (GCE). */
  nodeCidr: string;
  /** Range pods take addresses from. */
  podCidr: string;
  /** Prefix length of the pod subnet each node gets out of `podCidr`. */
  podSubnetPrefixLength: number;
  /** Range of service cluster IPs. */
  serviceCidr: string;
  /** The `kubernetes` service address: the first address of `serviceCidr`. */
  apiServiceIp: string;
  /** The cluster DNS service address: the tenth address of `serviceCidr`. */
  clusterDnsIp: string;
  /** The Vagrant private network and its fixed addresses (Vagrant only). */
  privateNetwork?: {
    /** The network, as in the spec. */
    cidr: string;
    /** The host's own address on it. */
    hostIp: string;
    /** The HAProxy load balancer in front of the API servers. */
    loadBalancerIp: string;
  };
}

/** One etcd member as its peers and clients reach it. */
export interface EtcdMemberEndpoint {
  /** Member name, the machine name: `demo-etcd-0`. */
  name: string;
  /** `etcd-0.<domain>`. */
  dnsName: string;
  /** Peer URL (port 2380): by DNS name on GCE, by IP on Vagrant. */
  peerUrl: string;
  /** Client URL (port 2379): by DNS name on GCE, by IP on Vagrant. */
  clientUrl: string;
}

/** Where the cluster's services answer. */
export interface ClusterEndpoints {
  /** DNS name of the API load balancer: `api.<domain>`. */
  api: string;
  /** Port of the API server and its load balancer. */
  apiPort: number;
  /** `https://api.<domain>:6443`. */
  apiUrl: string;
  /** The etcd cluster. */
  etcd: {
    /** Every member, in index order. */
    members: EtcdMemberEndpoint[];
    /** Client URLs of all members, for `--etcd-servers`. */
    clientUrls: string[];
    /** The static `--initial-cluster` value: `name=peerUrl,...`. */
    initialCluster: string;
    /** The `--initial-cluster-token`, derived from the cluster name. */
    initialClusterToken: string;
  };
}

/**
 * Everything derived from a spec that later stages need: machine sets, addresses, endpoints
 * and ownership labels. Built by `buildClusterModel`, never written by users.
 */
export interface ClusterModel {
  /** The cluster name. */
  name: string;
  /** The cluster DNS domain. */
  domain: string;
  /** Where it runs. */
  provider: ProviderModel;
  /** Kubernetes release and in-cluster DNS suffix. */
  kubernetes: KubernetesSpec;
  /** Operating system image. */
  image: ImageModel;
  /** Labels marking every resource as this cluster's: `hakoc-cluster`, `hakoc-managed`. */
  labels: Record<string, string>;
  /** Firewall source ranges. */
  access: AccessSpec;
  /** Certificate settings. */
  pki: PkiSpec;
  /** Where private keys are stored, directory resolved. */
  keyStore: KeyStoreSpec;
  /** Machine sets by role. */
  machineSets: Record<MachineRole, MachineSet>;
  /** Address plan. */
  network: NetworkPlan;
  /** Service endpoints. */
  endpoints: ClusterEndpoints;
  /** How often etcd members snapshot their database and how many snapshots they keep. */
  etcdSnapshots: EtcdSnapshotSpec;
}
