import { etcdMemberOf } from './etcd-identity.js';
import { ETCD_MEMBER_ENV } from './etcd-member-tools.js';
import { GCE_METADATA_ADDRESS } from './metadata-concealment.js';
import type { BootModule } from './module.js';
import { machinePaths } from './paths.js';

/**
 * The oneshot unit that takes the member out of the cluster now. Nothing starts it on its own:
 * on Vagrant the provider runs `systemctl start etcd-member-leave.service` on a member it is
 * about to destroy; on GCE {@link ETCD_LEAVE_WATCH_UNIT} does the same when asked.
 */
export const ETCD_LEAVE_UNIT = 'etcd-member-leave.service';

/** The GCE unit that waits for {@link ETCD_LEAVE_METADATA_KEY} and then leaves. */
export const ETCD_LEAVE_WATCH_UNIT = 'etcd-member-leave-watch.service';

/** Path of the script both units run: no argument leaves now, `--watch URL` waits first. */
export const ETCD_LEAVE_SCRIPT = `${machinePaths.hakocBin}/etcd-member-leave`;

/**
 * The instance metadata key that asks a GCE member to leave. Its value names the request; the
 * member echoes it in {@link ETCD_LEFT_GUEST_ATTRIBUTE} once it is out of the cluster.
 */
export const ETCD_LEAVE_METADATA_KEY = 'hakoc-etcd-leave';

/** The guest attribute (`namespace/key`) a GCE member writes once it left: the request's value. */
export const ETCD_LEFT_GUEST_ATTRIBUTE = 'hakoc/etcd-left';

/**
 * The guest attribute a GCE member writes when it refused to leave: `request: reason` (too few
 * healthy members would stay for a quorum, another member is still joining, no healthy peer).
 */
export const ETCD_LEAVE_REFUSED_GUEST_ATTRIBUTE = 'hakoc/etcd-leave-refused';

/** The GCE metadata server's v1 root, as the watch unit asks it. */
export const GCE_METADATA_URL = `http://${GCE_METADATA_ADDRESS}/computeMetadata/v1`;

/**
 * Takes this member out of its cluster from inside it, with its own certificate:
 *
 * 1. finds a healthy peer (a member that stays) and the member list through it; a member not
 *    listed has left already and only stops;
 * 2. refuses while another member is still to start (a join in progress) or while fewer of the
 *    members that stay are healthy than their quorum — so a removal never costs the cluster its
 *    quorum, and the last member never leaves — making `ETCD_LEAVE_ATTEMPTS` attempts, 2 s apart;
 * 3. hands leadership to a healthy member that stays if it is the leader (no election with the
 *    clients waiting);
 * 4. stops etcd (its clients fail over to other members), `member remove`s itself through
 *    the peer (or starts etcd again when that fails), disables etcd (a removed member would
 *    only crash-loop; a reboot leaves it stopped) and moves its data dir aside, so a member
 *    re-created after all on the same data disk (a fresh boot, enabled again) joins as a new
 *    member instead of starting as the removed one.
 *
 * `--watch URL` (GCE) first waits on the metadata server at URL for the instance metadata key
 * {@link ETCD_LEAVE_METADATA_KEY} (`wait_for_change`, each wait bounded), then leaves and answers
 * through a guest attribute: {@link ETCD_LEFT_GUEST_ATTRIBUTE} or
 * {@link ETCD_LEAVE_REFUSED_GUEST_ATTRIBUTE}. A refused request is tried again on the next
 * change or after the wait times out.
 */
