import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  callEtcdGateway,
  ETCD_LEAVE_METADATA_KEY,
  ETCD_LEAVE_REFUSED_GUEST_ATTRIBUTE,
  ETCD_LEAVE_SCRIPT,
  ETCD_LEFT_GUEST_ATTRIBUTE,
  listEtcdMembers,
  removeEtcdMember,
} from '@hakoc/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeMetadataServer, startFakeMetadataServer } from './fake-metadata-server.js';
import {
  eventually,
  health,
  joinAndStart,
  kill,
  type LoopbackCluster,
  type LoopbackMember,
  leaderId,
  renderLoopbackCluster,
  runMemberScript,
} from './loopback-etcd.js';
import { startTraffic, type Traffic } from './traffic.js';

// Membership changes on a real cluster, each through the members' rendered scripts (join,
// leave) or the library, while a client uses every member's endpoint as the API server does
// and counts failed operations, phase by phase. The spec has 5 members: 0–2 bootstrap the
// cluster (their configs are those of a 3-member spec), 3 and 4 are what scaling it to 5 adds
// and what scaling it back to 3 takes away.

let cluster: LoopbackCluster;
let traffic: Traffic;
let metadata: FakeMetadataServer;
let bootstrapLogs: string[];
const phases: string[] = [];

const member = (index: number): LoopbackMember => {
  const found = cluster.members[index];
  if (found === undefined) throw new Error(`no member ${index}`);
  return found;
};
const via = (index: number) => ({ endpoint: member(index).clientUrl, tls: cluster.clientTls });
const names = async (index: number) =>
  (await listEtcdMembers(via(index))).map((m) => m.name).sort();

/** Operations each phase must see at least: the cluster served through it and after it. */
const PHASE_OPERATIONS = 10;

/** Starts counting the traffic of the test's phase. */
function phase(name: string): void {
  phases.push(name);
  traffic.phase(name);
}

/** Waits until `joined` is listed as started and answers a quorum read. */
async function started(joined: LoopbackMember): Promise<void> {
  await eventually(async () => {
    const listed = (await listEtcdMembers(via(0))).find((m) => m.name === joined.name);
    if (listed === undefined || listed.clientUrls.length === 0)
      throw new Error(`${joined.name} not started`);
  });
  await eventually(() => health(cluster, joined));
}

/** The first of `candidates` that is not the leader: the members an operation may touch. */
async function follower(candidates: number[]): Promise<number> {
  const leader = await leaderId(cluster, member(0));
  const members = await listEtcdMembers(via(0));
  const index = candidates.find(
    (i) => members.find((m) => m.name === member(i).name)?.id !== leader,
  );
  if (index === undefined) throw new Error('no follower among the candidates');
  return index;
}

/** The `initial-cluster` entries a join script's log says the member joined with. */
function joinedWith(log: string): string[] {
  const cluster = /joining the existing cluster (\S+)/.exec(log)?.[1];
  if (cluster === undefined) throw new Error(`no join in the log:\n${log}`);
  return cluster.split(',');
}

/** Waits until the member's etcd process has exited. */
async function exited(gone: LoopbackMember): Promise<void> {
  await eventually(async () => {
    if (gone.process?.exitCode === null && gone.process.signalCode === null)
      throw new Error(`${gone.name} still running`);
  });
}

beforeAll(async () => {
  cluster = await renderLoopbackCluster({ count: 5, joinWindowSeconds: 2, leaveAttempts: 3 });
  metadata = await startFakeMetadataServer();
  // A brand-new cluster: all three join scripts run at once, find no healthy peer and bootstrap.
  bootstrapLogs = await Promise.all([0, 1, 2].map((i) => joinAndStart(member(i))));
  await Promise.all([0, 1, 2].map((i) => eventually(() => health(cluster, member(i)))));
  // The API server of a 5-member spec: every member's endpoint, whether it exists yet or not.
  traffic = startTraffic({
    endpoints: cluster.members.map((m) => m.clientUrl),
    tls: cluster.clientTls,
    firstPhase: 'bootstrapped',
  });
}, 45_000);

afterAll(async () => {
  await traffic?.stop();
  await metadata?.close();
  cluster?.dispose();
});

