import type { BootModule } from './module.js';
import { machinePaths } from './paths.js';

/**
 * The etcd data disk as the machine sees it on GCE: the provider attaches it with the device
 * name `etcd-data` (provider-gce `resources/etcd-member.ts`), which the guest environment
 * links under `/dev/disk/by-id/google-<device name>`.
 */
export const ETCD_DATA_DISK_PATH = '/dev/disk/by-id/google-etcd-data';

/** The unit that puts a filesystem on a blank data disk. */
export const ETCD_DATA_FORMAT_UNIT = 'etcd-data-format.service';

/** The mount unit of the data disk on the data dir (systemd names it after the path). */
export const ETCD_DATA_MOUNT_UNIT = 'var-lib-etcd.mount';

/** Path of the script {@link ETCD_DATA_FORMAT_UNIT} runs. */
export const ETCD_DATA_FORMAT_SCRIPT = `${machinePaths.hakocBin}/etcd-data-format`;

/**
 * Makes an ext4 filesystem on the data disk only when it has none: a disk that kept a member's
 * data across re-creation must never be formatted again. `blkid -p` exits 2 when it finds no
 * signature at all; any other failure stops the boot of etcd rather than risk the data.
 */
export const ETCD_DATA_FORMAT_SCRIPT_TEXT = `#!/bin/bash
# Usage: etcd-data-format DEVICE
set -euo pipefail
device=$1
# The disk may appear a little after boot: wait for it, 60 s at most.
for ((second = 0; second < 60; second++)); do
  [[ -e $device ]] && break
  sleep 1
done
if [[ ! -e $device ]]; then
  echo "no $device after 60 s: is the data disk attached?" >&2
  exit 1
fi
status=0
blkid -p "$device" >/dev/null || status=$?
case $status in
0) echo "$device has a filesystem: kept" ;;
2)
  echo "$device is blank: making an ext4 filesystem"
  mkfs.ext4 -q -L etcd-data "$device"
  ;;
*)
  echo "blkid could not read $device (status $status): not formatting it" >&2
  exit 1
  ;;
esac
`;

/**
 * Puts etcd's data dir on the member's own data disk on GCE, which the stateful group keeps
 * across re-creation (with its name and address): formatted once, then mounted before the
 * join unit and etcd, which ask for it with `RequiresMountsFor=`. Vagrant VMs keep their one
 * disk; nothing to do there.
 */
export const etcdDataDiskModule: BootModule = (model) => {
  if (model.provider.name !== 'gce') return {};
  return {
    files: [{ path: ETCD_DATA_FORMAT_SCRIPT, contents: ETCD_DATA_FORMAT_SCRIPT_TEXT, mode: 0o755 }],
    units: [
      {
        name: ETCD_DATA_FORMAT_UNIT,
        enabled: false,
        contents: `[Unit]
Description=Make a filesystem on the etcd data disk unless it has one
DefaultDependencies=no
Before=${ETCD_DATA_MOUNT_UNIT}

[Service]
Type=oneshot
RemainAfterExit=yes
ExecStart=${ETCD_DATA_FORMAT_SCRIPT} ${ETCD_DATA_DISK_PATH}
TimeoutStartSec=300
`,
      },
      {
        name: ETCD_DATA_MOUNT_UNIT,
        enabled: false,
        contents: `[Unit]
Description=etcd data disk on ${machinePaths.etcdData}
Requires=${ETCD_DATA_FORMAT_UNIT}
After=${ETCD_DATA_FORMAT_UNIT}

[Mount]
What=${ETCD_DATA_DISK_PATH}
Where=${machinePaths.etcdData}
Type=ext4
Options=defaults,noatime
`,
      },
    ],
  };
};
