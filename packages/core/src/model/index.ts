export { buildClusterModel } from './build.js';
export type {
  Autoscaling,
  ClusterEndpoints,
  ClusterModel,
  EtcdMemberEndpoint,
  GceProviderModel,
  ImageModel,
  Machine,
  MachineRole,
  MachineSet,
  NetworkPlan,
  ProviderModel,
  VagrantProviderModel,
} from './cluster-model.js';
export {
  API_SERVER_PORT,
  apiDnsName,
  ETCD_CLIENT_PORT,
  ETCD_PEER_PORT,
} from './endpoints.js';
export { ownershipLabels, ROLE_LABEL, ROLE_WORDS } from './labels.js';
export { etcdDnsName } from './machine-sets.js';
export {
  GCE_NAME_MAX_LENGTH,
  GCE_NAME_PATTERN,
  MAX_CLUSTER_NAME_LENGTH,
  RESOURCE_NAME_INVALID,
  RESOURCE_NAME_SUFFIX_BUDGET,
  resourceName,
} from './names.js';
export {
  VAGRANT_CONTROLLER_OFFSET,
  VAGRANT_ETCD_OFFSET,
  VAGRANT_HOST_OFFSET,
  VAGRANT_LOAD_BALANCER_OFFSET,
  VAGRANT_ROLE_BLOCKS,
  VAGRANT_WORKER_OFFSET,
  vagrantRoleCapacity,
} from './vagrant-addresses.js';
