import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  type BootConfig,
  type ClusterModel,
  ETCD_DATA_DISK_PATH,
  ETCD_DATA_FORMAT_SCRIPT_TEXT,
  ETCD_DATA_MOUNT_UNIT,
  ETCD_JOIN_SCRIPT_TEXT,
  ETCD_JOIN_UNIT,
  ETCD_MEMBER_ENV,
  ETCD_SNAPSHOT_TIMER,
  ETCD_SNAPSHOT_UNIT,
  etcdMemberEnvFile,
  etcdMemberEnvironment,
  parseClusterSpec,
  parseIgnition,
  renderCluster,
} from '@hakoc/core';
import { afterAll, describe, expect, it } from 'vitest';
import { exampleModel, pinsFor, pkiFor, UNUSED_SHA256 } from '../render/fixtures.js';

const run = promisify(execFile);
const scratch: string[] = [];
afterAll(() => {
  for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
});

async function firstEtcdMember(model: ClusterModel): Promise<BootConfig> {
  const output = renderCluster(model, await pkiFor(model), {
    pins: pinsFor(model, 'http://127.0.0.1:9', UNUSED_SHA256),
  });
  const config = output.manifest.configs.find((c) => c.role === 'etcd');
  return parseIgnition(output.files.get(config?.ignition ?? '') ?? '');
}

const unitOf = (config: BootConfig, name: string) =>
  config.units.find((unit) => unit.name === name)?.contents ?? '';
const fileOf = (config: BootConfig, path: string) =>
  Buffer.from(config.files.find((file) => file.path === path)?.contents ?? '').toString();

describe('etcd member modules', () => {
  it('run etcdctl from the pinned etcd image on GCE, pulled before the join unit needs it', async () => {
    const config = await firstEtcdMember(exampleModel('gce'));
    const env = fileOf(config, ETCD_MEMBER_ENV);
    const image = env.match(/^ETCD_IMAGE=(.+)$/m)?.[1] ?? '';
    expect(image).toMatch(/^registry\.k8s\.io\/etcd:[^@]+@sha256:[0-9a-f]{64}$/);
    expect(env).toMatch(/^ETCDCTL=$/m);
    expect(unitOf(config, ETCD_JOIN_UNIT)).toContain(
      `ExecStartPre=/usr/bin/ctr --namespace hakoc image pull ${image}`,
    );
    expect(unitOf(config, 'etcd-member.service')).toContain(
      'src=/run/etcd,dst=/run/etcd,options=rbind:ro',
    );
    // Peers are the other members, by DNS name on GCE.
    expect(env).toMatch(
      /^ETCD_PEER_CLIENT_URLS=https:\/\/etcd-1\.[^,]+:2379,https:\/\/etcd-2\.[^,]+:2379$/m,
    );
  });

  it('use the image etcdctl when a pre-built image carries etcd, and pull nothing', async () => {
    const model = exampleModel('vagrant', (d) => {
      (d.spec as Record<string, unknown>).image = { name: 'hakoc-image' };
    });
    const config = await firstEtcdMember(model);
    expect(fileOf(config, ETCD_MEMBER_ENV)).toMatch(/^ETCDCTL=\/opt\/kubernetes\/bin\/etcdctl$/m);
    expect(fileOf(config, ETCD_MEMBER_ENV)).toMatch(/^ETCD_IMAGE=$/m);
    expect(unitOf(config, ETCD_JOIN_UNIT)).not.toContain('ExecStartPre');
  });

  it('snapshot as often and keep as many as spec.etcd.snapshots says', async () => {
    const model = exampleModel('gce', (d) => {
      (d.spec as { etcd: Record<string, unknown> }).etcd.snapshots = {
        intervalMinutes: 15,
        retain: 5,
      };
    });
    const config = await firstEtcdMember(model);
    expect(unitOf(config, ETCD_SNAPSHOT_TIMER)).toMatch(/^OnUnitActiveSec=15min$/m);
    expect(unitOf(config, ETCD_SNAPSHOT_UNIT)).toContain('(the newest 5 kept)');
    expect(fileOf(config, ETCD_MEMBER_ENV)).toMatch(/^ETCD_SNAPSHOT_RETAIN=5$/m);
  });

  it('refuse snapshot settings out of range, at the field', () => {
    for (const [snapshots, field] of [
      [{ retain: 0 }, 'retain'],
      [{ intervalMinutes: 1 }, 'intervalMinutes'],
    ] as const) {
      const model = exampleModel('gce');
      const document = {
        apiVersion: 'hakoc.dev/v1alpha1',
        kind: 'Cluster',
        metadata: { name: model.name },
        spec: {
          domain: model.domain,
          provider: { gce: { project: 'p', region: 'europe-west1' } },
          workers: { count: 1 },
          etcd: { snapshots },
        },
      };
      const result = parseClusterSpec(document);
      expect(result.ok).toBe(false);
      if (!result.ok) {
        expect(result.diagnostics.map((d) => d.path.join('.'))).toContain(
          `spec.etcd.snapshots.${field}`,
        );
      }
    }
  });
});

