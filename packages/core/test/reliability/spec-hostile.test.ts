import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  buildClusterModel,
  type Diagnostic,
  type ParseResult,
  parseClusterSpec,
  readClusterSpecFile,
} from '@hakoc/core';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { MAX_SPEC_BYTES } from '../../src/spec/size-limit.js';
import { gceInput, vagrantInput, withField } from '../spec/fixtures.js';
import { recordReliability } from './support/results.js';

// Inputs written to hurt: YAML alias bombs, huge and endless files, documents nested past any
// stack, keys that mean something to JavaScript, and names that would escape into paths, shell
// commands, labels and machine names. Each is refused with a diagnostic at its place, or kept
// harmless, and none costs more than a moment.

const dir = mkdtempSync(join(tmpdir(), 'hakoc-hostile-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const area = 'Hostile and broken input' as const;

function errors(result: ParseResult): Diagnostic[] {
  return result.diagnostics.filter((d) => d.severity === 'error');
}

function codes(result: ParseResult): string[] {
  return errors(result).map((d) => d.code);
}

/** `levels` of nine aliases each: 9^levels strings once expanded. */
function billionLaughs(levels: number): string {
  const lines = ['a0: &a0 "lol"'];
  for (let level = 1; level <= levels; level++) {
    const previous = `*a${level - 1}`;
    lines.push(`a${level}: &a${level} [${Array(9).fill(previous).join(', ')}]`);
  }
  return `${lines.join('\n')}\n`;
}

describe('YAML alias bombs', () => {
  it('refuses billion laughs at the alias that exploded, before expanding it', async () => {
    await recordReliability(
      {
        id: 'spec-alias-bombs',
        area,
        test: 'YAML alias bombs: billion laughs of 3 to 12 levels (up to 9^12 nodes), inside a spec and as the whole document, and a wide bomb that stays under the alias limit',
        unit: 'documents',
        held: 'every bomb is refused with one located yaml.syntax error before expansion; the wide one is refused by the schema; nothing throws',
        file: import.meta.url,
      },
      (cases) => {
        for (let levels = 3; levels <= 12; levels++) {
          const bomb = billionLaughs(levels);
          for (const text of [bomb, `${stringify(gceInput())}${bomb}`]) {
            const result = parseClusterSpec(text, { file: 'bomb.yaml' });
            expect(result.ok).toBe(false);
            if (levels >= 4) {
              const [first] = errors(result);
              expect(first?.code).toBe('yaml.syntax');
              expect(first?.message).toMatch(/alias/i);
              expect(first?.location?.line).toBeGreaterThan(1);
            }
            cases.add();
          }
        }
        // 99 aliases of one 4,000-item list: under the alias limit, 400,000 nodes once expanded.
        const items = Array.from({ length: 4000 }, (_, i) => String(i % 10)).join(',');
        const aliases = Array(99).fill('*big').join(', ');
        const wide = `${stringify(vagrantInput())}extra: &big [${items}]\nmore: [${aliases}]\n`;
        expect(Buffer.byteLength(wide)).toBeLessThan(MAX_SPEC_BYTES);
        const result = parseClusterSpec(wide);
        expect(result.ok).toBe(false);
        expect(codes(result)).toContain('spec.unknownField');
        cases.add();
      },
    );
  });
});

describe('huge, endless and deep documents', () => {
  it('refuses huge texts and files by size, reading no more than the limit', async () => {
    await recordReliability(
      {
        id: 'spec-huge-files',
        area,
        test: 'Huge input: a 100 MB string, a 10 MB spec file, /dev/zero as the spec file, a directory, a missing file, and a spec one byte under the 64 KiB limit',
        unit: 'inputs',
        held: 'over the limit: one spec.tooLarge error, only limit + 1 bytes read; endless /dev/zero is cut off; unreadable paths are spec.unreadable; under the limit parses normally',
        file: import.meta.url,
      },
      async (cases) => {
        const big = `${stringify(gceInput())}# ${'x'.repeat(100 * 1024 * 1024)}\n`;
        expect(codes(parseClusterSpec(big))).toEqual(['spec.tooLarge']);
        expect(errors(parseClusterSpec(big))[0]?.message).toMatch(/104,85\d,\d{3} bytes/);
        cases.add();

        const file = join(dir, 'huge.yaml');
        writeFileSync(file, big.slice(0, 10 * 1024 * 1024));
        expect(codes(await readClusterSpecFile(file))).toEqual(['spec.tooLarge']);
        cases.add();

        // A device that never ends: read only to the limit, never to the end.
        expect(codes(await readClusterSpecFile('/dev/zero'))).toEqual(['spec.tooLarge']);
        cases.add();

        expect(codes(await readClusterSpecFile(dir))).toEqual(['spec.unreadable']);
        expect(codes(await readClusterSpecFile(join(dir, 'missing.yaml')))).toEqual([
          'spec.unreadable',
        ]);
        cases.add(2);

        // Padded with a comment to one byte under the limit: still a spec like any other.
        const spec = stringify(gceInput());
        const padded = `${spec}#${'x'.repeat(MAX_SPEC_BYTES - Buffer.byteLength(spec) - 2)}\n`;
        expect(Buffer.byteLength(padded)).toBe(MAX_SPEC_BYTES);
        const paddedFile = join(dir, 'padded.yaml');
        writeFileSync(paddedFile, padded);
        expect((await readClusterSpecFile(paddedFile)).ok).toBe(true);
        cases.add();
      },
    );
  });

  it('refuses documents nested past any real spec, as text and as objects', async () => {
    await recordReliability(
      {
        id: 'spec-deep-nesting',
        area,
        test: 'Deep nesting: flow lists and JSON objects 100 to 30,000 levels deep, block mappings up to 300 levels (what fits in 64 KiB), objects 100,000 levels deep, each at the top and under spec.etcd',
        unit: 'documents',
        held: 'no stack overflow escapes: yaml.tooDeep at a line:column, or spec.notPlainData at the path where the nesting passes 64 levels',
        file: import.meta.url,
      },
      (cases) => {
        for (const depth of [100, 1_000, 10_000, 30_000]) {
          const flow = `${'['.repeat(depth)}${']'.repeat(depth)}`;
          const json = `${'{"a":'.repeat(Math.min(depth, 10_000))}1${'}'.repeat(Math.min(depth, 10_000))}`;
          for (const text of [flow, json, `spec:\n  etcd: ${flow}\n`]) {
            const result = parseClusterSpec(text, { file: 'deep.yaml' });
            expect(result.ok).toBe(false);
            const deep = errors(result).filter(
              (d) => d.code === 'yaml.tooDeep' || d.code === 'spec.notPlainData',
            );
            expect(deep.length, JSON.stringify(result.diagnostics.slice(0, 3))).toBeGreaterThan(0);
            for (const d of deep) expect(d.location?.line).toBeGreaterThanOrEqual(1);
            expect(codes(result)).not.toContain('spec.internal');
            cases.add();
          }
        }
        for (const depth of [70, 150, 300]) {
          const lines = Array.from({ length: depth }, (_, i) => `${' '.repeat(i)}a:`);
          const result = parseClusterSpec(`${lines.join('\n')} 1\n`);
          expect(codes(result)).toContain('spec.notPlainData');
          cases.add();
        }
        let nested: Record<string, unknown> = { end: true };
        for (let i = 0; i < 100_000; i++) nested = { a: nested };
        for (const document of [nested, withField(gceInput(), ['spec', 'etcd'], nested)]) {
          const result = parseClusterSpec(document);
          const deep = errors(result).filter((d) => d.code === 'spec.notPlainData');
          expect(deep).toHaveLength(1);
          // The limit counts levels from the document's root, wherever the nesting starts.
          expect(deep[0]?.path.length).toBe(64);
          cases.add();
        }
      },
    );
  });
});

describe('keys that mean something to JavaScript', () => {
  const keys = ['__proto__', 'constructor', 'prototype'];
  const places: readonly (readonly string[])[] = [
    [],
    ['metadata'],
    ['spec'],
    ['spec', 'provider'],
    ['spec', 'provider', 'gce'],
    ['spec', 'etcd'],
    ['spec', 'network'],
  ];

  it('reports __proto__, constructor and prototype as unknown fields and pollutes nothing', async () => {
    await recordReliability(
      {
        id: 'spec-prototype-keys',
        area,
        test: '`__proto__`, `constructor` and `prototype` keys at every level of a valid spec, with values that would fill in required fields, as YAML, JSON text and objects',
        unit: 'documents',
        held: 'each is one spec.unknownField at its exact path; no inherited value fills a field; Object.prototype stays empty',
        file: import.meta.url,
      },
      (cases) => {
        for (const key of keys) {
          for (const place of places) {
            // A value that would supply the cluster name if it were inherited rather than read.
            const payload = { name: 'evil', polluted: true };
            const object = structuredClone(gceInput()) as unknown as Record<string, unknown>;
            let target: Record<string, unknown> = object;
            for (const segment of place) target = target[segment] as Record<string, unknown>;
            Object.defineProperty(target, key, { value: payload, enumerable: true });
            const json = JSON.stringify(object);
            expect(json).toContain(`"${key}"`);
            const inputs: [string, unknown][] = [
              ['object', object],
              ['json', json],
              ['json-object', JSON.parse(json)],
              ['yaml', stringify(JSON.parse(json))],
            ];
            for (const [kind, input] of inputs) {
              const result = parseClusterSpec(input);
              const label = `${kind} ${key} at ${place.join('.')}`;
              expect(
                errors(result).map((d) => `${d.code} ${d.path.join('.')}`),
                label,
              ).toEqual([`spec.unknownField ${[...place, key].join('.')}`]);
              expect(Object.keys(Object.prototype), label).toEqual([]);
              expect(({} as { polluted?: unknown }).polluted, label).toBeUndefined();
              cases.add();
            }
          }
        }
        // A __proto__ that would supply a missing required field does not.
        const withoutName =
          'apiVersion: hakoc.dev/v1alpha1\nkind: Cluster\nmetadata:\n  __proto__: { name: evil }\n';
        const result = parseClusterSpec(withoutName);
        expect(codes(result)).toContain('spec.required');
        expect(
          errors(result).find(
            (d) => d.code === 'spec.required' && d.path.join('.') === 'metadata.name',
          ),
        ).toBeDefined();
        cases.add();
      },
    );
  });
});

/** Strings that would escape into paths, shells, labels or machine names. */
const HOSTILE_NAMES = [
  '../../etc',
  'a/b',
  'a\\b',
  '/root',
  '..',
  '$(touch /tmp/pwned)',
  '`id`',
  'a;rm -rf ~',
  'a && b',
  'a|b',
  "a'b",
  'a b',
  'a\nb',
  'a\u0000b',
  '-rf',
  '*',
  '\u0024{HOME}', // ${HOME}, a shell expansion
  'ДЕМО',
  'demo\u200b',
  'x'.repeat(300),
] as const;

/** A field that names things, where to put a hostile value, and which spec it belongs to. */
interface NameField {
  readonly path: readonly (string | number)[];
  readonly base: 'gce' | 'vagrant';
  /** The diagnostic codes that may refuse it. */
  readonly codes: readonly string[];
  /** Hostile-looking values that are valid here (an `owner/name` box). */
  readonly valid?: readonly string[];
}

const NAME_FIELDS: readonly NameField[] = [
  { path: ['metadata', 'name'], base: 'gce', codes: ['name.invalid', 'name.tooLong'] },
  { path: ['metadata', 'name'], base: 'vagrant', codes: ['name.invalid', 'name.tooLong'] },
  { path: ['spec', 'domain'], base: 'gce', codes: ['domain.invalid'] },
  { path: ['spec', 'provider', 'gce', 'project'], base: 'gce', codes: ['gce.project'] },
  { path: ['spec', 'provider', 'gce', 'region'], base: 'gce', codes: ['gce.region'] },
  { path: ['spec', 'provider', 'gce', 'zones', 1], base: 'gce', codes: ['gce.zoneOutsideRegion'] },
  { path: ['spec', 'provider', 'gce', 'dnsZone'], base: 'gce', codes: ['gce.dnsZone'] },
  {
    path: ['spec', 'provider', 'vagrant', 'box'],
    base: 'vagrant',
    codes: ['vagrant.box'],
    valid: ['a/b'],
  },
  {
    path: ['spec', 'provider', 'vagrant', 'network'],
    base: 'vagrant',
    codes: ['cidr.invalid', 'cidr.ipv6', 'cidr.hostBits'],
  },
  { path: ['spec', 'etcd', 'machineType'], base: 'gce', codes: ['machineType.invalid'] },
  { path: ['spec', 'controlPlane', 'machineType'], base: 'gce', codes: ['machineType.invalid'] },
  { path: ['spec', 'workers', 'machineType'], base: 'gce', codes: ['machineType.invalid'] },
  { path: ['spec', 'image', 'name'], base: 'gce', codes: ['image.name'] },
  {
    path: ['spec', 'kubernetes', 'version'],
    base: 'gce',
    codes: ['kubernetes.versionFormat', 'kubernetes.unsupportedVersion'],
  },
  {
    path: ['spec', 'keyStore', 'passphrase', 'env'],
    base: 'gce',
    codes: ['keyStore.envName'],
    valid: ['x'.repeat(300)],
  },
];

/** Fields that are paths by design: taken as the user wrote them, used only as paths. */
const PATH_FIELDS: readonly (readonly string[])[] = [
  ['spec', 'keyStore', 'dir'],
  ['spec', 'keyStore', 'passphrase', 'file'],
  ['spec', 'provider', 'gce', 'credentialsFile'],
];

describe('names that would escape', () => {
  it('refuses path separators, shell characters and control characters in every name field', async () => {
    await recordReliability(
      {
        id: 'spec-hostile-names',
        area,
        test: 'Every field that ends up in a file name, GCE label, resource or Vagrant machine name (cluster name, domain, project, region, zones, DNS zone, Vagrant box and network, machine types, image name, Kubernetes version, passphrase variable) set to 20 hostile strings: path separators, `..`, `$(…)`, backticks, `;`, `&&`, quotes, spaces, newlines, NUL, Unicode look-alikes, 300 characters',
        unit: 'specs',
        held: 'every one refused with an error at that exact field path; path fields (key store dir, passphrase file, credentials file) are kept verbatim and never reach a name',
        file: import.meta.url,
      },
      (cases) => {
        for (const field of NAME_FIELDS) {
          for (const value of HOSTILE_NAMES) {
            if (field.valid?.includes(value)) continue;
            const base = field.base === 'gce' ? gceInput() : vagrantInput();
            const result = parseClusterSpec(withField(base, field.path, value));
            const label = `${field.path.join('.')} = ${JSON.stringify(value)}`;
            expect(result.ok, label).toBe(false);
            const here = errors(result).filter((d) => d.path.join('.') === field.path.join('.'));
            expect(
              here.map((d) => d.code).filter((code) => field.codes.includes(code)).length,
              `${label}: ${JSON.stringify(result.diagnostics)}`,
            ).toBeGreaterThan(0);
            cases.add();
          }
        }
        for (const path of PATH_FIELDS) {
          for (const value of ['../../shared/pki', '/tmp/a b/$(x)']) {
            const result = parseClusterSpec(withField(gceInput(), path, value));
            if (!result.ok) {
              // Only the passphrase file is optional as a pair: a refusal must be about it.
              expect(
                errors(result).every((d) =>
                  d.path.join('.').startsWith(path.slice(0, -1).join('.')),
                ),
              ).toBe(true);
              continue;
            }
            const model = buildClusterModel(result.spec);
            const names = Object.values(model.machineSets).flatMap((set) =>
              set.machines.map((m) => m.name),
            );
            for (const name of names) expect(name).toMatch(/^[a-z]([-a-z0-9]*[a-z0-9])?$/);
            cases.add();
          }
        }
      },
    );
  });
});
