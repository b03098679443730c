import { copyFileSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import {
  type ClusterPki,
  finishCaRotation,
  loadOrCreatePki,
  startCaRotation,
  switchCaRotation,
} from '@hakoc/certs';
import {
  callEtcdGateway,
  type EtcdClientTls,
  machinePaths,
  pkiRequestFor,
  renderCluster,
} from '@hakoc/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyIgnition } from '../support/real-tools.js';
import {
  eventually,
  joinAndStart,
  kill,
  type LoopbackCluster,
  type LoopbackMember,
  renderLoopbackCluster,
} from './loopback-etcd.js';
import { startTraffic, type Traffic } from './traffic.js';

// A real 3-member etcd cluster taken through a rotation of the etcd CA as the applies after
// each step would: every member in turn stopped, given the files its re-rendered boot config
// carries (through the real Ignition), and restarted as itself from its data, while a client
// using etcd as the API server does keeps writing and reading. The client (the API server on
// the controllers, which roll in the same apply) moves to each step's credentials after the
// first member. Every member and the client are, at every moment, in one of two neighbouring
// states, which must accept each other both ways: the traffic must see no failure.

const passphrase = 'correct horse battery staple';
/** Operations each step must serve after its last member restarted. */
const STEP_OPERATIONS = 20;

let cluster: LoopbackCluster;
let traffic: Traffic;
let storeDir: string;
let before: ClusterPki;
/** The client's credentials now; the traffic client reads them on every call. */
let clientPki: ClusterPki;
const scratch: string[] = [];

const tlsOf = (pki: ClusterPki): EtcdClientTls => ({
  ca: pki.trustBundles.etcdCa,
  certificate: pki.apiserverEtcdClient.certificate,
  key: pki.apiserverEtcdClient.key.reveal(),
});
const clientTls: EtcdClientTls = {
  get ca() {
    return tlsOf(clientPki).ca;
  },
  get certificate() {
    return tlsOf(clientPki).certificate;
  },
  get key() {
    return tlsOf(clientPki).key;
  },
};

/** A quorum read through one member with the given credentials. */
async function readThrough(member: LoopbackMember, tls: EtcdClientTls): Promise<void> {
  await callEtcdGateway({ endpoint: member.clientUrl, tls, timeoutMs: 3000 }, '/v3/kv/range', {
    key: Buffer.from('health').toString('base64'),
  });
}

/**
 * Renders the cluster with `pki` and puts each member's etcd PKI files, as the real Ignition
 * writes them from its boot config, into that member's root (what a re-created machine has).
 */
function installRendered(pki: ClusterPki, members: readonly LoopbackMember[]): void {
  const output = renderCluster(cluster.model, pki, { pins: { version: 1, sysext: {} } });
  const configs = output.manifest.configs.filter((config) => config.role === 'etcd');
  for (const member of members) {
    const config = configs.find((candidate) => candidate.name === member.name);
    if (config === undefined) throw new Error(`no boot config for ${member.name}`);
    const { root } = applyIgnition(output.files.get(config.ignition) ?? '');
    scratch.push(dirname(root));
    const from = join(root, machinePaths.etcdPki);
    for (const file of readdirSync(from)) {
      copyFileSync(join(from, file), join(member.root, machinePaths.etcdPki, file));
    }
  }
}

/** The apply after a step: members one at a time, the client moving after the first. */
async function roll(step: string, pki: ClusterPki): Promise<void> {
  traffic.phase(step);
  for (const [index, member] of cluster.members.entries()) {
    await kill(member, 'SIGTERM');
    installRendered(pki, [member]);
    const log = await joinAndStart(member);
    expect(log).toContain('data dir present, restarting as the same member');
    await eventually(() => readThrough(member, clientTls));
    if (index === 0) clientPki = pki;
  }
  await traffic.served(STEP_OPERATIONS);
}

beforeAll(async () => {
  cluster = await renderLoopbackCluster({ count: 3, joinWindowSeconds: 2 });
  storeDir = mkdtempSync(join(tmpdir(), 'hakoc-etcd-rotation-'));
  scratch.push(storeDir);
  before = (await loadOrCreatePki(storeDir, pkiRequestFor(cluster.model), { passphrase })).pki;
  clientPki = before;
  installRendered(before, cluster.members);
  await Promise.all(cluster.members.map((member) => joinAndStart(member)));
  await Promise.all(
    cluster.members.map((member) => eventually(() => readThrough(member, clientTls))),
  );
  traffic = startTraffic({
    endpoints: cluster.members.map((member) => member.clientUrl),
    tls: clientTls,
    firstPhase: 'before',
  });
  await traffic.served(STEP_OPERATIONS);
}, 60_000);

afterAll(() => {
  cluster?.dispose();
  for (const path of scratch) rmSync(path, { recursive: true, force: true });
});

describe('rotating the etcd CA on a real 3-member cluster', () => {
  it('rolls start, switch and finish member by member with zero failed operations', {
    timeout: 240_000,
  }, async () => {
    const request = pkiRequestFor(cluster.model);
    const cas = ['etcd/ca'] as const;
    const started = (await startCaRotation(storeDir, request, { passphrase, cas })).pki;
    await roll('start', started);
    const switched = (await switchCaRotation(storeDir, request, { passphrase, force: true })).pki;
    const first = cluster.members[0]?.name ?? '';
    expect(switched.etcdMembers[first]?.server.certificate).toBeDefined();
    expect(switched.etcdMembers[first]?.server.certificate).not.toBe(
      before.etcdMembers[first]?.server.certificate,
    );
    await roll('switch', switched);
    const finished = (await finishCaRotation(storeDir, request, { passphrase, force: true })).pki;
    await roll('finish', finished);

    const report = await traffic.stop();
    expect(report.phases.map((phase) => phase.name)).toEqual([
      'before',
      'start',
      'switch',
      'finish',
    ]);
    for (const phase of report.phases) {
      expect(phase.failures, phase.name).toEqual([]);
      expect(phase.reads, phase.name).toBeGreaterThanOrEqual(STEP_OPERATIONS);
    }

    // The members now hold only the new CA: the client credentials of before are refused,
    // the finished ones served.
    const member = cluster.members[0];
    if (member === undefined) throw new Error('no member');
    await expect(readThrough(member, tlsOf(before))).rejects.toThrow();
    await expect(readThrough(member, tlsOf(started))).rejects.toThrow();
    await readThrough(member, tlsOf(finished));
  });
});
