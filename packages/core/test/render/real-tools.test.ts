import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  type ClusterModel,
  DEFAULT_KUBERNETES_VERSION,
  ETCD_JOIN_SCRIPT,
  ETCD_JOIN_UNIT,
  ETCD_SNAPSHOT_SCRIPT,
  ETCD_SNAPSHOT_TIMER,
  ETCD_SNAPSHOT_UNIT,
  ETCDCTL_MEMBER_SCRIPT,
  METADATA_CONCEALMENT_SCRIPT,
  METADATA_CONCEALMENT_UNIT,
  type PinsFile,
  parseIgnition,
  type RenderedCluster,
  renderCluster,
  resolveSysextPin,
} from '@hakoc/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyIgnition, ignitionValidate, systemdVerify } from '../support/real-tools.js';
import { exampleModel, pinsFor, pkiFor } from './fixtures.js';
import { type SysextRelease, serveSysextRelease } from './sysext-release.js';

// Every rendered config of both examples, judged by the real tools: ignition-validate, the
// real Ignition binary (which also fetches the sysext from a loopback release and verifies its
// pinned hash), and systemd-analyze verify on every unit it wrote.

/** Binaries Flatcar or the sysext provide; systemd-analyze only needs them to exist. */
const OS_EXECUTABLES = [
  '/usr/bin/bash',
  '/usr/bin/rm',
  '/usr/bin/ctr',
  '/usr/bin/containerd',
  '/usr/bin/kubelet',
  '/usr/bin/kubectl',
  '/usr/bin/systemd-sysext',
  '/usr/bin/systemd-tmpfiles',
  '/usr/lib/systemd/systemd-modules-load',
  '/usr/lib/systemd/systemd-sysctl',
];

/** Flatcar's own containerd unit, which our drop-in changes. */
const CONTAINERD_UNIT = `[Unit]
Description=containerd (stand-in for Flatcar's unit)

[Service]
ExecStart=/usr/bin/containerd

[Install]
WantedBy=multi-user.target
`;

let release: SysextRelease;
const rendered = new Map<string, { model: ClusterModel; output: RenderedCluster }>();

beforeAll(async () => {
  release = await serveSysextRelease(DEFAULT_KUBERNETES_VERSION);
  for (const name of ['gce', 'vagrant'] as const) {
    const model = exampleModel(name, (document) => {
      const spec = document.spec as Record<string, unknown>;
      spec.image = { sysextBaseUrl: release.server.baseUrl };
    });
    const pin = await resolveSysextPin({
      version: model.kubernetes.version,
      baseUrl: release.server.baseUrl,
      fetch: (url) => fetch(url),
    });
    const pins: PinsFile = { version: 1, sysext: { [pin.url.split('/').pop() ?? '']: pin } };
    rendered.set(name, { model, output: renderCluster(model, await pkiFor(model), { pins }) });
  }
});

afterAll(async () => {
  await release?.server.close();
});

function configsOf(name: 'gce' | 'vagrant'): { path: string; text: string }[] {
  const entry = rendered.get(name);
  if (entry === undefined) throw new Error(`${name} was not rendered`);
  return entry.output.manifest.configs.map((config) => ({
    path: config.ignition,
    text: entry.output.files.get(config.ignition) ?? '',
  }));
}

describe.each(['gce', 'vagrant'] as const)('the %s example, rendered', (name) => {
  it('passes ignition-validate with no output for every config', () => {
    for (const { path, text } of configsOf(name)) {
      expect({ path, ...ignitionValidate(text) }).toEqual({ path, status: 0, output: '' });
    }
  });

  it('is applied by the real Ignition: files with their modes and owners, units enabled, the sysext fetched and verified, and systemd-analyze verifies every unit', () => {
    for (const { path, text } of configsOf(name)) {
      const config = parseIgnition(text);
      const { root } = applyIgnition(text);
      for (const file of config.files) {
        const stat = statSync(join(root, file.path));
        expect({ path: file.path, mode: stat.mode & 0o777, uid: stat.uid }).toEqual({
          path: file.path,
          mode: file.mode,
          uid: 0,
        });
        expect(readFileSync(join(root, file.path))).toEqual(Buffer.from(file.contents));
        if (file.secret) expect(stat.mode & 0o077).toBe(0);
      }
      for (const remote of config.remoteFiles ?? []) {
        expect(new Uint8Array(readFileSync(join(root, remote.path)))).toEqual(release.artifact);
      }
      const preset = readFileSync(
        join(root, 'etc/systemd/system-preset/20-ignition.preset'),
        'utf8',
      );
      for (const unit of config.units) {
        expect(preset.includes(`enable ${unit.name}`), `${path}: ${unit.name}`).toBe(unit.enabled);
      }
      writeFileSync(join(root, 'etc/systemd/system/containerd.service'), CONTAINERD_UNIT);
      const units = config.units.map((unit) => unit.name);
      expect({ path, ...systemdVerify(root, units, OS_EXECUTABLES) }).toEqual({
        path,
        status: 0,
        output: '',
      });
    }
  });
});

