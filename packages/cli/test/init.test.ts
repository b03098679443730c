import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ExitCode, runCli } from '@hakoc/cli';
import { clusterSpecJsonSchema, parseClusterSpec } from '@hakoc/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initCommand } from '../src/commands/init.js';
import { captureIo } from './capture-io.js';
import { runCommand } from './support/run-command.js';

let cwd: string;
beforeAll(() => {
  cwd = mkdtempSync(join(tmpdir(), 'hakoc-cli-init-'));
});
afterAll(() => rmSync(cwd, { recursive: true, force: true }));

const init = (args: string[]) => {
  const io = captureIo({ cwd });
  return runCommand(initCommand, args, io).then((outcome) => ({ ...outcome, io }));
};

/** Every field path of the schema, objects included, as `spec.etcd.count`. */
function schemaPaths(node: unknown, prefix: string[] = []): string[] {
  if (typeof node !== 'object' || node === null || !('properties' in node)) return [];
  const properties = node.properties as Record<string, unknown>;
  return Object.entries(properties).flatMap(([key, child]) => [
    [...prefix, key].join('.'),
    ...schemaPaths(child, [...prefix, key]),
  ]);
}

describe('hakoc init', () => {
  for (const provider of ['gce', 'vagrant'] as const) {
    it(`writes a ${provider} spec that validates without a single diagnostic`, async () => {
      const out = `${provider}.yaml`;
      const { code, io } = await init(['--provider', provider, '--out', out]);
      expect(code).toBe(ExitCode.Ok);
      expect(io.out()).toBe(`${join(cwd, out)}\n`);
      expect(io.err()).toContain(`hakoc validate ${out}`);
      const text = readFileSync(join(cwd, out), 'utf8');
      const result = parseClusterSpec(text);
      expect(result.diagnostics).toEqual([]);
      expect(result.ok && Object.keys(result.spec.spec.provider)).toEqual([provider]);
      expect(await runCli(['validate', out], captureIo({ cwd }))).toBe(ExitCode.Ok);
    });
  }

  it('explains every field of the schema, with its default', async () => {
    const { io } = await init(['--out', '-']);
    const text = io.out();
    // Each field is either a key or a commented-out line, right under its description.
    for (const path of schemaPaths(clusterSpecJsonSchema())) {
      if (path.startsWith('spec.provider.vagrant.')) continue; // only in a vagrant spec
      const key = path.split('.').at(-1);
      expect(text, path).toMatch(new RegExp(`^\\s*(# )?${key}:`, 'm'));
    }
    expect(text).toMatch(/# Number of etcd members: .*\n\s+# Default: 3\.\n\s+count: 3/);
    expect(text).toMatch(/# credentialsFile: secrets\/gce-key\.json/);
    expect(text).toMatch(/# vagrant: \{\}/);
    const vagrant = (await init(['--provider', 'vagrant', '--out', '-'])).io.out();
    for (const key of ['network', 'box', 'hypervisor'])
      expect(vagrant).toMatch(new RegExp(`^ {6}${key}:`, 'm'));
    expect(vagrant).toMatch(/^ {4}# min: 1/m);
  });

  it('uses --name, and refuses a name the spec would reject', async () => {
    const { code, io } = await init(['--name', 'lab-2', '--out', '-']);
    expect(code).toBe(ExitCode.Ok);
    const result = parseClusterSpec(io.out());
    expect(result.ok && result.spec.metadata.name).toBe('lab-2');
    expect(io.out()).toContain('# dir: .hakoc/lab-2/pki');

    const bad = await init(['--name', 'Not_A_Name', '--out', 'bad.yaml']);
    expect(bad.code).toBe(ExitCode.Usage);
    expect(bad.io.err()).toMatch(/error: metadata\.name: /);
    expect(() => readFileSync(join(cwd, 'bad.yaml'))).toThrow();
  });

  it('refuses to overwrite a file without --force', async () => {
    writeFileSync(join(cwd, 'mine.yaml'), 'my own spec\n');
    const refused = await init(['--out', 'mine.yaml']);
    expect(refused.code).toBe(ExitCode.Failure);
    expect(refused.error?.code).toBe('HAKOC_INIT_EXISTS');
    expect(refused.error?.hint).toContain('--force');
    expect(readFileSync(join(cwd, 'mine.yaml'), 'utf8')).toBe('my own spec\n');

    const forced = await init(['--out', 'mine.yaml', '--force']);
    expect(forced.code).toBe(ExitCode.Ok);
    expect(parseClusterSpec(readFileSync(join(cwd, 'mine.yaml'), 'utf8')).ok).toBe(true);
  });

  it('creates the folder of --out, and rejects an unknown provider', async () => {
    expect((await init(['--out', 'clusters/lab/cluster.yaml'])).code).toBe(ExitCode.Ok);
    expect(readFileSync(join(cwd, 'clusters/lab/cluster.yaml'), 'utf8')).toContain('kind: Cluster');
    const { code, io } = await init(['--provider', 'aws']);
    expect(code).toBe(ExitCode.Usage);
    expect(io.err()).toContain('Allowed choices are gce, vagrant');
  });

  it('has help with examples', async () => {
    const { code, io } = await init(['--help']);
    expect(code).toBe(ExitCode.Ok);
    expect(io.out()).toContain('Examples:');
  });
});
