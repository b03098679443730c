import { etcdMemberOf } from './etcd-identity.js';
import {
  ETCD_JOIN_PATIENCE_SECONDS,
  ETCD_JOIN_WINDOW_SECONDS,
  ETCD_MEMBER_ENV,
} from './etcd-member-tools.js';
import type { BootModule } from './module.js';
import { machinePaths } from './paths.js';
import { TMPFILES_UNIT } from './tmpfiles.js';

/** The oneshot unit that decides how the member starts, before etcd does. */
export const ETCD_JOIN_UNIT = 'etcd-member-join.service';

/** Path of the script {@link ETCD_JOIN_UNIT} runs. */
export const ETCD_JOIN_SCRIPT = `${machinePaths.hakocBin}/etcd-member-join`;

/**
 * Decides how the member starts and writes the configuration it starts with:
 *
 * - data dir present: the member restarts as itself (etcd ignores the initial-* settings then);
 * - a peer answers healthy (the cluster has quorum, so it exists): the member joins it. An entry
 *   with its name but another ID is a replaced member's stale one and is removed first (removing
 *   before adding keeps the quorum of the cluster reachable); an unstarted entry with its peer
 *   URL (its own `member add` before a crash, or its static one in a cluster still forming) is
 *   reused. It starts with `initial-cluster-state: existing` and the current member list;
 * - no peer healthy within the window: a brand-new cluster, bootstrapped statically by its
 *   bootstrap members (see `etcd-bootstrap.ts`); any other member gives up instead.
 *
 * Every etcd call is retried a bounded number of times; the window bounds the wait for peers.
 */
export const ETCD_JOIN_SCRIPT_TEXT = `#!/bin/bash
set -euo pipefail
set -a
. "\${ETCD_MEMBER_ENV:-${ETCD_MEMBER_ENV}}"
set +a
ctl="$(dirname "$0")/etcdctl-member"

# \`retry N COMMAND…\`: up to N tries 2 s apart. A leader election, or etcd refusing a change
# until every member has been connected for 5 s (strict-reconfig-check), is no reason to stop.
retry() {
  local tries=$1 try
  shift
  for ((try = 1; try <= tries; try++)); do
    "$@" && return 0
    sleep 2
  done
  echo "$ETCD_NAME: failed $tries times: $*" >&2
  return 1
}

effective() {
  mkdir -p "\${ETCD_EFFECTIVE_CONFIG%/*}"
  cat >"$ETCD_EFFECTIVE_CONFIG.tmp"
  mv -f "$ETCD_EFFECTIVE_CONFIG.tmp" "$ETCD_EFFECTIVE_CONFIG"
}

# etcd wants its data dir 0700; a freshly made filesystem's root is 0755.
mkdir -p "$ETCD_DATA_DIR"
chmod 0700 "$ETCD_DATA_DIR"

if [[ -d $ETCD_DATA_DIR/member ]]; then
  echo "$ETCD_NAME: data dir present, restarting as the same member"
  effective <"$ETCD_CONFIG"
  exit 0
fi

# Every peer at once, 2 s at most a round: a peer that is not up (or does not exist) costs no
# more than that. etcdctl prints every result on stderr once one endpoint is unhealthy, so
# both are read. A member outside the bootstrap set never bootstraps: it waits longer.
window=$ETCD_JOIN_WINDOW_SECONDS
[[ $ETCD_BOOTSTRAP == yes ]] || window=$((window + ETCD_JOIN_PATIENCE_SECONDS))
healthy=
deadline=$((SECONDS + window))
while [[ -n $ETCD_PEER_CLIENT_URLS ]]; do
  healthy=$("$ctl" "$ETCD_PEER_CLIENT_URLS" --command-timeout=2s endpoint health 2>&1 |
    awk '/ is healthy: / { print $1; exit }') || true
  [[ -z $healthy ]] && ((SECONDS < deadline)) || break
  sleep 1
done

if [[ -z $healthy && $ETCD_BOOTSTRAP != yes ]]; then
  echo "$ETCD_NAME: no healthy peer within \${window}s, and it only joins a cluster that exists" >&2
  exit 1
fi
if [[ -z $healthy ]]; then
  echo "$ETCD_NAME: no healthy peer within \${window}s, bootstrapping a new cluster"
  effective <"$ETCD_CONFIG"
  exit 0
fi

# Lines of \`member list -w simple\`: ID, status, name, peer URLs, client URLs, is learner.
members() { "$ctl" "$healthy" member list -w simple; }
list=$(retry 10 members)
stale=$(awk -F', ' -v name="$ETCD_NAME" -v url="$ETCD_PEER_URL" \\
  '$3 == name || ($4 == url && $2 == "started") { print $1 }' <<<"$list")
for id in $stale; do
  echo "$ETCD_NAME: removing the stale member $id that had its name or peer URL"
  retry 10 "$ctl" "$healthy" member remove "$id"
done

# The unstarted entries of a member list: \`mine\` (its ID, by this member's peer URL) and
# \`others\` (their peer URLs).
unstarted() {
  mine=$(awk -F', ' -v url="$ETCD_PEER_URL" '$2 == "unstarted" && $4 == url { print $1; exit }' <<<"$1")
  others=$(awk -F', ' -v url="$ETCD_PEER_URL" '$2 == "unstarted" && $4 != url { print $4 }' <<<"$1")
}

# One member at a time: this member adds itself only while no other added member has yet to
# start. An unstarted entry with its own peer URL means it is a member already (its own add
# before a crash, or its static entry in a cluster still forming).
# etcd checks each add on its own, so two members that listed at the same moment may both be
# added: listed again after its add, a member that sees another one yet to start takes its own
# add back and tries again after a random pause. Of two adds, the one listed later sees the
# other (the lists are linearizable), so they never both go on to start.
add_alone() {
  local list mine others
  list=$(members) || return 1
  unstarted "$list"
  [[ -n $mine ]] && return 0
  if [[ -n $others ]]; then
    echo "$ETCD_NAME: waiting for" $others "to start first"
    return 1
  fi
  echo "$ETCD_NAME: adding itself to the cluster through $healthy"
  "$ctl" "$healthy" member add "$ETCD_NAME" --peer-urls="$ETCD_PEER_URL" >/dev/null || return 1
  list=$(retry 10 members) || return 1
  unstarted "$list"
  [[ -z $others ]] && return 0
  echo "$ETCD_NAME: added at the same time as" $others"; taking its own add ($mine) back"
  "$ctl" "$healthy" member remove "$mine" >/dev/null || true
  sleep $((RANDOM % 4))
  return 1
}
# Another member's join takes seconds: 60 tries (2 minutes) is generous.
retry 60 add_alone

list=$(retry 10 members)
cluster=$(awk -F', ' -v name="$ETCD_NAME" -v url="$ETCD_PEER_URL" '{
  n = split($4, urls, ",")
  for (i = 1; i <= n; i++) {
    printf "%s%s=%s", sep, (urls[i] == url ? name : $3), urls[i]
    sep = ","
  }
}' <<<"$list")
echo "$ETCD_NAME: joining the existing cluster $cluster"
sed -e "s|^initial-cluster: .*|initial-cluster: $cluster|" \\
  -e 's|^initial-cluster-state: .*|initial-cluster-state: existing|' "$ETCD_CONFIG" | effective
grep -qx 'initial-cluster-state: existing' "$ETCD_EFFECTIVE_CONFIG"
`;

