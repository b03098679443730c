import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeStandInSysextPins } from '@hakoc/core/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { runExample } from './run-example.ts';

const out = mkdtempSync(join(tmpdir(), 'hakoc-vagrant-local-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

// The real Vagrant (CI installs it), kept off the network: its home in the temporary folder,
// no version check, proxies pointed at a closed loopback port.
const closed = 'http://127.0.0.1:9';
const vagrantEnv = {
  HOME: out,
  VAGRANT_HOME: join(out, '.vagrant.d'),
  VAGRANT_CHECKPOINT_DISABLE: '1',
  VAGRANT_BOX_UPDATE_CHECK_DISABLE: '1',
  HTTP_PROXY: closed,
  HTTPS_PROXY: closed,
};

describe('node examples/vagrant-local.ts', { timeout: 120_000 }, () => {
  it('renders the laptop cluster as a Vagrant project that the real vagrant validates', async () => {
    expect(execFileSync('vagrant', ['--version'], { encoding: 'utf8' })).toMatch(/^Vagrant \d/);
    await writeStandInSysextPins(join(out, 'pki'));
    const run = await runExample('vagrant-local', [out], {
      ...vagrantEnv,
      HAKOC_PASSPHRASE: 'vagrant-local test passphrase',
    });
    expect(run.status, run.stderr).toBe(0);

    // examples/vagrant.yaml: 3 etcd members, 3 controllers, 2 workers, and the load balancer.
    const machines = [...run.stdout.matchAll(/^ {2}(\S+) +(\S+) +(192\.168\.56\.\d+) /gm)];
    expect(machines.map((m) => m[2])).toEqual([
      'loadBalancer',
      'etcd',
      'etcd',
      'etcd',
      'controlPlane',
      'controlPlane',
      'controlPlane',
      'worker',
      'worker',
    ]);
    expect(new Set(machines.map((m) => m[3])).size).toBe(machines.length);
    expect(run.stdout).toMatch(/^API server: .*the load balancer, 192\.168\.56\.2\)$/m);

    const project = join(out, 'vagrant');
    const files = readdirSync(project).filter((name) => name !== '.vagrant');
    expect(run.stdout).toContain(`wrote ${files.length} files into ${project}`);
    expect(files.sort()).toEqual(
      ['Vagrantfile', 'machines.json', ...machines.map((m) => `user-data-${m[1]}`)].sort(),
    );
    // Each machine's cloud-config holds its keys: readable by the owner only.
    expect(statSync(join(project, 'user-data-demo-etcd-1')).mode & 0o777).toBe(0o600);
    // …and its own certificate, from the key store.
    const certificate = readFileSync(join(out, 'pki/etcd/demo-etcd-1/server.crt'), 'utf8');
    const userData = readFileSync(join(project, 'user-data-demo-etcd-1'), 'utf8');
    for (const line of certificate.trim().split('\n')) expect(userData).toContain(line);

    expect(run.stdout).toContain('vagrant validate: the Vagrantfile is valid');
  });
});
