import { etcdMemberOf } from './etcd-identity.js';
import { ETCD_MEMBER_ENV, ETCD_SNAPSHOT_DIR } from './etcd-member-tools.js';
import type { BootModule } from './module.js';
import { machinePaths } from './paths.js';

/** The oneshot unit that saves one snapshot of the member's database. */
export const ETCD_SNAPSHOT_UNIT = 'etcd-snapshot.service';

/** The timer that starts {@link ETCD_SNAPSHOT_UNIT} every `spec.etcd.snapshots.intervalMinutes`. */
export const ETCD_SNAPSHOT_TIMER = 'etcd-snapshot.timer';

/** Path of the script {@link ETCD_SNAPSHOT_UNIT} runs. */
export const ETCD_SNAPSHOT_SCRIPT = `${machinePaths.hakocBin}/etcd-snapshot`;

/**
 * Saves a snapshot of the member's own database through its loopback client listener and keeps
 * the newest `ETCD_SNAPSHOT_RETAIN`. Names carry the UTC time, so they sort by age; etcdctl
 * writes `NAME.part` and renames it, so a listed `.db` is always complete.
 */
export const ETCD_SNAPSHOT_SCRIPT_TEXT = `#!/bin/bash
set -euo pipefail
set -a
. "\${ETCD_MEMBER_ENV:-${ETCD_MEMBER_ENV}}"
set +a
ctl="$(dirname "$0")/etcdctl-member"
mkdir -p -m 0700 "$ETCD_SNAPSHOT_DIR"
# A .part left by a save that crashed (this unit never runs twice at once).
rm -f -- "$ETCD_SNAPSHOT_DIR"/*.part
file="$ETCD_SNAPSHOT_DIR/$ETCD_NAME-$(date -u +%Y%m%dT%H%M%S.%NZ).db"
"$ctl" "$ETCD_LOCAL_CLIENT_URL" snapshot save "$file" >/dev/null
chmod 0600 "$file"
echo "saved $file ($(stat -c %s "$file") bytes)"
find "$ETCD_SNAPSHOT_DIR" -maxdepth 1 -name "$ETCD_NAME-*.db" -printf '%f\\n' | sort -r |
  tail -n +$((ETCD_SNAPSHOT_RETAIN + 1)) | while read -r old; do
  rm -f -- "\${ETCD_SNAPSHOT_DIR:?}/$old"
  echo "deleted $old (keeping $ETCD_SNAPSHOT_RETAIN)"
done
`;

/**
 * Periodic snapshots of the member's database on its data disk, so a member's disk alone can
 * rebuild the cluster (see the restore procedure in `etcd/restore.ts`).
 */
export const etcdSnapshotsModule: BootModule = (model, machineSet) => {
  const { machine } = etcdMemberOf(model, machineSet);
  const { intervalMinutes, retain } = model.etcdSnapshots;
  return {
    files: [{ path: ETCD_SNAPSHOT_SCRIPT, contents: ETCD_SNAPSHOT_SCRIPT_TEXT, mode: 0o755 }],
    units: [
      {
        name: ETCD_SNAPSHOT_UNIT,
        enabled: false,
        contents: `[Unit]
Description=Snapshot of etcd member ${machine.name} to ${ETCD_SNAPSHOT_DIR} (the newest ${retain} kept)
After=etcd-member.service
Requisite=etcd-member.service

[Service]
Type=oneshot
ExecStart=${ETCD_SNAPSHOT_SCRIPT}
TimeoutStartSec=600
`,
      },
      {
        name: ETCD_SNAPSHOT_TIMER,
        enabled: true,
        contents: `[Unit]
Description=Snapshot etcd member ${machine.name} every ${intervalMinutes} minutes

[Timer]
OnBootSec=${intervalMinutes}min
OnUnitActiveSec=${intervalMinutes}min
RandomizedDelaySec=60

[Install]
WantedBy=timers.target
`,
      },
    ],
  };
};
