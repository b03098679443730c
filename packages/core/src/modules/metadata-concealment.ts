import type { BootModule } from './module.js';
import { machinePaths } from './paths.js';

/** The GCE metadata server: the instance's user-data and its service account's tokens. */
export const GCE_METADATA_ADDRESS = '169.254.169.254';

/** The unit that installs the rules, before the kubelet starts any pod. */
export const METADATA_CONCEALMENT_UNIT = 'hakoc-metadata-concealment.service';

/** Path of the script that installs the rules. */
export const METADATA_CONCEALMENT_SCRIPT = `${machinePaths.hakocBin}/metadata-concealment`;

/** The iptables chain pod traffic to the metadata server is sent through. */
export const METADATA_CONCEALMENT_CHAIN = 'HAKOC-METADATA';

/**
 * Drops what pods send to the metadata server, DNS excepted: on GCE the same address is the
 * VPC's resolver, and CoreDNS forwards to it. Pods reach anything off the node through the cni0
 * bridge and forwarding, so the FORWARD chain sees every such packet; traffic of the node itself
 * (and of host-network pods, which are the node's) is left alone. Safe to run again: the chain
 * is rebuilt and the jump added once.
 */
export const METADATA_CONCEALMENT_SCRIPT_TEXT = `#!/bin/bash
# Usage: metadata-concealment POD_CIDR
set -euo pipefail
pods=$1 metadata=${GCE_METADATA_ADDRESS}/32 chain=${METADATA_CONCEALMENT_CHAIN}
iptables -w -N "$chain" 2>/dev/null || iptables -w -F "$chain"
iptables -w -A "$chain" -p udp --dport 53 -j RETURN
iptables -w -A "$chain" -p tcp --dport 53 -j RETURN
iptables -w -A "$chain" -j DROP
# First in FORWARD, ahead of flannel's accept for pod traffic. The jumps kube-proxy puts above
# it later accept only packets of connections already allowed, or service traffic it marked.
if ! iptables -w -C FORWARD -s "$pods" -d "$metadata" -j "$chain" 2>/dev/null; then
  iptables -w -I FORWARD 1 -s "$pods" -d "$metadata" -j "$chain"
fi
`;

/**
 * Keeps pods away from the GCE metadata server on machines that run pods (controllers and
 * workers): a oneshot unit the kubelet requires installs the rules before any pod starts, so
 * a failure to install them keeps the node's pods from running at all. Nothing on Vagrant,
 * which has no metadata server.
 */
export const metadataConcealmentModule: BootModule = (model) => {
  if (model.provider.name !== 'gce') return {};
  const podCidr = model.network.podCidr;
  return {
    files: [
      {
        path: METADATA_CONCEALMENT_SCRIPT,
        contents: METADATA_CONCEALMENT_SCRIPT_TEXT,
        mode: 0o755,
      },
    ],
    units: [
      {
        name: METADATA_CONCEALMENT_UNIT,
        enabled: true,
        contents: `[Unit]
Description=Keep pods in ${podCidr} away from the GCE metadata server (user-data, tokens)
Before=kubelet.service

[Service]
Type=oneshot
RemainAfterExit=yes
ExecStart=${METADATA_CONCEALMENT_SCRIPT} ${podCidr}

[Install]
WantedBy=multi-user.target
RequiredBy=kubelet.service
`,
      },
    ],
  };
};
