import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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
  ETCD_LEAVE_METADATA_KEY,
  ETCD_LEAVE_SCRIPT,
  ETCD_LEAVE_SCRIPT_TEXT,
  ETCD_LEAVE_UNIT,
  ETCD_LEAVE_WATCH_UNIT,
  ETCD_MEMBER_ENV,
  ETCD_SNAPSHOT_TIMER,
  ETCD_SNAPSHOT_UNIT,
  etcdConfig,
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
    // Peers: every other member a cluster may have (at most 9), by DNS name on GCE.
    const peers = [1, 2, 3, 4, 5, 6, 7, 8].map((i) => `https://etcd-${i}.k8s.example.com:2379`);
    expect(env).toContain(`\nETCD_PEER_CLIENT_URLS=${peers.join(',')}\n`);
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

describe('leaving the cluster', () => {
  it('is a oneshot unit on every provider, and on GCE also a watch on the metadata server', async () => {
    const gce = await firstEtcdMember(exampleModel('gce'));
    expect(unitOf(gce, ETCD_LEAVE_UNIT)).toMatch(/^Type=oneshot$/m);
    expect(unitOf(gce, ETCD_LEAVE_UNIT)).toContain(`ExecStart=${ETCD_LEAVE_SCRIPT}\n`);
    expect(unitOf(gce, ETCD_LEAVE_WATCH_UNIT)).toContain(
      `ExecStart=${ETCD_LEAVE_SCRIPT} --watch http://169.254.169.254/computeMetadata/v1\n`,
    );
    expect(gce.units.find((u) => u.name === ETCD_LEAVE_WATCH_UNIT)?.enabled).toBe(true);
    expect(gce.units.find((u) => u.name === ETCD_LEAVE_UNIT)?.enabled).toBe(false);
    expect(fileOf(gce, ETCD_LEAVE_SCRIPT)).toBe(ETCD_LEAVE_SCRIPT_TEXT);
    expect(ETCD_LEAVE_SCRIPT_TEXT).toContain(`instance/attributes/${ETCD_LEAVE_METADATA_KEY}`);

    const vagrant = await firstEtcdMember(exampleModel('vagrant'));
    expect(vagrant.units.map((u) => u.name)).toContain(ETCD_LEAVE_UNIT);
    expect(vagrant.units.map((u) => u.name)).not.toContain(ETCD_LEAVE_WATCH_UNIT);
  });

  it('refuses an argument it does not know, before touching etcd', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hakoc-etcd-leave-'));
    scratch.push(dir);
    const script = join(dir, 'etcd-member-leave');
    writeFileSync(script, ETCD_LEAVE_SCRIPT_TEXT, { mode: 0o755 });
    writeFileSync(join(dir, 'member.env'), 'ETCD_NAME=demo-etcd-0\n');
    writeFileSync(join(dir, 'etcdctl-member'), '#!/bin/bash\necho called >&2\nexit 1\n', {
      mode: 0o755,
    });
    const error = await run('bash', [script, '--now'], {
      env: { ...process.env, ETCD_MEMBER_ENV: join(dir, 'member.env') },
    }).then(
      () => undefined,
      (e: { code?: number; stderr?: string }) => e,
    );
    expect(error?.code).toBe(2);
    expect(error?.stderr).toContain('usage:');
    expect(error?.stderr).not.toContain('called');
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
  // No peer answers: the stand-in etcdctl fails every call, as unreachable peers do.
  function member(index: number): {
    dir: string;
    envFile: string;
    effective: string;
    dataDir: string;
  } {
    const dir = mkdtempSync(join(tmpdir(), 'hakoc-etcd-join-'));
    scratch.push(dir);
    const model = exampleModel('vagrant', (d) => {
      (d.spec as { etcd: Record<string, unknown> }).etcd.count = 5;
    });
    const machine = model.machineSets.etcd.machines[index];
    const env = etcdMemberEnvironment(
      model,
      { ...model.machineSets.etcd, machines: machine ? [machine] : [] },
      { binaries: { source: 'image' } } as Parameters<typeof etcdMemberEnvironment>[2],
    );
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
        ETCD_JOIN_WINDOW_SECONDS: '1',
        ETCD_JOIN_PATIENCE_SECONDS: '1',
      }),
    );
    return { dir, envFile, effective, dataDir };
  }
  const joinScript = (m: ReturnType<typeof member>) =>
    run('bash', [join(m.dir, 'etcd-member-join')], {
      env: { ...process.env, ETCD_MEMBER_ENV: m.envFile },
      timeout: 20_000,
    });

  it('lets a bootstrap member bootstrap when no peer is healthy, then restart once it has data', async () => {
    const m = member(0);
    const first = await joinScript(m);
    expect(first.stdout).toContain('no healthy peer within 1s, bootstrapping a new cluster');
    expect(readFileSync(m.effective, 'utf8')).toBe(readFileSync(join(m.dir, 'etcd.yaml'), 'utf8'));
    mkdirSync(join(m.dataDir, 'member'));
    const second = await joinScript(m);
    expect(second.stdout).toContain('data dir present, restarting as the same member');
  });

  it('never lets a member outside the bootstrap set bootstrap: it waits longer, then fails', async () => {
    const m = member(3);
    const error = await joinScript(m).then(
      () => undefined,
      (e: { code?: number; stderr?: string }) => e,
    );
    expect(error?.code).toBe(1);
    expect(error?.stderr).toContain(
      'no healthy peer within 2s, and it only joins a cluster that exists',
    );
    expect(existsSync(m.effective)).toBe(false);
  });
});

describe('scaling etcd', () => {
  it.each(['gce', 'vagrant'] as const)(
    '%s: leaves the etcd config and environment of members 0-2 as they are from 3 to 5 members',
    (name) => {
      const files = (count: number) => {
        const model = exampleModel(name, (d) => {
          (d.spec as { etcd: Record<string, unknown> }).etcd.count = count;
        });
        return model.machineSets.etcd.machines.map((machine) => {
          const set = { ...model.machineSets.etcd, machines: [machine] };
          const artifacts = { binaries: { source: 'image' } } as Parameters<
            typeof etcdMemberEnvironment
          >[2];
          return {
            config: etcdConfig(model, set),
            env: etcdMemberEnvironment(model, set, artifacts),
          };
        });
      };
      const three = files(3);
      const five = files(5);
      expect(five.slice(0, 3)).toEqual(three);
      expect(five[3]?.env.ETCD_BOOTSTRAP).toBe('no');
      expect(three.map((member) => member.env.ETCD_BOOTSTRAP)).toEqual(['yes', 'yes', 'yes']);
      expect(five[4]?.config['initial-cluster']).toBe(three[0]?.config['initial-cluster']);
    },
  );
});
