import { formatDiagnostic, formatPath, parseClusterSpec } from '@hakoc/core';
import { describe, expect, it } from 'vitest';
import { exampleText as example, gceInput, withField } from './fixtures.js';

const exampleText = () => example('gce');

describe('formatPath', () => {
  it('writes paths the way code does', () => {
    expect(formatPath(['spec', 'provider', 'gce', 'zones', 1])).toBe('spec.provider.gce.zones[1]');
    expect(formatPath(['metadata', 'name'])).toBe('metadata.name');
    expect(formatPath(['spec', 'odd key'])).toBe('spec["odd key"]');
    expect(formatPath([])).toBe('(root)');
  });
});

describe('formatDiagnostic', () => {
  it('prints file:line:col  path  message, and the hint below', () => {
    expect(
      formatDiagnostic({
        severity: 'error',
        code: 'etcd.evenCount',
        message: 'etcd count 4 is even',
        path: ['spec', 'etcd', 'count'],
        hint: 'use 3 or 5',
        location: { file: 'c.yaml', line: 3, column: 7 },
      }),
    ).toBe('c.yaml:3:7  spec.etcd.count  etcd count 4 is even\n    hint: use 3 or 5');
  });
});

// One mistake per line, in ten different fields; each must come back as its own diagnostic.
const TEN_MISTAKES = `apiVersion: hakoc.dev/v1alpha1
kind: Cluster
metadata:
  name: Demo
spec:
  domain: localhost
  provider:
    gce:
      project: my-project
      region: europe-west1
      zones: [europe-west1-b, us-east1-c]
      dnsZone: example-com
  kubernetes: { version: 1.34.2 }
  image: { os: flatcar, chanel: beta }
  etcd: { count: 4, machineType: e2-small }
  controlPlane: { count: three }
  workers: { min: 5, max: 2 }
  network:
    nodeCidr: 10.240.0.0/20
    podCidr: 10.2.1.0/16
    serviceCidr: 10.240.0.0/24
`;

describe('a spec with ten mistakes', () => {
  it('gets ten diagnostics, each located on its own line', () => {
    const result = parseClusterSpec(TEN_MISTAKES, { file: 'ten.yaml' });
    expect(result.ok).toBe(false);
    const summary = result.diagnostics.map((d) => [
      d.severity,
      d.code,
      formatPath(d.path),
      `${d.location?.line}:${d.location?.column}`,
    ]);
    expect(summary).toEqual([
      ['error', 'name.invalid', 'metadata.name', '4:9'],
      ['error', 'domain.invalid', 'spec.domain', '6:11'],
      ['error', 'gce.zoneOutsideRegion', 'spec.provider.gce.zones[1]', '11:31'],
      ['error', 'kubernetes.unsupportedVersion', 'spec.kubernetes.version', '13:26'],
      ['error', 'spec.unknownField', 'spec.image.chanel', '14:25'],
      ['error', 'etcd.evenCount', 'spec.etcd.count', '15:18'],
      ['error', 'spec.type', 'spec.controlPlane.count', '16:26'],
      ['error', 'workers.minAboveMax', 'spec.workers.min', '17:19'],
      ['error', 'cidr.hostBits', 'spec.network.podCidr', '20:14'],
      ['error', 'network.overlap', 'spec.network.serviceCidr', '21:18'],
    ]);
    expect(result.diagnostics).toHaveLength(10);
    expect(result.diagnostics.every((d) => d.message.length > 0 && d.hint !== undefined)).toBe(
      true,
    );
  });
});

