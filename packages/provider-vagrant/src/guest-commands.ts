import {
  API_SERVER_PORT,
  ETCD_CLIENT_PORT,
  ETCD_LEAVE_UNIT,
  ETCDCTL_MEMBER_SCRIPT,
} from '@hakoc/core';

/**
 * Shell commands the provider runs in a machine (`vagrant ssh NAME -c`), each exiting 0 only
 * when what it asks holds. Commands run as the `vagrant` user; `sudo` reads root-only keys.
 */
export const GUEST_COMMANDS: {
  /**
   * The etcd member on the machine answers healthy, with its own certificate: etcd reports a
   * member healthy only once it serves a quorum read, so it has joined a working cluster.
   */
  readonly etcdMemberHealthy: string;
  /** The API server on the machine is ready (`/readyz`, open to anonymous clients). */
  readonly apiServerReady: string;
  /**
   * The member leaves the cluster: starts its leave unit (`etcd-member-leave.service`, from
   * `@hakoc/core`) and waits for it. A healthy peer removes the member, refused while that
   * would cost the quorum or another member is still joining; then the member stops its etcd.
   */
  readonly etcdMemberLeave: string;
} = {
  etcdMemberHealthy: `sudo ${ETCDCTL_MEMBER_SCRIPT} https://127.0.0.1:${ETCD_CLIENT_PORT} endpoint health`,
  apiServerReady: `curl --fail --silent --show-error --insecure --max-time 5 https://127.0.0.1:${API_SERVER_PORT}/readyz`,
  etcdMemberLeave: `sudo systemctl start ${ETCD_LEAVE_UNIT}`,
};