describe('metadata concealment', () => {
  it('lands on GCE controllers and workers through the real Ignition, enabled and verified, and not on Vagrant', () => {
    const gce = rendered.get('gce')?.output.manifest.configs ?? [];
    for (const config of gce.filter((c) => c.role === 'control-plane' || c.role === 'worker')) {
      const { root } = applyIgnition(
        configsOf('gce').find((c) => c.path === config.ignition)?.text ?? '',
      );
      const unit = readFileSync(
        join(root, 'etc/systemd/system', METADATA_CONCEALMENT_UNIT),
        'utf8',
      );
      expect(unit).toMatch(/^RequiredBy=kubelet\.service$/m);
      expect(statSync(join(root, METADATA_CONCEALMENT_SCRIPT)).mode & 0o777).toBe(0o755);
      const preset = readFileSync(
        join(root, 'etc/systemd/system-preset/20-ignition.preset'),
        'utf8',
      );
      expect(preset).toContain(`enable ${METADATA_CONCEALMENT_UNIT}`);
    }
    for (const { text } of configsOf('vagrant')) {
      expect(parseIgnition(text).units.map((u) => u.name)).not.toContain(METADATA_CONCEALMENT_UNIT);
    }
  });
});

describe('etcd members', () => {
  it.each(['gce', 'vagrant'] as const)(
    '%s: the join unit runs before etcd, the snapshot timer is enabled with its service, through the real Ignition',
    (name) => {
      const etcd =
        rendered.get(name)?.output.manifest.configs.filter((c) => c.role === 'etcd') ?? [];
      expect(etcd).toHaveLength(3);
      for (const config of etcd) {
        const { root } = applyIgnition(
          configsOf(name).find((c) => c.path === config.ignition)?.text ?? '',
        );
        const unit = (unitName: string) =>
          readFileSync(join(root, 'etc/systemd/system', unitName), 'utf8');
        expect(unit('etcd-member.service')).toMatch(
          new RegExp(`^Requires=.*${ETCD_JOIN_UNIT}$`, 'm'),
        );
        expect(unit('etcd-member.service')).toMatch(new RegExp(`^After=.*${ETCD_JOIN_UNIT}$`, 'm'));
        expect(unit('etcd-member.service')).toContain('--config-file=/run/etcd/etcd.yaml');
        expect(unit(ETCD_JOIN_UNIT)).toMatch(/^Type=oneshot$/m);
        expect(unit(ETCD_SNAPSHOT_TIMER)).toMatch(/^OnUnitActiveSec=60min$/m);
        expect(unit(ETCD_SNAPSHOT_UNIT)).toMatch(/^Requisite=etcd-member\.service$/m);
        const preset = readFileSync(
          join(root, 'etc/systemd/system-preset/20-ignition.preset'),
          'utf8',
        );
        expect(preset).toContain(`enable ${ETCD_SNAPSHOT_TIMER}`);
        for (const script of [ETCD_JOIN_SCRIPT, ETCD_SNAPSHOT_SCRIPT, ETCDCTL_MEMBER_SCRIPT]) {
          expect(statSync(join(root, script)).mode & 0o777).toBe(0o755);
        }
        writeFileSync(join(root, 'etc/systemd/system/containerd.service'), CONTAINERD_UNIT);
        expect(
          systemdVerify(
            root,
            [ETCD_JOIN_UNIT, ETCD_SNAPSHOT_UNIT, ETCD_SNAPSHOT_TIMER],
            OS_EXECUTABLES,
          ),
        ).toEqual({ status: 0, output: '' });
      }
    },
  );
});

describe('the sysext download', () => {
  it('is refused by the real Ignition when the served file does not match its pin', async () => {
    const model = exampleModel('gce');
    // The pin is the genuine hash; the URL serves a copy with one byte flipped.
    const pins = pinsFor(model, `${release.server.baseUrl}/tampered`, release.sha256);
    const output = renderCluster(model, await pkiFor(model), { pins });
    const worker = output.files.get('configs/demo-worker.ign') ?? '';
    expect(() => applyIgnition(worker)).toThrow(/hash verification failed/);
  });
});