export const ETCD_LEAVE_SCRIPT_TEXT = `#!/bin/bash
# Usage: etcd-member-leave                leave the etcd cluster now
#        etcd-member-leave --watch URL    wait for instance metadata ${ETCD_LEAVE_METADATA_KEY} at the
#                                         metadata server URL, leave, report as a guest attribute
set -euo pipefail
set -a
. "\${ETCD_MEMBER_ENV:-${ETCD_MEMBER_ENV}}"
set +a
ctl="$(dirname "$0")/etcdctl-member"
refusal=

# Lines of \`member list -w simple\`: ID, status, name, peer URLs, client URLs, is learner.
members() { "$ctl" "$1" member list -w simple; }

# The first of the comma-separated client URLs that answers healthy, or nothing. etcdctl
# prints every result on stderr once one endpoint is unhealthy, so both are read.
first_healthy() {
  "$ctl" "$1" --command-timeout=2s endpoint health 2>&1 | awk '/ is healthy: / { print $1; exit }' || true
}

# How many of the comma-separated client URLs answer healthy.
count_healthy() {
  "$ctl" "$1" --command-timeout=2s endpoint health 2>&1 | grep -c ' is healthy: ' || true
}

refuse() {
  refusal=$1
  echo "$ETCD_NAME: $1" >&2
  return 1
}

# One attempt at removing this member; sets \`refusal\` and fails when it must wait.
remove_once() {
  local peer list mine unstarted stay need up leader target
  peer=$(first_healthy "$ETCD_PEER_CLIENT_URLS")
  [[ -n $peer ]] || { refuse "no healthy peer to remove it through"; return 1; }
  list=$(members "$peer") || { refuse "no member list from $peer"; return 1; }
  mine=$(awk -F', ' -v name="$ETCD_NAME" -v url="$ETCD_PEER_URL" \\
    '$3 == name || $4 == url { print $1; exit }' <<<"$list")
  if [[ -z $mine ]]; then
    echo "$ETCD_NAME: not a member of the cluster (any more)"
    return 0
  fi
  unstarted=$(awk -F', ' '$2 == "unstarted" { print $4 }' <<<"$list")
  [[ -z $unstarted ]] || { refuse "waiting for $(paste -sd' ' - <<<"$unstarted") to start before leaving"; return 1; }
  # The first client URL of every member that stays.
  stay=$(awk -F', ' -v id="$mine" '$1 != id { split($5, urls, ","); print urls[1] }' <<<"$list" |
    paste -sd, -)
  [[ -n $stay ]] || { refuse "it is the only member: the cluster would be gone"; return 1; }
  need=$(($(tr ',' '\\n' <<<"$stay" | wc -l) / 2 + 1))
  up=$(count_healthy "$stay")
  ((up >= need)) || { refuse "only $up of the members that would stay are healthy, $need needed for their quorum"; return 1; }
  # \`endpoint status -w simple\`: endpoint, ID, version, db size, is leader, …
  leader=$("$ctl" "$ETCD_LOCAL_CLIENT_URL" endpoint status -w simple 2>/dev/null | awk -F', ' '{ print $5 }') || leader=
  if [[ $leader == true ]]; then
    target=$(first_healthy "$stay")
    target=$(awk -F', ' -v url="$target" '{ n = split($5, urls, ","); for (i = 1; i <= n; i++) if (urls[i] == url) print $1 }' <<<"$list")
    echo "$ETCD_NAME: handing leadership to $target before leaving"
    "$ctl" "$ETCD_LOCAL_CLIENT_URL" move-leader "$target" >/dev/null || { refuse "could not hand leadership to $target"; return 1; }
  fi
  # Stopped first, etcd closes its clients' connections, and a client fails over from a broken
  # connection to another member. A member removed while it still serves answers what it has
  # in flight with "raft: stopped", an error clients do not try elsewhere. Stopped, it is a
  # member that is down, which the quorum check above allowed for.
  echo "$ETCD_NAME: stopping etcd, then removing itself ($mine) through $peer; $up of the members that stay are healthy"
  systemctl stop etcd-member.service
  if ! "$ctl" "$peer" member remove "$mine" >/dev/null; then
    systemctl start etcd-member.service || true
    refuse "member remove $mine failed"
    return 1
  fi
}

# Stops etcd for good and keeps the data apart: a removed member's data only makes it crash.
stop_member() {
  systemctl disable --now etcd-member.service etcd-snapshot.timer
  if [[ -d $ETCD_DATA_DIR/member ]]; then
    rm -rf -- "$ETCD_DATA_DIR/member.left"
    mv -- "$ETCD_DATA_DIR/member" "$ETCD_DATA_DIR/member.left"
    echo "$ETCD_NAME: etcd stopped, its data moved to $ETCD_DATA_DIR/member.left"
  fi
}

# Attempts 2 s apart: a join or a restart of another member takes seconds.
leave() {
  local try
  for ((try = 1; try <= ETCD_LEAVE_ATTEMPTS; try++)); do
    if remove_once; then
      stop_member
      echo "$ETCD_NAME: left the cluster"
      return 0
    fi
    sleep 2
  done
  echo "$ETCD_NAME: did not leave: $refusal" >&2
  return 1
}

watch() {
  local url=$1 etag=NONE request
  local header='Metadata-Flavor: Google'
  report() {
    curl -fsS --max-time 10 -X PUT -H "$header" --data-binary "$2" \\
      "$url/instance/guest-attributes/$1" >/dev/null
  }
  while true; do
    request=$(curl -fsS --max-time 10 -H "$header" "$url/instance/attributes/${ETCD_LEAVE_METADATA_KEY}") || request=
    if [[ -n $request ]]; then
      echo "$ETCD_NAME: asked to leave ($request)"
      if leave; then
        report ${ETCD_LEFT_GUEST_ATTRIBUTE} "$request"
        exit 0
      fi
      report ${ETCD_LEAVE_REFUSED_GUEST_ATTRIBUTE} "$request: $refusal" || true
    fi
    # Until the instance metadata changes, 5 minutes at most; then look again.
    etag=$(curl -fsS --max-time 330 -D - -o /dev/null -H "$header" \\
      "$url/instance/attributes/?recursive=true&wait_for_change=true&timeout_sec=300&last_etag=$etag" |
      awk 'tolower($1) == "etag:" { sub(/\\r$/, "", $2); print $2 }') || { etag=NONE; sleep 5; }
    [[ -n $etag ]] || etag=NONE
  done
}

case \${1:-} in
'') leave ;;
--watch) watch "\${2:?--watch needs the metadata server URL}" ;;
*)
  echo "usage: $0 [--watch METADATA-URL]" >&2
  exit 2
  ;;
esac
`;

