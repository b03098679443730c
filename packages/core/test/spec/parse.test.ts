import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DEFAULT_KUBERNETES_VERSION,
  isHakocError,
  loadClusterSpec,
  parseClusterSpec,
  readClusterSpecFile,
  SpecError,
} from '@hakoc/core';
import { describe, expect, it } from 'vitest';
import { exampleText, gceInput, vagrantInput, withField } from './fixtures.js';

describe('parseClusterSpec', () => {
  it('parses examples/gce.yaml as written, filling every default', () => {
    const result = parseClusterSpec(exampleText('gce'));
    expect(result).toMatchObject({ ok: true, diagnostics: [] });
    if (!result.ok) return;
    const { spec } = result.spec;
    expect(spec.provider).toEqual({
      gce: {
        project: 'my-project',
        region: 'europe-west1',
        zones: ['europe-west1-b', 'europe-west1-c', 'europe-west1-d'],
        dnsZone: 'example-com',
        internalLoadBalancer: false,
      },
    });
    expect(spec.kubernetes).toEqual({
      version: DEFAULT_KUBERNETES_VERSION,
      clusterDomain: 'cluster.local',
    });
    expect(spec.image).toEqual({ os: 'flatcar', channel: 'stable' });
    expect(spec.access).toEqual({ apiSourceRanges: ['0.0.0.0/0'], sshSourceRanges: [] });
    expect(spec.pki).toEqual({
      keyAlgorithm: 'ecdsa-p256',
      caValidityDays: 3650,
      leafValidityDays: 365,
      etcdCertValidityDays: 365,
    });
    expect(spec.keyStore).toEqual({
      dir: '.hakoc/demo/pki',
      passphrase: { env: 'HAKOC_PASSPHRASE' },
    });
    expect(spec.etcd).toEqual({
      count: 3,
      machineType: 'e2-small',
      diskSizeGb: 20,
      snapshots: { intervalMinutes: 60, retain: 24 },
    });
    expect(spec.controlPlane).toEqual({ count: 3, machineType: 'e2-standard-2', diskSizeGb: 50 });
    expect(spec.workers).toEqual({
      min: 2,
      max: 10,
      cpuTarget: 0.6,
      machineType: 'e2-standard-4',
      diskSizeGb: 100,
    });
  });

  it('parses examples/vagrant.yaml as written', () => {
    const result = parseClusterSpec(exampleText('vagrant'));
    expect(result).toMatchObject({ ok: true, diagnostics: [] });
    if (!result.ok) return;
    expect(result.spec.spec.provider).toEqual({
      vagrant: { network: '192.168.56.0/24', box: 'flatcar-stable', hypervisor: 'virtualbox' },
    });
    expect(result.spec.spec.workers).toEqual({
      count: 2,
      machineType: 'e2-standard-4',
      diskSizeGb: 100,
    });
  });

  it('gives the same spec from YAML text, JSON text and an object', () => {
    const fromYaml = parseClusterSpec(exampleText('gce'));
    const fromJson = parseClusterSpec(JSON.stringify(gceInput(), null, 2));
    const fromObject = parseClusterSpec(gceInput());
    expect(fromJson).toEqual(fromYaml);
    expect(fromObject).toEqual(fromYaml);
  });

  it('fills machine types and counts when a machine set is left out', () => {
    const input = withField(
      withField(gceInput(), ['spec', 'etcd'], undefined),
      ['spec', 'controlPlane'],
      undefined,
    );
    const result = parseClusterSpec(input);
    expect(result.ok && result.spec.spec.etcd).toEqual({
      count: 3,
      machineType: 'e2-small',
      diskSizeGb: 20,
      snapshots: { intervalMinutes: 60, retain: 24 },
    });
    expect(result.ok && result.spec.spec.controlPlane.machineType).toBe('e2-standard-2');
  });

  it('accepts every optional field', () => {
    const input = structuredClone(gceInput());
    Object.assign(input.spec, {
      kubernetes: { version: '1.35.4', clusterDomain: 'cluster.internal' },
      image: { os: 'fedora-coreos', channel: 'testing', name: 'k8s-node-1-35' },
      access: { apiSourceRanges: ['203.0.113.0/24'], sshSourceRanges: ['198.51.100.7/32'] },
      pki: {
        keyAlgorithm: 'rsa-3072',
        caValidityDays: 7300,
        leafValidityDays: 90,
        etcdCertValidityDays: 180,
      },
      keyStore: { dir: '/secure/pki', passphrase: { file: '/run/secrets/pass' } },
    });
    Object.assign(input.spec.provider, {
      gce: {
        ...('gce' in input.spec.provider ? input.spec.provider.gce : {}),
        credentialsFile: 'sa.json',
        internalLoadBalancer: true,
      },
    });
    const result = parseClusterSpec(input);
    expect(result).toMatchObject({ ok: true, diagnostics: [] });
    expect(result.ok && result.spec.spec.keyStore).toEqual({
      dir: '/secure/pki',
      passphrase: { file: '/run/secrets/pass' },
    });
  });

  it('returns warnings with a valid spec', () => {
    const result = parseClusterSpec(withField(gceInput(), ['spec', 'etcd', 'count'], 1));
    expect(result.ok).toBe(true);
    expect(result.diagnostics.map((d) => [d.severity, d.code])).toEqual([
      ['warning', 'etcd.singleMember'],
    ]);
  });

  it('reports YAML syntax errors as located diagnostics instead of throwing', () => {
    const result = parseClusterSpec(
      'apiVersion: hakoc.dev/v1alpha1\nkind: [Cluster\nmetadata: {}\n',
      {
        file: 'broken.yaml',
      },
    );
    expect(result.ok).toBe(false);
    expect(result.diagnostics.length).toBeGreaterThan(0);
    for (const diagnostic of result.diagnostics) {
      expect(diagnostic.code).toBe('yaml.syntax');
      expect(diagnostic.location?.file).toBe('broken.yaml');
      expect(diagnostic.location?.line).toBeGreaterThanOrEqual(2);
    }
  });

  it('reports duplicate keys', () => {
    const result = parseClusterSpec(`${exampleText('gce')}metadata: { name: twice }\n`);
    expect(result.ok).toBe(false);
    expect(result.diagnostics[0]).toMatchObject({ code: 'yaml.syntax', location: { line: 20 } });
  });

  it('reports an empty document as a missing mapping', () => {
    const result = parseClusterSpec('');
    expect(result.ok).toBe(false);
    expect(result.diagnostics).toMatchObject([
      { code: 'spec.type', path: [], location: { line: 1, column: 1 } },
    ]);
  });
});

