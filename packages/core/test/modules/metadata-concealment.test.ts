import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import {
  componentImagesFor,
  METADATA_CONCEALMENT_CHAIN,
  METADATA_CONCEALMENT_SCRIPT,
  METADATA_CONCEALMENT_SCRIPT_TEXT,
  METADATA_CONCEALMENT_UNIT,
  type ModuleArtifacts,
  roleBootConfig,
} from '@hakoc/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { exampleModel, pkiFor } from '../render/fixtures.js';
import { requireTool } from '../support/real-tools.js';

const gce = exampleModel('gce');
const vagrant = exampleModel('vagrant');
let artifacts: ModuleArtifacts;
beforeAll(async () => {
  artifacts = {
    pki: await pkiFor(gce),
    binaries: { source: 'image' },
    images: componentImagesFor(gce, {}),
  };
});

describe('metadata concealment', () => {
  it('is on GCE machines that run pods, required by their kubelet, and nowhere else', () => {
    for (const set of [gce.machineSets.controlPlane, gce.machineSets.workers]) {
      const config = roleBootConfig(gce, set, artifacts);
      const unit = config.units.find((u) => u.name === METADATA_CONCEALMENT_UNIT);
      expect(unit?.enabled).toBe(true);
      expect(unit?.contents).toMatch(/^Before=kubelet\.service$/m);
      expect(unit?.contents).toMatch(/^RequiredBy=kubelet\.service$/m);
      expect(unit?.contents).toContain(
        `ExecStart=${METADATA_CONCEALMENT_SCRIPT} ${gce.network.podCidr}`,
      );
      expect(config.files.map((f) => f.path)).toContain(METADATA_CONCEALMENT_SCRIPT);
    }
    const etcd = { ...gce.machineSets.etcd, machines: gce.machineSets.etcd.machines.slice(0, 1) };
    const elsewhere = [
      roleBootConfig(gce, etcd, artifacts),
      roleBootConfig(vagrant, vagrant.machineSets.workers, artifacts),
      roleBootConfig(vagrant, vagrant.machineSets.controlPlane, artifacts),
    ];
    for (const config of elsewhere) {
      expect(config.units.map((u) => u.name)).not.toContain(METADATA_CONCEALMENT_UNIT);
    }
  });
});

