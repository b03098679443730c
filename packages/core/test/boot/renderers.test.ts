import {
  assertFitsChannel,
  composeBootConfig,
  GCE_METADATA_VALUE_LIMIT_BYTES,
  isHakocError,
  parseCloudConfig,
  parseIgnition,
  renderCloudConfig,
  renderIgnition,
} from '@hakoc/core';
import { describe, expect, it } from 'vitest';
import { binary, largeText, sampleBootConfig } from './sample-config.js';

describe('composeBootConfig', () => {
  it('sorts files and units so output does not depend on module order', () => {
    const config = sampleBootConfig();
    expect(config.files.map((f) => f.path)).toEqual([
      '/etc/etcd/etcd.yaml',
      '/etc/etcd/pki/server.key',
      '/opt/hakoc/blob.bin',
      '/opt/hakoc/large.txt',
    ]);
    expect(config.units.map((u) => u.name)).toEqual([
      'etcd-member.service',
      'systemd-timesyncd.service',
    ]);
  });

  it('refuses two modules writing one path, naming both', () => {
    const file = { path: '/etc/x', contents: 'a', mode: 0o644 };
    let caught: unknown;
    try {
      composeBootConfig([
        { module: 'kubelet', part: { files: [file] } },
        { module: 'flannel', part: { files: [file] } },
      ]);
    } catch (error) {
      caught = error;
    }
    expect(isHakocError(caught) && caught.code).toBe('HAKOC_BOOT_CONFLICT');
    expect((caught as Error).message).toContain('kubelet and flannel');
  });

  it('refuses two modules defining one unit, and relative paths', () => {
    const unit = { name: 'a.service', enabled: true, contents: '' };
    expect(() =>
      composeBootConfig([
        { module: 'one', part: { units: [unit] } },
        { module: 'two', part: { units: [unit] } },
      ]),
    ).toThrow(/one and two both write the unit a.service/);
    expect(() =>
      composeBootConfig([
        { module: 'one', part: { files: [{ path: 'etc/x', contents: '', mode: 0o644 }] } },
      ]),
    ).toThrow(/relative path/);
  });
});

describe('renderers', () => {
  it('carry the same files and units in both forms', () => {
    const config = sampleBootConfig();
    const fromIgnition = parseIgnition(renderIgnition(config));
    const fromCloudConfig = parseCloudConfig(renderCloudConfig(config));
    const comparable = (c: typeof config) => ({
      files: c.files.map((f) => ({
        path: f.path,
        mode: f.mode,
        user: f.user ?? 'root',
        group: f.group ?? 'root',
        contents: Buffer.from(f.contents).toString('hex'),
      })),
      units: c.units.map((u) => ({
        name: u.name,
        enabled: u.enabled,
        contents: u.contents,
        dropins: u.dropins,
      })),
    });
    expect(comparable(fromIgnition)).toEqual(comparable(config));
    expect(comparable(fromCloudConfig)).toEqual(comparable(config));
    expect(fromIgnition.files.find((f) => f.path === '/opt/hakoc/blob.bin')?.contents).toEqual(
      binary,
    );
  });

  it('are byte-identical for the same input', () => {
    expect(renderIgnition(sampleBootConfig())).toBe(renderIgnition(sampleBootConfig()));
    expect(renderCloudConfig(sampleBootConfig())).toBe(renderCloudConfig(sampleBootConfig()));
  });

  it('compress large files and keep small text readable in cloud-config', () => {
    const ignition = JSON.parse(renderIgnition(sampleBootConfig())) as {
      storage: { files: { path: string; contents: { compression?: string; source: string } }[] };
    };
    const large = ignition.storage.files.find((f) => f.path === '/opt/hakoc/large.txt');
    expect(large?.contents.compression).toBe('gzip');
    expect(large?.contents.source.length).toBeLessThan(largeText.length / 2);
    const cloudConfig = renderCloudConfig(sampleBootConfig());
    expect(cloudConfig.startsWith('#cloud-config\n')).toBe(true);
    expect(cloudConfig).toContain('name: demo-etcd-0');
    expect(cloudConfig).toContain('encoding: gzip+base64');
    expect(cloudConfig).toContain('owner: etcd:etcd');
    expect(cloudConfig).toContain('permissions: "0600"');
  });

  it('refuse a config larger than its channel', () => {
    expect(() => assertFitsChannel('x'.repeat(10), 5, 'worker config')).toThrow(
      /10 bytes, over the 5-byte limit/,
    );
    expect(() =>
      assertFitsChannel(renderIgnition(sampleBootConfig()), GCE_METADATA_VALUE_LIMIT_BYTES, 'c'),
    ).not.toThrow();
  });
});
