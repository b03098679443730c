import { join } from 'node:path';
import {
  createVagrantCli,
  isVagrantError,
  runVagrant,
  type VagrantError,
  type VagrantProgress,
} from '@hakoc/provider-vagrant';
import { describe, expect, it } from 'vitest';

// Process handling against a stand-in `vagrant` (support/stand-in-vagrant.mjs): it replays
// output captured from the real binary (fixtures/README.md) or misbehaves on purpose (hangs,
// ignores SIGINT), which the real one cannot be made to do on demand without a hypervisor.
const standIn = join(import.meta.dirname, 'support', 'stand-in-vagrant.mjs');
const fixture = (name: string) => join(import.meta.dirname, 'fixtures', name);
const project = (env: Record<string, string>) => ({
  cwd: import.meta.dirname,
  binary: standIn,
  env,
  killGraceMs: 500,
});

async function rejection(promise: Promise<unknown>): Promise<VagrantError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!isVagrantError(error)) throw new Error(`expected a VagrantError, got ${String(error)}`);
  return error;
}

describe('runVagrant', () => {
  it('passes the arguments without a shell and adds --machine-readable', async () => {
    const odd = 'a b;$(touch /nonexistent),"c"';
    const result = await runVagrant(['status', odd], project({ STAND_IN_MODE: 'args' }));
    expect(result.records[0]?.data).toEqual(['status', odd, '--machine-readable']);
    expect(result.command).toEqual([standIn, 'status', odd, '--machine-readable']);
  });

  it('reports every line as progress, parsed where it is a record', async () => {
    const seen: VagrantProgress[] = [];
    const vagrant = createVagrantCli(
      project({
        STAND_IN_MODE: 'replay',
        STAND_IN_FIXTURE: fixture('status-libvirt-not-created.txt'),
      }),
    );
    const statuses = await vagrant.status({ onProgress: (progress) => seen.push(progress) });
    expect(statuses).toHaveLength(9);
    expect(seen).toHaveLength(9 * 5 + 1);
    expect(
      seen.every((progress) => progress.stream === 'stdout' && progress.record !== undefined),
    ).toBe(true);
  });

  it("throws Vagrant's error-exit text with the command and exit code", async () => {
    const vagrant = createVagrantCli(
      project({
        STAND_IN_MODE: 'replay',
        STAND_IN_FIXTURE: fixture('up-libvirt-unreachable.txt'),
        STAND_IN_EXIT: '1',
      }),
    );
    const error = await rejection(vagrant.up('worker-1', { provider: 'libvirt' }));
    expect(error).toMatchObject({
      code: 'HAKOC_VAGRANT_FAILED',
      failure: 'failed',
      exitCode: 1,
      errorType: 'VagrantPlugins::ProviderLibvirt::Errors::FogLibvirtConnectionError',
      command: [standIn, 'up', 'worker-1', '--provider', 'libvirt', '--machine-readable'],
    });
    expect(error.errorText).toMatch(/^Error while connecting to Libvirt/);
    expect(error.message).toContain(
      `up worker-1 --provider libvirt --machine-readable failed (exit 1): Error while connecting`,
    );
  });

  it('falls back to stderr when Vagrant fails before it can speak machine-readable', async () => {
    const text =
      'Vagrant failed to initialize at a very early stage:\n\nThere was an error loading a Vagrantfile.';
    const error = await rejection(
      runVagrant(['status'], project({ STAND_IN_MODE: 'stderr', STAND_IN_STDERR: text })),
    );
    expect(error.errorText).toBe(text);
    expect(error.errorType).toBeUndefined();
  });

  it('decodes a UTF-8 character split across two writes', async () => {
    const result = await runVagrant(['status'], project({ STAND_IN_MODE: 'split-utf8' }));
    expect(result.records[0]?.data).toEqual(['info', 'größe']);
  });

  it('stops a run that exceeds its timeout with SIGINT', async () => {
    const started = Date.now();
    const error = await rejection(
      runVagrant(['up'], project({ STAND_IN_MODE: 'hang' }), { timeoutMs: 300 }),
    );
    expect(error).toMatchObject({ code: 'HAKOC_VAGRANT_TIMEOUT', failure: 'timeout', exitCode: 1 });
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it('escalates to SIGKILL when SIGINT is ignored', async () => {
    const started = Date.now();
    const error = await rejection(
      runVagrant(['up'], project({ STAND_IN_MODE: 'ignore-sigint' }), { timeoutMs: 300 }),
    );
    expect(error).toMatchObject({ failure: 'timeout', exitCode: null });
    expect(Date.now() - started).toBeGreaterThanOrEqual(700);
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it('stops on abort and carries the reason', async () => {
    const controller = new AbortController();
    const reason = new Error('user pressed Ctrl-C');
    const run = runVagrant(['up'], project({ STAND_IN_MODE: 'hang' }), {
      signal: controller.signal,
      onProgress: () => controller.abort(reason),
    });
    const error = await rejection(run);
    expect(error).toMatchObject({ code: 'HAKOC_VAGRANT_ABORTED', cause: reason });
  });

  it('does not start when the signal is already aborted', async () => {
    const error = await rejection(
      runVagrant(['up'], project({ STAND_IN_MODE: 'hang' }), { signal: AbortSignal.abort() }),
    );
    expect(error.failure).toBe('aborted');
    expect(error.exitCode).toBeNull();
  });

  it('fails the run when a progress callback throws', async () => {
    const oops = new Error('display broke');
    const error = await rejection(
      runVagrant(['up'], project({ STAND_IN_MODE: 'hang' }), {
        onProgress: () => {
          throw oops;
        },
      }),
    );
    expect(error).toMatchObject({ failure: 'failed', cause: oops });
  });

  it('says so when vagrant is not installed', async () => {
    const error = await rejection(
      runVagrant(['status'], { cwd: import.meta.dirname, binary: 'hakoc-no-such-vagrant' }),
    );
    expect(error).toMatchObject({ code: 'HAKOC_VAGRANT_NOT_FOUND', exitCode: null });
    expect(error.hint).toMatch(/Install Vagrant/);
  });

  it('refuses machine names Vagrant would read as a pattern or an option', async () => {
    const vagrant = createVagrantCli(project({ STAND_IN_MODE: 'args' }));
    for (const name of ['/.*/', '-f', '']) {
      await expect(vagrant.destroy(name), name).rejects.toMatchObject({
        code: 'HAKOC_VAGRANT_MACHINE_NAME_INVALID',
      });
    }
  });
});