describe('loadClusterSpec', () => {
  it('returns the spec', () => {
    expect(loadClusterSpec(vagrantInput()).metadata.name).toBe('demo');
  });

  it('throws a SpecError carrying every diagnostic', () => {
    const input = withField(
      withField(gceInput(), ['spec', 'etcd', 'count'], 2),
      ['metadata', 'name'],
      'X',
    );
    let thrown: unknown;
    try {
      loadClusterSpec(input);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(SpecError);
    expect(isHakocError(thrown)).toBe(true);
    const error = thrown as SpecError;
    expect(error.code).toBe('HAKOC_SPEC_INVALID');
    expect(error.diagnostics.map((d) => d.code).sort()).toEqual(['etcd.evenCount', 'name.invalid']);
    expect(error.message).toContain('spec.etcd.count');
    expect(error.message).toContain('2 errors');
  });
});

describe('readClusterSpecFile', () => {
  it('puts the file name in every location', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hakoc-spec-'));
    const file = join(dir, 'cluster.yaml');
    await writeFile(
      file,
      exampleText('gce').replace('count: 3, machineType: e2-small', 'count: 4'),
    );
    const result = await readClusterSpecFile(file);
    expect(result.ok).toBe(false);
    expect(result.diagnostics).toEqual([
      expect.objectContaining({
        code: 'etcd.evenCount',
        location: { file, line: 13, column: 18 },
      }),
    ]);
  });

  it('reports a missing file as one diagnostic', async () => {
    const result = await readClusterSpecFile('/nonexistent/cluster.yaml');
    expect(result).toMatchObject({
      ok: false,
      diagnostics: [{ severity: 'error', code: 'spec.unreadable', path: [] }],
    });
    expect(result.diagnostics).toHaveLength(1);
  });
});
