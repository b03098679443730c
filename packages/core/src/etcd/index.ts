export {
  callEtcdGateway,
  type EtcdClientTls,
  type EtcdEndpointOptions,
  postToEtcdGateway,
} from './gateway.js';
export {
  type EtcdMember,
  listEtcdMembers,
  type RemoveEtcdMemberOptions,
  removeEtcdMember,
} from './members.js';
export {
  type EtcdRestoreMember,
  etcdRestoreArguments,
  etcdRestoreMembers,
  type RestoreEtcdMemberOptions,
  restoreEtcdMember,
} from './restore.js';
export {
  type EtcdSnapshotEvent,
  type EtcdSnapshotFile,
  type SaveEtcdSnapshotOptions,
  saveEtcdSnapshot,
} from './snapshot.js';
