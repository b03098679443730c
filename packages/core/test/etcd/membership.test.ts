import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { listEtcdMembers, removeEtcdMember } from '@hakoc/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  eventually,
  health,
  joinAndStart,
  kill,
  type LoopbackCluster,
  type LoopbackMember,
  leaderId,
  renderLoopbackCluster,
} from './loopback-etcd.js';
import { startTraffic, type TrafficReport } from './traffic.js';

// Membership changes on a real cluster, each through the rendered join script or the library,
// while a client writes through member 0 and reads through member 1 and counts failures.
// The spec has 5 members: 0–2 bootstrap the cluster (their configs are those of a 3-member
// spec), 3 and 4 are what scaling it to 5 adds.

let cluster: LoopbackCluster;
let traffic: ReturnType<typeof startTraffic>;
let bootstrapLogs: string[];

const member = (index: number): LoopbackMember => {
  const found = cluster.members[index];
  if (found === undefined) throw new Error(`no member ${index}`);
  return found;
};
const via = (index: number) => ({ endpoint: member(index).clientUrl, tls: cluster.clientTls });

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

beforeAll(async () => {
  cluster = await renderLoopbackCluster({ count: 5, joinWindowSeconds: 2 });
  // A brand-new cluster: all three join scripts run at once, find no healthy peer and bootstrap.
  bootstrapLogs = await Promise.all([0, 1, 2].map((i) => joinAndStart(member(i))));
  await Promise.all([0, 1, 2].map((i) => eventually(() => health(cluster, member(i)))));
  traffic = startTraffic({
    writeVia: member(0).clientUrl,
    readVia: member(1).clientUrl,
    tls: cluster.clientTls,
  });
}, 45_000);

afterAll(() => cluster?.dispose());

describe('etcd membership from inside the cluster, on real etcd', () => {
  it('bootstraps a brand-new cluster statically when no peer is healthy', async () => {
    for (const log of bootstrapLogs)
      expect(log).toMatch(/no healthy peer within 2s, bootstrapping a new cluster/);
    const members = await listEtcdMembers(via(0));
    expect(members.map((m) => m.name).sort()).toEqual([0, 1, 2].map((i) => member(i).name));
  });

  it('adds members 4 and 5 booting together, one at a time, each with its own certificate', {
    timeout: 60_000,
  }, async () => {
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
    }
    expect(mostUnstarted).toBe(1);
    const members = await listEtcdMembers(via(1));
    expect(members).toHaveLength(5);
    expect(members.every((m) => m.clientUrls.length === 1)).toBe(true);
  });

  it('restarts a member whose data dir is present as the same member', {
    timeout: 30_000,
  }, async () => {
    const index = await follower([2, 3, 4]);
    const before = (await listEtcdMembers(via(0))).find((m) => m.name === member(index).name);
    await kill(member(index));
    const log = await joinAndStart(member(index));
    expect(log).toContain('data dir present, restarting as the same member');
    await eventually(() => health(cluster, member(index)));
    const after = (await listEtcdMembers(via(0))).find((m) => m.name === member(index).name);
    expect(after?.id).toBe(before?.id);
  });

  it('rejoins a member whose data was lost as a new member with the same name, the stale entry removed', {
    timeout: 40_000,
  }, async () => {
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
  });

  it('removes a member through a healthy peer with the operator certificate, and the cluster continues', {
    timeout: 30_000,
  }, async () => {
    const index = await follower([2, 3, 4]);
    const leaving = member(index);
    const removed = await removeEtcdMember({ ...via(0), name: leaving.name });
    expect(removed?.name).toBe(leaving.name);
    const members = await listEtcdMembers(via(1));
    expect(members.map((m) => m.name)).not.toContain(leaving.name);
    expect(members).toHaveLength(4);
    // A removed member stops by itself once it learns it was removed.
    await eventually(async () => {
      if (leaving.process?.exitCode === null && leaving.process.signalCode === null)
        throw new Error('still running');
    });
    // Removing it again changes nothing.
    expect(await removeEtcdMember({ ...via(1), name: leaving.name })).toBeUndefined();
    await expect(removeEtcdMember({ ...via(0), name: member(0).name })).rejects.toThrow(
      /ask a member that stays/,
    );
  });

  it('served every write and read of the client through all of it', async () => {
    const report: TrafficReport = await traffic.stop();
    expect(report.failures).toEqual([]);
    expect(report.writes).toBeGreaterThan(50);
    expect(report.reads).toBe(report.writes);
  });
});