describe('etcd membership from inside the cluster, on real etcd', () => {
  it('bootstraps a brand-new cluster statically when no peer is healthy', async () => {
    for (const log of bootstrapLogs)
      expect(log).toMatch(/no healthy peer within 2s, bootstrapping a new cluster/);
    expect(await names(0)).toEqual([0, 1, 2].map((i) => member(i).name));
  });

  it('scales up 3 → 5: members 4 and 5 booting together join one at a time, each with its own certificate', {
    timeout: 60_000,
  }, async () => {
    phase('scale up 3 → 5');
    // Both join scripts run at once; the member list is sampled meanwhile to see that no more
    // than one added member is ever waiting to start.
    let joining = true;
    let mostUnstarted = 0;
    const sampler = (async () => {
      while (joining) {
        const members = await listEtcdMembers(via(0)).catch(() => []);
        mostUnstarted = Math.max(mostUnstarted, members.filter((m) => m.name === '').length);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    })();
    const logs = await Promise.all([3, 4].map((index) => joinAndStart(member(index))));
    await Promise.all([3, 4].map((index) => started(member(index))));
    joining = false;
    await sampler;
    for (const log of logs) {
      expect(log).toContain('adding itself to the cluster through');
      expect(log).toContain('joining the existing cluster');
      // An added member that has not started yet has no name in the list it joins with.
      expect(joinedWith(log)).not.toContainEqual(expect.stringMatching(/^=/));
    }
    // One at a time: the second to join found the first started, listed with its name.
    const [three, four] = [member(3), member(4)];
    const sawOther = [
      joinedWith(logs[0] ?? '').includes(`${four.name}=${four.peerUrl}`),
      joinedWith(logs[1] ?? '').includes(`${three.name}=${three.peerUrl}`),
    ];
    expect(sawOther.filter(Boolean)).toHaveLength(1);
    // Sampled, so it may miss a short wait; it must never see two.
    expect(mostUnstarted).toBeLessThanOrEqual(1);
    const members = await listEtcdMembers(via(1));
    expect(members).toHaveLength(5);
    expect(members.every((m) => m.clientUrls.length === 1)).toBe(true);
    await traffic.served(PHASE_OPERATIONS);
  });

  it('re-creates every member one at a time, each restarting as itself from its data', {
    timeout: 90_000,
  }, async () => {
    phase('members re-created one at a time');
    const before = await listEtcdMembers(via(0));
    for (const index of [0, 1, 2, 3, 4]) {
      const { name } = member(index);
      await kill(member(index), 'SIGTERM');
      const log = await joinAndStart(member(index));
      expect(log).toContain('data dir present, restarting as the same member');
      await started(member(index));
      const peer = index === 0 ? 1 : 0;
      const after = (await listEtcdMembers(via(peer))).find((m) => m.name === name);
      expect(after?.id).toBe(before.find((m) => m.name === name)?.id);
    }
    await traffic.served(PHASE_OPERATIONS);
  });

  it('rejoins a member whose data was lost as a new member with the same name, the stale entry removed', {
    timeout: 40_000,
  }, async () => {
    phase('a member whose data was lost rejoins');
    const index = await follower([2, 3, 4]);
    const victim = member(index);
    const old = (await listEtcdMembers(via(0))).find((m) => m.name === victim.name);
    expect(old).toBeDefined();
    await kill(victim);
    rmSync(join(victim.dataDir, 'member'), { recursive: true, force: true });
    expect(existsSync(join(victim.dataDir, 'member'))).toBe(false);

    const log = await joinAndStart(victim);
    expect(log).toContain(`removing the stale member ${old?.hexId}`);
    await started(victim);
    const members = await listEtcdMembers(via(1));
    expect(members).toHaveLength(5);
    const renewed = members.find((m) => m.name === victim.name);
    expect(renewed?.id).not.toBe(old?.id);
    expect(members.some((m) => m.id === old?.id)).toBe(false);
    await traffic.served(PHASE_OPERATIONS);
  });

  it('scales down 5 → 3: member 4, the leader, leaves when its metadata asks, then member 3 on a plain trigger', {
    timeout: 90_000,
  }, async () => {
    // Member 4 leads, so its leaving must hand leadership over first.
    const list = await listEtcdMembers(via(0));
    const fourId = list.find((m) => m.name === member(4).name)?.id ?? '';
    const leading = await leaderId(cluster, member(0));
    const leaderName = list.find((m) => m.id === leading)?.name;
    const leaderIndex = cluster.members.findIndex((m) => m.name === leaderName);
    if (leading !== fourId) {
      await callEtcdGateway(via(leaderIndex), '/v3/maintenance/transfer-leadership', {
        targetID: fourId,
      });
    }
    await eventually(async () => {
      if ((await leaderId(cluster, member(0))) !== fourId) throw new Error('4 does not lead yet');
    });
    phase('scale down 5 → 3');

    // GCE: the watch waits on the metadata server; the provider then sets the key.
    const watching = runMemberScript(
      member(4),
      ETCD_LEAVE_SCRIPT,
      ['--watch', metadata.url],
      60_000,
    );
    await eventually(async () => {
      if (metadata.waits === 0) throw new Error('not waiting for a change yet');
    });
    expect(metadata.guestAttributes.size).toBe(0);
    expect(await names(0)).toContain(member(4).name);
    metadata.setAttribute(ETCD_LEAVE_METADATA_KEY, 'request-1');
    const fourLog = await watching;
    expect(fourLog).toContain('asked to leave (request-1)');
    expect(fourLog).toMatch(/handing leadership to [0-9a-f]+ before leaving/);
    expect(fourLog).toContain('left the cluster');
    expect(metadata.guestAttributes.get(ETCD_LEFT_GUEST_ATTRIBUTE)).toBe('request-1');
    await exited(member(4));
    expect(existsSync(join(member(4).dataDir, 'member.left'))).toBe(true);
    expect(existsSync(join(member(4).dataDir, 'member'))).toBe(false);
    expect(await names(0)).toEqual([0, 1, 2, 3].map((i) => member(i).name));
    expect(await leaderId(cluster, member(0))).not.toBe(fourId);

    // Vagrant: `systemctl start etcd-member-leave.service` runs the script without arguments.
    const threeLog = await runMemberScript(member(3), ETCD_LEAVE_SCRIPT);
    expect(threeLog).toContain(`removing itself`);
    expect(threeLog).toContain('3 of the members that stay are healthy');
    await exited(member(3));
    expect(await names(1)).toEqual([0, 1, 2].map((i) => member(i).name));
    // Each stopped etcd before its removal, so its clients failed over instead of failing.
    expect(cluster.systemctlCalls()).toEqual([
      'systemctl stop etcd-member.service',
      'systemctl disable --now etcd-member.service etcd-snapshot.timer',
      'systemctl stop etcd-member.service',
      'systemctl disable --now etcd-member.service etcd-snapshot.timer',
    ]);

    // Asked again (a retried step, a reboot), a member that left only stops and reports.
    const again = await runMemberScript(member(3), ETCD_LEAVE_SCRIPT);
    expect(again).toContain('not a member of the cluster (any more)');
    expect(await names(2)).toHaveLength(3);
    await traffic.served(PHASE_OPERATIONS);
  });

  it('refuses to leave while another member is still to start, and leaves the cluster as it was', {
    timeout: 60_000,
  }, async () => {
    phase('a leave refused while a member joins');
    // A member added but not started yet, as a joining one is between its add and its start.
    const joining = 'https://127.0.0.99:2380';
    const added = await callEtcdGateway<{ member?: { ID?: string } }>(
      via(0),
      '/v3/cluster/member/add',
      { peerURLs: [joining] },
    );
    try {
      const refused = await runMemberScript(member(2), ETCD_LEAVE_SCRIPT).catch(
        (error: { code?: number; stdout?: string; stderr?: string }) =>
          `exit ${error.code}: ${error.stdout}${error.stderr}`,
      );
      expect(refused).toMatch(/^exit 1: /);
      expect(refused).toContain(`did not leave: waiting for ${joining} to start before leaving`);
      expect(member(2).process?.exitCode).toBeNull();
    } finally {
      await callEtcdGateway(via(0), '/v3/cluster/member/remove', { ID: added.member?.ID });
    }
    expect(await names(0)).toEqual([0, 1, 2].map((i) => member(i).name));
    await traffic.served(PHASE_OPERATIONS);
  });

  it('refuses to leave while too few of the members that would stay are healthy, and the cluster keeps its members', {
    timeout: 90_000,
  }, async () => {
    phase('a leave refused for quorum');
    const down = await follower([1, 2]);
    const asked = down === 1 ? 2 : 1;
    await kill(member(down));
    const asking = await startFakeMetadataServer();
    const stop = new AbortController();
    try {
      asking.setAttribute(ETCD_LEAVE_METADATA_KEY, 'request-2');
      const watching = runMemberScript(
        member(asked),
        ETCD_LEAVE_SCRIPT,
        ['--watch', asking.url],
        60_000,
        stop.signal,
      ).catch((error: { stdout?: string; stderr?: string }) => `${error.stdout}${error.stderr}`);
      await eventually(async () => {
        if (!asking.guestAttributes.has(ETCD_LEAVE_REFUSED_GUEST_ATTRIBUTE))
          throw new Error('no answer yet');
      }, 240);
      expect(asking.guestAttributes.get(ETCD_LEAVE_REFUSED_GUEST_ATTRIBUTE)).toBe(
        'request-2: only 1 of the members that would stay are healthy, 2 needed for their quorum',
      );
      expect(asking.guestAttributes.has(ETCD_LEFT_GUEST_ATTRIBUTE)).toBe(false);
      // A refused watch goes on waiting for the next change: stopped here.
      stop.abort();
      expect(await watching).toContain('did not leave: only 1 of the members');
    } finally {
      stop.abort();
      await asking.close();
    }
    expect(await names(0)).toEqual([0, 1, 2].map((i) => member(i).name));
    expect(member(asked).process?.exitCode).toBeNull();
    const log = await joinAndStart(member(down));
    expect(log).toContain('data dir present, restarting as the same member');
    await started(member(down));
    await traffic.served(PHASE_OPERATIONS);
  });

  it('removes a dead member through a healthy peer with the operator certificate (hakoc etcd remove-member)', {
    timeout: 30_000,
  }, async () => {
    phase('a dead member removed by the operator');
    const index = await follower([1, 2]);
    const dead = member(index);
    await kill(dead);
    const removed = await removeEtcdMember({ ...via(0), name: dead.name });
    expect(removed?.name).toBe(dead.name);
    const members = await listEtcdMembers(via(0));
    expect(members.map((m) => m.name)).not.toContain(dead.name);
    expect(members).toHaveLength(2);
    // Removing it again changes nothing.
    expect(await removeEtcdMember({ ...via(0), name: dead.name })).toBeUndefined();
    await expect(removeEtcdMember({ ...via(0), name: member(0).name })).rejects.toThrow(
      /ask a member that stays/,
    );
    await traffic.served(PHASE_OPERATIONS);
  });

  it('takes its own add back when another member was added at the same moment, and joins after it', {
    timeout: 60_000,
  }, async () => {
    phase('a join that raced another');
    // Member 4 left the cluster above; it joins again. Its etcdctl is the real one, except that
    // the two member lists after its first add also show a phantom member yet to start: what a
    // member sees when another one's add passed etcd's checks at the same moment as its own.
    const joiner = member(4);
    const phantom = 'https://127.0.0.98:2380';
    const stand = join(joiner.root, 'etcdctl-racing');
    const state = join(joiner.root, 'racing-state');
    writeFileSync(
      stand,
      `#!/bin/bash
out=$(${JSON.stringify(cluster.etcdctl)} "$@"); rc=$?
printf '%s\\n' "$out"
if [[ " $* " == *" member add "* && $rc == 0 && ! -e ${JSON.stringify(state)} ]]; then echo 0 >${JSON.stringify(state)}; fi
if [[ " $* " == *" member list "* && -e ${JSON.stringify(state)} ]]; then
  shown=$(<${JSON.stringify(state)})
  if ((shown < 2)); then
    echo "abcdef0123456789, unstarted, , ${phantom}, , false"
    echo $((shown + 1)) >${JSON.stringify(state)}
  fi
fi
exit $rc
`,
      { mode: 0o755 },
    );
    const env = readFileSync(joiner.envFile, 'utf8');
    writeFileSync(joiner.envFile, env.replace(/^ETCDCTL=.*$/m, `ETCDCTL=${stand}`));
    const before = (await listEtcdMembers(via(0))).length;
    const log = await joinAndStart(joiner);
    expect(log).toContain(`added at the same time as ${phantom}; taking its own add`);
    expect(log).toContain(`waiting for ${phantom} to start first`);
    expect(log.match(/adding itself to the cluster through/g)).toHaveLength(2);
    expect(joinedWith(log)).toContain(`${joiner.name}=${joiner.peerUrl}`);
    await started(joiner);
    const members = await listEtcdMembers(via(0));
    expect(members).toHaveLength(before + 1);
    expect(members.filter((m) => m.name === joiner.name)).toHaveLength(1);
    expect(members.every((m) => m.clientUrls.length === 1)).toBe(true);
    await traffic.served(PHASE_OPERATIONS);
  });

  it('served every write and read of the client through every phase', async () => {
    const report = await traffic.stop();
    expect(report.phases.map((p) => p.name)).toEqual(['bootstrapped', ...phases]);
    for (const { name, writes, reads, failures } of report.phases) {
      expect({ name, failures }).toEqual({ name, failures: [] });
      expect(reads, name).toBe(writes);
      if (name !== 'bootstrapped') expect(reads, name).toBeGreaterThanOrEqual(PHASE_OPERATIONS);
    }
    console.log(
      report.phases
        .map((p) => `${p.name}: ${p.writes} writes, ${p.reads} reads, ${p.retried} retried`)
        .join('\n'),
    );
  });
});