/**
 * Lets a member with an empty data dir join a cluster that already exists (scale-up, or a
 * replaced member whose disk was lost) from inside the cluster, with its own certificate: on
 * GCE nothing outside the VPC reaches etcd. A brand-new cluster still bootstraps statically.
 */
export const etcdJoinModule: BootModule = (model, machineSet, artifacts) => {
  const containerised = artifacts.binaries.source !== 'image';
  const { machine } = etcdMemberOf(model, machineSet);
  const after = [TMPFILES_UNIT, ...(containerised ? ['containerd.service'] : [])].join(' ');
  return {
    files: [{ path: ETCD_JOIN_SCRIPT, contents: ETCD_JOIN_SCRIPT_TEXT, mode: 0o755 }],
    units: [
      {
        name: ETCD_JOIN_UNIT,
        // Started through etcd-member.service's Requires=, never on its own.
        enabled: false,
        contents: `[Unit]
Description=Decide how etcd member ${machine.name} starts: restart, join the cluster or bootstrap it
Wants=network-online.target
After=network-online.target ${after}
Requires=${after}
RequiresMountsFor=${machinePaths.etcdData}
Before=etcd-member.service

[Service]
Type=oneshot
RemainAfterExit=yes
${containerised ? `ExecStartPre=/usr/bin/ctr --namespace hakoc image pull ${artifacts.images.etcd}\n` : ''}ExecStart=${ETCD_JOIN_SCRIPT}
TimeoutStartSec=${ETCD_JOIN_WINDOW_SECONDS + ETCD_JOIN_PATIENCE_SECONDS + 180}
`,
      },
    ],
  };
};
