import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  createVagrantCli,
  isVagrantError,
  type VagrantCli,
  type VagrantProgress,
  type VagrantRunOptions,
  writeVagrantProject,
} from '@hakoc/provider-vagrant';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleLayout } from './support/layouts.js';
import { makeTempDir, removeTempDir, requireTool } from './support/tools.js';
import { isolatedVagrantEnv } from './support/vagrant-env.js';

// The real `vagrant` (with vagrant-libvirt) on a generated 3/3/2 project. No hypervisor runs:
// libvirt points at a socket that does not exist, so `up` and `destroy` fail the way they fail
// on a laptop without libvirtd, which exercises the error path with Vagrant's real text.
// Every call is bounded (about 1–5 s each; seven calls in all).
//
// With HAKOC_CAPTURE_FIXTURES=1 the raw output of each call is written to test/fixtures/, which
// is how the parser tests' fixtures were made.
const capture = process.env.HAKOC_CAPTURE_FIXTURES === '1';
const CALL_TIMEOUT_MS = 30_000;

describe('the real vagrant on a generated project', () => {
  let dir: string;
  let vagrant: VagrantCli;
  let env: Record<string, string>;
  const { layout, files } = sampleLayout();
  const names = layout.machines.map((machine) => machine.name);

  // Collects stdout as it arrives; written to a fixture when capturing.
  const recorded = (fixture: string) => {
    const lines: string[] = [];
    const options: VagrantRunOptions = {
      timeoutMs: CALL_TIMEOUT_MS,
      onProgress: (progress: VagrantProgress) => {
        if (progress.stream === 'stdout') lines.push(progress.line);
      },
    };
    const save = async () => {
      if (capture)
        await writeFile(join(import.meta.dirname, 'fixtures', fixture), `${lines.join('\n')}\n`);
    };
    return { options, lines, save };
  };

  beforeAll(async () => {
    await requireTool('vagrant', ['--version']);
    const plugins = await requireTool('vagrant', ['plugin', 'list']);
    if (!plugins.includes('vagrant-libvirt'))
      throw new Error('vagrant-libvirt is required by this test and is not installed');
    dir = await makeTempDir();
    env = await isolatedVagrantEnv(dir);
    const paths = await writeVagrantProject(join(dir, 'project'), layout, files);
    vagrant = createVagrantCli({ cwd: paths.dir, env, killGraceMs: 2_000 });
  });
  afterAll(() => removeTempDir(dir));

  it('validates the project (`vagrant validate --ignore-provider`)', async () => {
    const call = recorded('validate-ok.txt');
    const result = await vagrant.validate(call.options);
    await call.save();
    expect(result.exitCode).toBe(0);
    const messages = result.records
      .filter((record) => record.type === 'ui')
      .map((record) => record.data[1]);
    expect(messages).toContain('Vagrantfile validated successfully.');
    // One `metadata provider` record per machine shows Vagrant saw every machine.
    expect(
      result.records.filter((record) => record.type === 'metadata').map((record) => record.target),
    ).toEqual(names);
  });

  it('lists every machine as not created, through the parser', async () => {
    const call = recorded('status-libvirt-not-created.txt');
    const statuses = await vagrant.status(call.options);
    await call.save();
    expect(statuses.map((status) => status.name)).toEqual(names);
    for (const status of statuses) {
      expect(status).toMatchObject({ state: 'not_created', provider: 'libvirt' });
      expect(status.description).toMatch(/not created/);
    }
  });

  it('halts a machine that was never created without error', async () => {
    const call = recorded('halt-not-created.txt');
    const result = await vagrant.halt('worker-1', call.options);
    await call.save();
    expect(
      result.records.some(
        (record) => record.type === 'action' && record.data.join(',') === 'halt,end',
      ),
    ).toBe(true);
  });

  it("surfaces Vagrant's own error when up cannot reach the hypervisor", async () => {
    const call = recorded('up-libvirt-unreachable.txt');
    const error = await vagrant.up('worker-1', call.options).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    await call.save();
    expect(isVagrantError(error)).toBe(true);
    if (!isVagrantError(error)) return;
    expect(error).toMatchObject({
      code: 'HAKOC_VAGRANT_FAILED',
      exitCode: 1,
      errorType: 'VagrantPlugins::ProviderLibvirt::Errors::FogLibvirtConnectionError',
    });
    expect(error.command).toEqual(['vagrant', 'up', 'worker-1', '--machine-readable']);
    expect(error.errorText).toContain('Error while connecting to Libvirt');
    expect(error.errorText).toContain('\nCall to virConnectOpen failed');
    expect(error.message).toContain('Error while connecting to Libvirt');
  });

  it('fails destroy with the same error and passes -f', async () => {
    const call = recorded('destroy-libvirt-unreachable.txt');
    const error = await vagrant.destroy('worker-1', call.options).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    await call.save();
    expect(isVagrantError(error) && error.command).toEqual([
      'vagrant',
      'destroy',
      '-f',
      'worker-1',
      '--machine-readable',
    ]);
    expect(isVagrantError(error) && error.errorType).toBe(
      'VagrantPlugins::ProviderLibvirt::Errors::FogLibvirtConnectionError',
    );
  });

  it('runs a command in a machine with the arguments Vagrant parses: ssh -c, and -T for ssh', async () => {
    // Vagrant takes `--no-tty` for its own global flag wherever it stands, so the provider
    // turns the terminal off with ssh's `-T` after `--`. A machine not created is refused by
    // `ssh` itself (an argument Vagrant did not parse would be CLIInvalidOptions instead).
    const error = await vagrant.ssh('worker-1', 'true', { timeoutMs: CALL_TIMEOUT_MS }).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(isVagrantError(error)).toBe(true);
    if (!isVagrantError(error)) return;
    expect(error.command).toEqual([
      'vagrant',
      'ssh',
      'worker-1',
      '-c',
      'true',
      '--',
      '-T',
      '--machine-readable',
    ]);
    expect(error.errorType).toBeUndefined();
    expect(error.errorText).toBe(
      'VM must be created before running this command. Run `vagrant up` first.',
    );
  });

  it("fails validation of a broken layout with Vagrant's message", async () => {
    // Vagrant checks hostname characters itself, so our layout check leaves them to it.
    const broken = sampleLayout({ etcd: 1, controllers: 1, workers: 1 });
    const machines = broken.layout.machines.map((machine) =>
      machine.name === 'worker-0' ? { ...machine, name: 'worker_0' } : machine,
    );
    const paths = await writeVagrantProject(
      join(dir, 'broken'),
      { ...broken.layout, machines },
      broken.files,
    );
    const call = recorded('validate-config-invalid.txt');
    const error = await createVagrantCli({ cwd: paths.dir, env, killGraceMs: 2_000 })
      .validate(call.options)
      .then(
        () => undefined,
        (caught: unknown) => caught,
      );
    await call.save();
    expect(isVagrantError(error)).toBe(true);
    if (!isVagrantError(error)) return;
    expect(error.errorType).toBe('Vagrant::Errors::ConfigInvalid');
    expect(error.errorText).toContain(
      "The hostname set for the VM 'worker_0' should only contain letters, numbers,\nhyphens or dots.",
    );
  });
});