describe('shape diagnostics', () => {
  it('points a missing key at its parent', () => {
    const text =
      'apiVersion: hakoc.dev/v1alpha1\nkind: Cluster\nmetadata:\n  title: demo\nspec: {}\n';
    const result = parseClusterSpec(text);
    const missingName = result.diagnostics.find((d) => formatPath(d.path) === 'metadata.name');
    expect(missingName).toMatchObject({ code: 'spec.required', location: { line: 3, column: 1 } });
    expect(missingName?.hint).toContain('cluster name');
    const unknown = result.diagnostics.find((d) => d.code === 'spec.unknownField');
    expect(unknown).toMatchObject({
      path: ['metadata', 'title'],
      location: { line: 4, column: 3 },
    });
    expect(unknown?.hint).toBe('fields allowed here: name');
  });

  it('suggests the field that was probably meant', () => {
    const result = parseClusterSpec(withField(gceInput(), ['spec', 'ControlPlane'], { count: 3 }));
    expect(result.diagnostics).toEqual([
      expect.objectContaining({
        code: 'spec.unknownField',
        path: ['spec', 'ControlPlane'],
        hint: 'did you mean "controlPlane"?',
      }),
    ]);
    expect(result.diagnostics[0]?.location).toBeUndefined();
  });

  it('explains a version YAML read as a number', () => {
    const text = exampleText().replace('  etcd:', '  kubernetes:\n    version: 1.36\n  etcd:');
    const [diagnostic] = parseClusterSpec(text).diagnostics;
    expect(diagnostic).toMatchObject({
      code: 'spec.type',
      message: 'expected text, got the number 1.36',
      hint: 'YAML reads this as a number; put it in quotes',
      location: { line: 14, column: 14 },
    });
  });

  it('still checks a section that has an unknown field', () => {
    const input = withField(gceInput(), ['spec', 'etcd'], { count: 4, machineTyp: 'e2-small' });
    expect(parseClusterSpec(input).diagnostics.map((d) => d.code)).toEqual([
      'spec.unknownField',
      'etcd.evenCount',
    ]);
  });

  it('asks for a list where a single value was written', () => {
    const result = parseClusterSpec(
      withField(gceInput(), ['spec', 'provider', 'gce', 'zones'], 'europe-west1-b'),
    );
    expect(result.diagnostics).toEqual([
      expect.objectContaining({
        code: 'spec.type',
        message: 'expected a list, got "europe-west1-b"',
        hint: 'write a list, even of one item: [europe-west1-b]',
      }),
    ]);
  });

  it('suggests the closest allowed value', () => {
    const result = parseClusterSpec(
      withField(gceInput(), ['spec', 'pki', 'keyAlgorithm'], 'ecdsa-p265'),
    );
    expect(result.diagnostics).toEqual([
      expect.objectContaining({ code: 'spec.invalidValue', hint: 'did you mean "ecdsa-p256"?' }),
    ]);
  });

  it('locates fields in JSON text too', () => {
    const json = JSON.stringify(withField(gceInput(), ['spec', 'etcd', 'count'], 2), null, 2);
    const [diagnostic] = parseClusterSpec(json).diagnostics;
    const line = json.split('\n').findIndex((l) => l.includes('"count": 2')) + 1;
    expect(diagnostic).toMatchObject({ code: 'etcd.evenCount', location: { line } });
  });

  it('says which sizes a worker pool takes', () => {
    const codes = (workers: unknown) =>
      parseClusterSpec(withField(gceInput(), ['spec', 'workers'], workers)).diagnostics.map(
        (d) => d.code,
      );
    expect(codes({ machineType: 'e2-small' })).toEqual(['workers.size']);
    expect(codes({ count: 2, min: 1, max: 3 })).toEqual(['workers.countAndRange']);
    expect(codes({ min: 1 })).toEqual(['workers.rangeIncomplete']);
    expect(codes({ count: 2, cpuTarget: 0.5 })).toEqual(['workers.cpuTargetWithoutAutoscaling']);
    expect(codes({ min: 0, max: 0 })).toEqual(['spec.tooSmall']);
    expect(codes(undefined)).toEqual(['spec.required']);
  });

  it('wants exactly one provider and one passphrase source', () => {
    const both = withField(gceInput(), ['spec', 'provider', 'vagrant'], {});
    expect(parseClusterSpec(both).diagnostics.map((d) => d.code)).toEqual(['provider.exactlyOne']);
    expect(
      parseClusterSpec(withField(gceInput(), ['spec', 'provider'], {})).diagnostics,
    ).toMatchObject([{ code: 'provider.exactlyOne', message: 'no provider is set' }]);
    const twoSources = withField(gceInput(), ['spec', 'keyStore', 'passphrase'], {
      env: 'A',
      prompt: true,
    });
    expect(parseClusterSpec(twoSources).diagnostics.map((d) => d.code)).toEqual([
      'keyStore.passphraseSource',
    ]);
  });

  it('reports a misspelt passphrase source once, as an unknown field', () => {
    const misspelt = withField(gceInput(), ['spec', 'keyStore', 'passphrase'], { envv: 'A' });
    expect(parseClusterSpec(misspelt).diagnostics).toMatchObject([
      { code: 'spec.unknownField', path: ['spec', 'keyStore', 'passphrase', 'envv'] },
    ]);
    expect(
      parseClusterSpec(withField(gceInput(), ['spec', 'keyStore', 'passphrase'], {})).diagnostics,
    ).toMatchObject([
      { code: 'keyStore.passphraseSource', message: 'no passphrase source is set' },
    ]);
  });

  it('wants https for the sysext mirror, except on a loopback host', () => {
    const codes = (url: string) =>
      parseClusterSpec(
        withField(gceInput(), ['spec', 'image', 'sysextBaseUrl'], url),
      ).diagnostics.map((d) => d.code);
    expect(codes('http://mirror.example.com/sysext')).toEqual(['image.insecureUrl']);
    expect(codes('http://127.0.0.1.example.com/')).toEqual(['image.insecureUrl']);
    expect(codes('http://10.0.0.1:8080/')).toEqual(['image.insecureUrl']);
    for (const url of [
      'https://mirror.example.com/sysext',
      'http://127.0.0.1:8080',
      'http://127.9.8.7/x',
      'http://localhost:3000/',
      'http://[::1]:3000/',
    ]) {
      expect(codes(url), url).toEqual([]);
    }
    expect(codes('ftp://mirror.example.com/')).toEqual(['spec.invalid']);
  });

  it('locates an unresolved YAML alias at the alias, not at 1:1', () => {
    const result = parseClusterSpec(`${exampleText()}extra: *nowhere\n`);
    const lines = exampleText().split('\n').length;
    expect(result.diagnostics).toMatchObject([
      { code: 'yaml.syntax', location: { line: lines, column: 8 } },
    ]);
  });

  it('reports a YAML alias to its own parent as not plain data, at the alias', () => {
    const result = parseClusterSpec('loop: &a [1, *a]\n');
    expect(result.ok).toBe(false);
    expect(result.diagnostics).toContainEqual(
      expect.objectContaining({
        code: 'spec.notPlainData',
        path: ['loop', 1],
        location: { line: 1, column: 14 },
      }),
    );
  });
});

