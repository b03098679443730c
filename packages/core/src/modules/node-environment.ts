import type { ClusterModel } from '../model/index.js';
import type { BootModule } from './module.js';
import { machinePaths } from './paths.js';

/** The unit that writes {@link machinePaths.nodeEnvironment}; node services require it. */
export const NODE_ENVIRONMENT_UNIT = 'hakoc-node-environment.service';

/** Path of the script that finds the node's address. */
export const NODE_ENVIRONMENT_SCRIPT = `${machinePaths.hakocBin}/node-environment`;

/**
 * The network the node's Kubernetes address must lie in: the Vagrant private network (never the
 * NAT interface eth0 at 10.0.2.15, which every VM shares), or the GCE subnet.
 */
export function nodeNetworkCidr(model: ClusterModel): string {
  return model.network.privateNetwork?.cidr ?? model.network.nodeCidr;
}

/**
 * Picks the interface holding an IPv4 address inside CIDR, waiting (bounded) because Vagrant
 * configures its private network over SSH after boot. Writes NODE_IP, NODE_INTERFACE and
 * NODE_NAME (the short host name, which is also the kubelet's node name) to OUT.
 */
export const NODE_ENVIRONMENT_SCRIPT_TEXT = `#!/bin/bash
# Usage: node-environment CIDR OUT [ATTEMPTS]
set -euo pipefail
cidr=$1 out=$2 attempts=\${3:-90}
to_int() { local IFS=.; local a b c d; read -r a b c d <<<"$1"; echo $(( (a << 24) | (b << 16) | (c << 8) | d )); }
bits=\${cidr#*/}
mask=$(( bits == 0 ? 0 : (0xffffffff << (32 - bits)) & 0xffffffff ))
want=$(( $(to_int "\${cidr%/*}") & mask ))
host=$(uname -n)
host=\${host%%.*}
for ((attempt = 1; attempt <= attempts; attempt++)); do
  while read -r _ ifname _ address _; do
    ip=\${address%/*}
    if (( ($(to_int "$ip") & mask) == want )); then
      mkdir -p "$(dirname "$out")"
      printf 'NODE_IP=%s\\nNODE_INTERFACE=%s\\nNODE_NAME=%s\\n' "$ip" "$ifname" "\${host,,}" >"$out.tmp"
      mv "$out.tmp" "$out"
      exit 0
    fi
  done < <(ip -4 -o address show scope global)
  sleep 2
done
echo "no interface has an IPv4 address in $cidr" >&2
exit 1
`;

/** Finds the node's address on the right interface before kubelet and the static pods need it. */
export const nodeEnvironmentModule: BootModule = (model) => ({
  files: [{ path: NODE_ENVIRONMENT_SCRIPT, contents: NODE_ENVIRONMENT_SCRIPT_TEXT, mode: 0o755 }],
  units: [
    {
      name: NODE_ENVIRONMENT_UNIT,
      enabled: true,
      contents: `[Unit]
Description=Find this node's address in ${nodeNetworkCidr(model)} (never the NAT interface)
Wants=network-online.target
After=network-online.target

[Service]
Type=oneshot
RemainAfterExit=yes
# Bounded: 90 attempts two seconds apart, then the unit fails and so do the node services.
ExecStart=${NODE_ENVIRONMENT_SCRIPT} ${nodeNetworkCidr(model)} ${machinePaths.nodeEnvironment} 90
TimeoutStartSec=300

[Install]
WantedBy=multi-user.target
`,
    },
  ],
});