/**
 * How long the plain trigger may run: `ETCD_LEAVE_ATTEMPTS` (30) attempts of at most about 20 s
 * each (five etcdctl calls timing out at 2–5 s, then 2 s apart), and the stop, with room.
 */
const LEAVE_TIMEOUT_SECONDS = 900;

/**
 * How a member leaves its cluster when scaling down (see {@link ETCD_LEAVE_SCRIPT_TEXT}): the
 * oneshot {@link ETCD_LEAVE_UNIT} on every provider, and on GCE the watch unit, since nothing
 * outside the VPC reaches etcd there and the provider talks to the member through its instance
 * metadata and guest attributes instead.
 */
export const etcdMemberLeaveModule: BootModule = (model, machineSet) => {
  const { machine } = etcdMemberOf(model, machineSet);
  const leave = {
    name: ETCD_LEAVE_UNIT,
    enabled: false,
    contents: `[Unit]
Description=Take etcd member ${machine.name} out of its cluster (through a healthy peer, keeping quorum)
After=etcd-member.service

[Service]
Type=oneshot
ExecStart=${ETCD_LEAVE_SCRIPT}
TimeoutStartSec=${LEAVE_TIMEOUT_SECONDS}
`,
  };
  const watch = {
    name: ETCD_LEAVE_WATCH_UNIT,
    enabled: true,
    contents: `[Unit]
Description=Take etcd member ${machine.name} out of its cluster when instance metadata ${ETCD_LEAVE_METADATA_KEY} asks
Wants=network-online.target
After=network-online.target etcd-member.service

[Service]
ExecStart=${ETCD_LEAVE_SCRIPT} --watch ${GCE_METADATA_URL}
Restart=on-failure
RestartSec=10

[Install]
WantedBy=multi-user.target
`,
  };
  return {
    files: [{ path: ETCD_LEAVE_SCRIPT, contents: ETCD_LEAVE_SCRIPT_TEXT, mode: 0o755 }],
    units: model.provider.name === 'gce' ? [leave, watch] : [leave],
  };
};