describe('the etcd data disk', () => {
  it('is mounted on the data dir on GCE before the join unit and etcd, and not on Vagrant', async () => {
    const gce = await firstEtcdMember(exampleModel('gce'));
    expect(unitOf(gce, ETCD_DATA_MOUNT_UNIT)).toContain(`What=${ETCD_DATA_DISK_PATH}`);
    expect(unitOf(gce, ETCD_DATA_MOUNT_UNIT)).toMatch(/^Where=\/var\/lib\/etcd$/m);
    for (const unit of [ETCD_JOIN_UNIT, 'etcd-member.service']) {
      expect(unitOf(gce, unit)).toMatch(/^RequiresMountsFor=\/var\/lib\/etcd$/m);
    }
    const vagrant = await firstEtcdMember(exampleModel('vagrant'));
    expect(vagrant.units.map((unit) => unit.name)).not.toContain(ETCD_DATA_MOUNT_UNIT);
  });

  it('is formatted when blank and never again (mkfs.ext4 and blkid on a disk image)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hakoc-etcd-disk-'));
    scratch.push(dir);
    const disk = join(dir, 'disk.img');
    writeFileSync(disk, Buffer.alloc(16 << 20));
    const script = join(dir, 'etcd-data-format');
    writeFileSync(script, ETCD_DATA_FORMAT_SCRIPT_TEXT, { mode: 0o755 });
    const uuid = async () =>
      (await run('blkid', ['-p', '-s', 'UUID', '-o', 'value', disk])).stdout.trim();

    expect((await run('bash', [script, disk])).stdout).toContain(
      'is blank: making an ext4 filesystem',
    );
    const { stdout: type } = await run('blkid', ['-p', '-s', 'TYPE', '-o', 'value', disk]);
    expect(type.trim()).toBe('ext4');
    const first = await uuid();
    expect(first).toMatch(/^[0-9a-f-]{36}$/);

    expect((await run('bash', [script, disk])).stdout).toContain('has a filesystem: kept');
    expect(await uuid()).toBe(first);
  });
});

describe('the join script on its own', () => {
  // With no peers (a one-member cluster) etcdctl is never called: a stand-in that fails proves it.
  function member(): { dir: string; envFile: string; effective: string; dataDir: string } {
    const dir = mkdtempSync(join(tmpdir(), 'hakoc-etcd-join-'));
    scratch.push(dir);
    const model = exampleModel('vagrant', (d) => {
      (d.spec as { etcd: Record<string, unknown> }).etcd.count = 1;
    });
    const [etcdMember] = model.machineSets.etcd.machines;
    const env = etcdMemberEnvironment(
      model,
      { ...model.machineSets.etcd, machines: etcdMember ? [etcdMember] : [] },
      { binaries: { source: 'image' } } as Parameters<typeof etcdMemberEnvironment>[2],
    );
    expect(env.ETCD_PEER_CLIENT_URLS).toBe('');
    const dataDir = join(dir, 'data');
    mkdirSync(dataDir);
    writeFileSync(join(dir, 'etcd.yaml'), 'name: demo-etcd-0\ninitial-cluster-state: new\n');
    writeFileSync(join(dir, 'etcdctl-member'), '#!/bin/bash\nexit 1\n', { mode: 0o755 });
    writeFileSync(join(dir, 'etcd-member-join'), ETCD_JOIN_SCRIPT_TEXT, { mode: 0o755 });
    const effective = join(dir, 'run', 'etcd.yaml');
    const envFile = join(dir, 'member.env');
    writeFileSync(
      envFile,
      etcdMemberEnvFile({
        ...env,
        ETCD_DATA_DIR: dataDir,
        ETCD_CONFIG: join(dir, 'etcd.yaml'),
        ETCD_EFFECTIVE_CONFIG: effective,
      }),
    );
    return { dir, envFile, effective, dataDir };
  }
  const join_ = (m: ReturnType<typeof member>) =>
    run('bash', [join(m.dir, 'etcd-member-join')], {
      env: { ...process.env, ETCD_MEMBER_ENV: m.envFile },
      timeout: 10_000,
    });

  it('bootstraps a one-member cluster at once, then restarts it once it has data', async () => {
    const m = member();
    const started = Date.now();
    const first = await join_(m);
    expect(first.stdout).toContain('bootstrapping a new cluster');
    // The window is 60 s; with no peer to wait for, none of it is spent.
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(readFileSync(m.effective, 'utf8')).toBe(readFileSync(join(m.dir, 'etcd.yaml'), 'utf8'));
    mkdirSync(join(m.dataDir, 'member'));
    const second = await join_(m);
    expect(second.stdout).toContain('data dir present, restarting as the same member');
  });
});