describe('objects that are not plain data', () => {
  it('reports a bigint as a bigint, with its path', () => {
    const result = parseClusterSpec(withField(gceInput(), ['spec', 'etcd', 'count'], 10n));
    expect(result.diagnostics).toMatchObject([
      {
        code: 'spec.notPlainData',
        path: ['spec', 'etcd', 'count'],
        message: expect.stringContaining('a bigint (10n)'),
      },
    ]);
  });

  it('reports a Map section instead of reading it as {}', () => {
    const input = gceInput() as unknown as { spec: Record<string, unknown> };
    input.spec.workers = new Map([['min', 2]]);
    expect(parseClusterSpec(input).diagnostics).toMatchObject([
      {
        code: 'spec.notPlainData',
        path: ['spec', 'workers'],
        message: expect.stringContaining('a Map'),
      },
    ]);
  });

  it('reports a throwing getter at its path instead of throwing', () => {
    const input = gceInput() as unknown as { spec: Record<string, unknown> };
    Object.defineProperty(input.spec, 'etcd', {
      enumerable: true,
      get: () => {
        throw new Error('no etcd for you');
      },
    });
    expect(parseClusterSpec(input).diagnostics).toMatchObject([
      {
        code: 'spec.notPlainData',
        path: ['spec', 'etcd'],
        message: expect.stringContaining('no etcd for you'),
      },
    ]);
  });

  it('does not read inherited properties as fields', () => {
    const input = gceInput() as unknown as { spec: Record<string, unknown> };
    input.spec.etcd = Object.create({ count: 4 }) as unknown;
    expect(parseClusterSpec(input).diagnostics).toMatchObject([
      { code: 'spec.notPlainData', path: ['spec', 'etcd'] },
    ]);
  });

  it('reports a cycle at the reference that closes it', () => {
    const input = gceInput() as unknown as { spec: Record<string, unknown> };
    input.spec.workers = { min: 1, max: 2, back: input };
    expect(parseClusterSpec(input).diagnostics).toMatchObject([
      { code: 'spec.notPlainData', path: ['spec', 'workers', 'back'] },
    ]);
  });

  it('copies a value shared by two fields, which is not a cycle', () => {
    const input = gceInput();
    const zones = ['europe-west1-b'];
    Object.assign(input.spec, { access: { apiSourceRanges: ['0.0.0.0/0'], sshSourceRanges: [] } });
    if ('gce' in input.spec.provider) input.spec.provider.gce.zones = zones;
    const shared = { machineType: 'e2-small', count: 3 };
    Object.assign(input.spec, { etcd: shared, controlPlane: shared });
    expect(parseClusterSpec(input).ok).toBe(true);
  });
});