// The script run for real: iptables in a network namespace of a user namespace (no privileges
// needed), a "pod" namespace behind a veth pair as flannel's cni0 would be, and the metadata
// address routed out of the node. Packet counters say what was dropped and what went on.
describe('the metadata-concealment script', () => {
  const [iptables, unshare] = ['iptables', 'unshare', 'nsenter', 'ip'].map(requireTool);

  const scenario = `
set -euo pipefail
script=$1
echo 1 > /proc/sys/net/ipv4/ip_forward
ip link set lo up
unshare --net sleep 60 & pod=$!
trap 'kill $pod' EXIT
for _ in $(seq 50); do [ "$(readlink /proc/$pod/ns/net)" != "$(readlink /proc/self/ns/net)" ] && break; sleep 0.1; done
ip link add name cni0 type veth peer name eth0-pod
ip link set eth0-pod netns "$pod"
ip addr add 10.2.0.1/24 dev cni0 && ip link set cni0 up
nsenter -t "$pod" -n sh -c 'ip link set lo up; ip addr add 10.2.0.5/24 dev eth0-pod; ip link set eth0-pod up; ip route add default via 10.2.0.1'
ip link add name uplink type veth peer name uplink-peer
ip link set uplink up && ip link set uplink-peer up
ip route add 169.254.169.254/32 dev uplink && ip route add 169.254.169.253/32 dev uplink
# flannel's accept for pod traffic, already there: the script must go ahead of it.
iptables -w -A FORWARD -s 10.2.0.0/16 -j ACCEPT
"$script" 10.2.0.0/16
"$script" 10.2.0.0/16
iptables -w -S FORWARD
iptables -w -S ${METADATA_CONCEALMENT_CHAIN}
counters() {
  local accepted dropped
  accepted=$(iptables -w -L FORWARD -v -x -n | awk '$3 == "ACCEPT" && $8 == "10.2.0.0/16" { print $1 }')
  dropped=$(iptables -w -L ${METADATA_CONCEALMENT_CHAIN} -v -x -n | awk '$3 == "DROP" { print $1 }')
  echo "$1 forwarded=$accepted dropped=$dropped"
}
send() { nsenter -t "$pod" -n bash -c "echo x > /dev/$1/$2/$3" 2>/dev/null || true; }
counters start
send udp 169.254.169.254 80; counters metadata-http
timeout 2 nsenter -t "$pod" -n bash -c 'exec 3<>/dev/tcp/169.254.169.254/80' 2>/dev/null || true; counters metadata-tcp
send udp 169.254.169.254 53; counters metadata-dns
send udp 169.254.169.253 80; counters elsewhere
echo x > /dev/udp/169.254.169.254/80; counters from-the-node
`;

  function run() {
    const dir = mkdtempSync(join(tmpdir(), 'hakoc-conceal-'));
    const script = join(dir, 'metadata-concealment');
    writeFileSync(script, METADATA_CONCEALMENT_SCRIPT_TEXT);
    chmodSync(script, 0o755);
    const args = ['--user', '--map-root-user', '--net', 'bash', '-c', scenario, 'scenario', script];
    return spawnSync(unshare ?? 'unshare', args, {
      encoding: 'utf8',
      timeout: 30_000,
      // iptables lives in /usr/sbin, which a test runner's PATH may lack.
      env: { ...process.env, PATH: `${dirname(iptables ?? '')}:${process.env.PATH ?? ''}` },
    });
  }

  it('installs one jump ahead of the pod accept, idempotently, and drops only pod traffic to the metadata server that is not DNS', () => {
    const result = run();
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const lines = result.stdout.trim().split('\n');
    const jump = `-A FORWARD -s 10.2.0.0/16 -d 169.254.169.254/32 -j ${METADATA_CONCEALMENT_CHAIN}`;
    const forward = lines.filter((line) => line.startsWith('-A FORWARD'));
    expect(forward).toEqual([jump, '-A FORWARD -s 10.2.0.0/16 -j ACCEPT']);
    expect(lines.filter((line) => line.startsWith(`-A ${METADATA_CONCEALMENT_CHAIN}`))).toEqual([
      `-A ${METADATA_CONCEALMENT_CHAIN} -p udp -m udp --dport 53 -j RETURN`,
      `-A ${METADATA_CONCEALMENT_CHAIN} -p tcp -m tcp --dport 53 -j RETURN`,
      `-A ${METADATA_CONCEALMENT_CHAIN} -j DROP`,
    ]);
    const counts = Object.fromEntries(
      lines
        .map((line) => /^(\S+) forwarded=(\d+) dropped=(\d+)$/.exec(line))
        .filter((match) => match !== null)
        .map(([, step, forwarded, dropped]) => [
          step,
          { forwarded: Number(forwarded), dropped: Number(dropped) },
        ]),
    );
    expect(counts.start).toEqual({ forwarded: 0, dropped: 0 });
    // HTTP to the metadata server, over UDP or TCP (its SYN retried): dropped, never forwarded.
    expect(counts['metadata-http']).toEqual({ forwarded: 0, dropped: 1 });
    expect(counts['metadata-tcp']?.forwarded).toBe(0);
    expect(counts['metadata-tcp']?.dropped).toBeGreaterThanOrEqual(2);
    const droppedBeforeDns = counts['metadata-tcp']?.dropped ?? 0;
    // DNS to the same address goes on, as does anything else; the node's own traffic is not
    // forwarded at all.
    expect(counts['metadata-dns']).toEqual({ forwarded: 1, dropped: droppedBeforeDns });
    expect(counts.elsewhere).toEqual({ forwarded: 2, dropped: droppedBeforeDns });
    expect(counts['from-the-node']).toEqual({ forwarded: 2, dropped: droppedBeforeDns });
  });
});
