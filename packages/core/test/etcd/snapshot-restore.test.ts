import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  callEtcdGateway,
  ETCD_SNAPSHOT_SCRIPT,
  type EtcdSnapshotEvent,
  etcdRestoreMembers,
  isHakocError,
  restoreEtcdMember,
  saveEtcdSnapshot,
} from '@hakoc/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  eventually,
  health,
  joinAndStart,
  kill,
  type LoopbackCluster,
  renderLoopbackCluster,
  runMemberScript,
} from './loopback-etcd.js';

// Back-up and restore on a real 3-member cluster: the members' own snapshot timer script, the
// operator's saveEtcdSnapshot over TLS, and a restore of every member from that snapshot after
// all their data is destroyed.

const run = promisify(execFile);
const RETAIN = 2;
let cluster: LoopbackCluster;
let out: string;
let saved: string;
const keys = Array.from({ length: 20 }, (_, i) => [`/hakoc/restore/${i}`, `value-${i}`] as const);
const b64 = (text: string) => Buffer.from(text).toString('base64');

const at = (index: number) => {
  const member = cluster.members[index];
  if (member === undefined) throw new Error(`no member ${index}`);
  return member;
};
const via = (index: number) => ({ endpoint: at(index).clientUrl, tls: cluster.clientTls });

async function read(index: number, key: string): Promise<string | undefined> {
  const answer = await callEtcdGateway<{ kvs?: { value?: string }[] }>(via(index), '/v3/kv/range', {
    key: b64(key),
  });
  const value = answer.kvs?.[0]?.value;
  return value === undefined ? undefined : Buffer.from(value, 'base64').toString();
}

beforeAll(async () => {
  cluster = await renderLoopbackCluster({ count: 3, joinWindowSeconds: 1, snapshotRetain: RETAIN });
  await Promise.all(cluster.members.map((member) => joinAndStart(member)));
  await Promise.all(cluster.members.map((member) => eventually(() => health(cluster, member))));
  for (const [key, value] of keys) {
    await callEtcdGateway(via(0), '/v3/kv/put', { key: b64(key), value: b64(value) });
  }
  out = mkdtempSync(join(tmpdir(), 'hakoc-etcd-snapshot-'));
}, 45_000);

afterAll(() => {
  cluster?.dispose();
  if (out) rmSync(out, { recursive: true, force: true });
});

describe('etcd snapshots and restore, on real etcd', () => {
  it('the snapshot timer script saves snapshots on the data disk and keeps the newest ones of spec.etcd.snapshots.retain', {
    timeout: 30_000,
  }, async () => {
    const member = at(0);
    const written: string[] = [];
    for (let i = 0; i < RETAIN + 2; i++) {
      const log = await runMemberScript(member, ETCD_SNAPSHOT_SCRIPT);
      written.push(log.match(/saved (\S+)/)?.[1] ?? '');
    }
    const kept = readdirSync(member.snapshotDir).sort();
    expect(kept).toEqual(
      written
        .slice(-RETAIN)
        .map((path) => path.split('/').pop())
        .sort(),
    );
    for (const name of kept) {
      const file = join(member.snapshotDir, name);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      const { stdout } = await run(cluster.etcdctl, ['snapshot', 'status', file, '-w', 'json'], {
        env: { ...process.env, ETCDCTL_API: '3' },
      });
      expect((JSON.parse(stdout) as { totalKey: number }).totalKey).toBeGreaterThanOrEqual(
        keys.length,
      );
    }
  });

  it('saveEtcdSnapshot saves one over TLS with the operator certificate: complete, 0600, with a matching .sha256', async () => {
    const events: EtcdSnapshotEvent[] = [];
    saved = join(out, 'cluster.db');
    const file = await saveEtcdSnapshot({ ...via(1), out: saved, onEvent: (e) => events.push(e) });
    const bytes = readFileSync(saved);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    expect(file).toEqual({
      path: saved,
      checksumPath: `${saved}.sha256`,
      bytes: bytes.length,
      sha256,
    });
    expect(statSync(saved).mode & 0o777).toBe(0o600);
    expect(readFileSync(`${saved}.sha256`, 'utf8')).toBe(`${sha256}  cluster.db\n`);
    await run('sha256sum', ['-c', 'cluster.db.sha256'], { cwd: out });
    expect(readdirSync(out).sort()).toEqual(['cluster.db', 'cluster.db.sha256']);
    expect(events[0]).toEqual({ type: 'etcd.snapshot.start', endpoint: at(1).clientUrl });
    expect(events.at(-1)).toEqual({
      type: 'etcd.snapshot.done',
      path: saved,
      bytes: bytes.length,
      sha256,
    });
    expect(events.filter((e) => e.type === 'etcd.snapshot.progress').at(-1)).toMatchObject({
      bytes: bytes.length,
    });
  });

  it('rebuilds every member from that snapshot after all their data is destroyed, and the keys read back', {
    timeout: 45_000,
  }, async () => {
    await callEtcdGateway(via(0), '/v3/kv/put', {
      key: b64('/hakoc/after-snapshot'),
      value: b64('lost'),
    });
    for (const member of cluster.members) {
      await kill(member);
      rmSync(member.dataDir, { recursive: true, force: true });
    }
    const restoreAs = etcdRestoreMembers(cluster.model).map((member) => ({
      ...member,
      peerUrl: cluster.ports(member.peerUrl),
      initialCluster: cluster.ports(member.initialCluster),
      initialClusterToken: cluster.token,
    }));
    for (const [index, member] of cluster.members.entries()) {
      const as = restoreAs[index];
      if (as === undefined || as.name !== member.name)
        throw new Error(`no restore entry for ${member.name}`);
      await restoreEtcdMember({
        snapshot: saved,
        member: as,
        dataDir: member.dataDir,
        tool: cluster.etcdctl,
      });
      await expect(
        restoreEtcdMember({
          snapshot: saved,
          member: as,
          dataDir: member.dataDir,
          tool: cluster.etcdctl,
        }),
      ).rejects.toThrow(/still holds the data of a member/);
    }
    const logs = await Promise.all(cluster.members.map((member) => joinAndStart(member)));
    for (const log of logs)
      expect(log).toContain('data dir present, restarting as the same member');
    await Promise.all(cluster.members.map((member) => eventually(() => health(cluster, member))));
    for (const [index, [key, value]] of keys.entries()) {
      expect(await read(index % 3, key)).toBe(value);
    }
    // Written after the snapshot: gone, as a restore to that point must have it.
    expect(await read(2, '/hakoc/after-snapshot')).toBeUndefined();
    await callEtcdGateway(via(2), '/v3/kv/put', {
      key: b64('/hakoc/after-restore'),
      value: b64('ok'),
    });
    expect(await read(1, '/hakoc/after-restore')).toBe('ok');
  });

  it('refuses a snapshot file that was altered, in the restore tool', async () => {
    const altered = join(out, 'altered.db');
    const bytes = readFileSync(saved);
    const middle = Math.floor(bytes.length / 2);
    bytes[middle] = (bytes[middle] ?? 0) ^ 0xff;
    writeFileSync(altered, bytes);
    const [member] = etcdRestoreMembers(cluster.model);
    if (member === undefined) throw new Error('no member');
    await expect(
      restoreEtcdMember({
        snapshot: altered,
        member,
        dataDir: join(out, 'restore'),
        tool: cluster.etcdctl,
      }),
    ).rejects.toThrow(/snapshot restore of demo-etcd-0 failed/);
  });
});

