import { ExitCode, runCli } from '@hakoc/cli';
import { describe, expect, it } from 'vitest';
import { captureIo } from './capture-io.js';

const tenMistakes = 'packages/cli/test/fixtures/ten-mistakes.yaml';

describe('hakoc validate', () => {
  it('accepts both examples and exits 0', async () => {
    for (const spec of ['examples/gce.yaml', 'examples/vagrant.yaml']) {
      const io = captureIo();
      expect(await runCli(['validate', spec], io)).toBe(ExitCode.Ok);
      expect(io.err()).toContain(`✓ ${spec} is valid`);
      expect(io.out()).toBe('');
    }
  });

  it('prints one located line per mistake, each with its hint, and exits 1', async () => {
    const io = captureIo();
    expect(await runCli(['validate', tenMistakes], io)).toBe(ExitCode.Failure);
    const located = io
      .err()
      .split('\n')
      .filter((line) => line.startsWith(`${tenMistakes}:`));
    expect(located).toHaveLength(10);
    for (const line of located) {
      expect(line).toMatch(/^\S+:\d+:\d+ {2}(metadata|spec)\.\S+ {2}error: .+ \[[\w.]+\]$/);
    }
    expect(io.err()).toContain('10 errors');
    expect(io.err()).toContain(`${tenMistakes}:13:`); // etcd.count is on line 13
  });

  it('reports the same diagnostics as JSON on stdout with --json', async () => {
    const io = captureIo();
    expect(await runCli(['validate', tenMistakes, '--json'], io)).toBe(ExitCode.Failure);
    const result = JSON.parse(io.out()) as {
      valid: boolean;
      diagnostics: { path: (string | number)[]; location: { line: number } }[];
    };
    expect(result.valid).toBe(false);
    expect(result.diagnostics).toHaveLength(10);
    expect(result.diagnostics.map((d) => d.path.join('.'))).toContain('spec.etcd.count');
    expect(io.err()).toBe('');
  });

  it('prints the cluster model with --model', async () => {
    const io = captureIo();
    expect(await runCli(['validate', 'examples/gce.yaml', '--model', '--json'], io)).toBe(
      ExitCode.Ok,
    );
    const result = JSON.parse(io.out()) as { model: { name: string } };
    expect(result.model.name).toBe('demo');
  });

  it('reports a missing file as a diagnostic, not a crash', async () => {
    const io = captureIo();
    expect(await runCli(['validate', 'no/such/spec.yaml'], io)).toBe(ExitCode.Failure);
    expect(io.err()).toContain('no/such/spec.yaml');
    expect(io.err()).not.toContain('internal error');
  });

  it('exits 2 on a wrong command line', async () => {
    const io = captureIo();
    expect(await runCli(['validate'], io)).toBe(ExitCode.Usage);
    expect(io.err()).toContain("missing required argument 'spec'");
    expect(await runCli(['frobnicate'], captureIo())).toBe(ExitCode.Usage);
  });

  it('uses colour only on a terminal without NO_COLOR', async () => {
    const coloured = captureIo({ interactive: true });
    await runCli(['validate', tenMistakes], coloured);
    expect(coloured.err()).toContain('\u001b[');
    const plain = captureIo({ interactive: true, env: { NO_COLOR: '1' } });
    await runCli(['validate', tenMistakes], plain);
    expect(plain.err()).not.toContain('\u001b[');
  });
});
