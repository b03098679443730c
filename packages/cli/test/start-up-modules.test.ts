import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

// What `hakoc` loads for a command, read from the module registry of a real process running
// the command's sources (not a timing): `--help` must not load the engine, and commands that
// never call GCE must not load the compute client (~110 MB, ~750 ms to require).

const run = promisify(execFile);
const supportDir = fileURLToPath(new URL('./support/', import.meta.url));
const bin = fileURLToPath(new URL('../src/bin.ts', import.meta.url));
const repository = fileURLToPath(new URL('../../../', import.meta.url));
const scratchDir = mkdtempSync(join(tmpdir(), 'hakoc-modules-'));
afterAll(() => rmSync(scratchDir, { recursive: true, force: true }));

/** The URLs of every module `hakoc ...args` loaded, and its exit status. */
async function modulesLoadedBy(...args: string[]): Promise<{ code: number; modules: string[] }> {
  const log = join(scratchDir, `${args.join('-').replaceAll('/', '_')}.log`);
  const node = [
    ...['--import', join(supportDir, 'module-log.mjs')],
    ...['--import', join(supportDir, 'source-loader.mjs'), '--conditions=@hakoc/source'],
    ...['--experimental-transform-types', '--no-warnings', bin],
  ];
  const code = await run(process.execPath, [...node, ...args], {
    cwd: repository,
    env: { ...process.env, HAKOC_MODULE_LOG: log },
    timeout: 60_000,
  }).then(
    () => 0,
    (error: { code?: number }) => error.code ?? -1,
  );
  return { code, modules: readFileSync(log, 'utf8').split('\n') };
}

const from = (modules: readonly string[], name: string) =>
  modules.filter((url) => url.includes(`/${name}/`));

describe('what hakoc loads at start-up', () => {
  it('--help loads commander and the command definitions only: no engine, no provider', async () => {
    const { code, modules } = await modulesLoadedBy('--help');
    expect(code).toBe(0);
    expect(from(modules, '@commander-js/extra-typings').length).toBeGreaterThan(0);
    for (const heavy of ['core', 'certs', 'provider-gce', 'provider-vagrant']) {
      expect(from(modules, `packages/${heavy}/src`), heavy).toEqual([]);
    }
    expect(from(modules, '@google-cloud/compute')).toEqual([]);
    expect(modules.filter((url) => url.includes('/src/actions/'))).toEqual([]);
  });

  it('validate loads the spec code but not the compute client', async () => {
    const { code, modules } = await modulesLoadedBy('validate', 'examples/gce.yaml');
    expect(code).toBe(0);
    expect(from(modules, 'packages/core/src').length).toBeGreaterThan(0);
    expect(from(modules, '@google-cloud/compute')).toEqual([]);
    expect(from(modules, 'packages/provider-gce/src')).toEqual([]);
  });

  it('sees the compute client when a command does call GCE (positive control)', async () => {
    // `lock break` reads the lock from an in-process emulator through the real client.
    const { code, modules } = await modulesLoadedBy(
      ...['lock', 'break', 'examples/gce.yaml', '--emulator', '--auto-approve'],
    );
    expect(code).toBe(0);
    expect(from(modules, '@google-cloud/compute').length).toBeGreaterThan(0);
  });
});