describe('saveEtcdSnapshot against a stand-in gateway', () => {
  // A stand-in gateway serving member 0's certificate, so the client's TLS setup is the real one.
  async function serve(blobs: Buffer[], finish = true): Promise<{ url: string; close(): void }> {
    const member = at(0);
    const server = createServer(
      {
        cert: readFileSync(join(member.root, '/etc/etcd/pki/server.crt')),
        key: readFileSync(join(member.root, '/etc/etcd/pki/server.key')),
      },
      (_request, response) => {
        response.writeHead(200, { 'content-type': 'application/json' });
        for (const [i, blob] of blobs.entries()) {
          const remaining = blobs.slice(i + 1).reduce((sum, b) => sum + b.length, 0);
          response.write(
            `${JSON.stringify({ result: { remaining_bytes: String(remaining), blob: blob.toString('base64') } })}\n`,
          );
        }
        if (finish) response.end();
      },
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.10', resolve));
    const { port } = server.address() as AddressInfo;
    return {
      url: `https://127.0.0.10:${port}`,
      close: () => {
        server.closeAllConnections();
        server.close();
      },
    };
  }

  const database = randomBytes(100_000);
  const trailer = createHash('sha256').update(database).digest();

  it('keeps a stream whose last 32 bytes are the SHA-256 of the rest', async () => {
    const gateway = await serve([database.subarray(0, 40_000), database.subarray(40_000), trailer]);
    try {
      const target = join(out, 'stand-in.db');
      const file = await saveEtcdSnapshot({
        endpoint: gateway.url,
        tls: cluster.clientTls,
        out: target,
      });
      expect(readFileSync(target)).toEqual(Buffer.concat([database, trailer]));
      expect(file.bytes).toBe(database.length + 32);
    } finally {
      gateway.close();
    }
  });

  it('refuses one whose trailer does not match, leaving no file behind', async () => {
    const wrong = Buffer.from(trailer);
    wrong[0] = (wrong[0] ?? 0) ^ 1;
    const gateway = await serve([database, wrong]);
    const dir = mkdtempSync(join(out, 'corrupt-'));
    try {
      const error = await saveEtcdSnapshot({
        endpoint: gateway.url,
        tls: cluster.clientTls,
        out: join(dir, 'x.db'),
      }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(isHakocError(error) && error.code).toBe('HAKOC_ETCD_SNAPSHOT_CORRUPT');
      expect(readdirSync(dir)).toEqual([]);
    } finally {
      gateway.close();
    }
  });

  it('gives up on a stream that stalls, within its time, leaving no file behind', async () => {
    const gateway = await serve([database.subarray(0, 40_000)], false);
    const dir = mkdtempSync(join(out, 'stalled-'));
    try {
      const started = Date.now();
      const error = await saveEtcdSnapshot({
        endpoint: gateway.url,
        tls: cluster.clientTls,
        out: join(dir, 'x.db'),
        timeoutMs: 500,
      }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(isHakocError(error) && error.code).toBe('HAKOC_ETCD_UNREACHABLE');
      expect(Date.now() - started).toBeLessThan(5000);
      expect(readdirSync(dir)).toEqual([]);
    } finally {
      gateway.close();
    }
  });
});
