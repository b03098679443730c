import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_KUBERNETES_VERSION } from '@hakoc/core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  STAND_IN_VAGRANT,
  type StandInHypervisor,
  standInHypervisor,
} from '../../provider-vagrant/test/support/stand-in-project.js';
import { isolatedVagrantEnv } from '../../provider-vagrant/test/support/vagrant-env.js';
import { EMULATOR_GCE_ONLY_CODE } from '../src/cluster-session.js';
import { runCli } from '../src/run-cli.js';
import { VAGRANT_BINARY_ENV } from '../src/vagrant-session.js';
import {
  type ClusterFixture,
  clusterFixture,
  jsonLines,
  type SysextRelease,
  startSysextRelease,
} from './support/cluster-fixture.js';

// `hakoc plan|apply|destroy` on a copy of examples/vagrant.yaml (3 etcd, 3 controllers,
// 2 workers and the load balancer). `vagrant up` needs a hypervisor, which this machine lacks:
// apply and destroy run the stand-in `vagrant` of provider-vagrant's tests, whose output was
// captured from the real binary (see packages/provider-vagrant/test/fixtures/README.md). Plans
// also run the real `vagrant`, isolated so it reaches nothing.
describe('hakoc on a Vagrant cluster', () => {
  let release: SysextRelease;
  let cluster: ClusterFixture;
  let hypervisor: StandInHypervisor;
  beforeAll(async () => {
    release = await startSysextRelease(DEFAULT_KUBERNETES_VERSION);
  });
  afterAll(() => release.close());
  beforeEach(async () => {
    cluster = clusterFixture('vagrant', release.baseUrl);
    hypervisor = await standInHypervisor(join(cluster.dir, 'hypervisor'));
  });
  afterEach(() => cluster.remove());

  const standIn = (env: Record<string, string | undefined> = {}) =>
    cluster.io({ ...hypervisor.env, [VAGRANT_BINARY_ENV]: STAND_IN_VAGRANT, ...env });
  const project = () => join(cluster.keyStore, '..', 'vagrant');

  it('plans, applies the rendered cloud-configs, re-plans no change and destroys, through the stand-in', async () => {
    const planned = standIn();
    expect(await runCli(['plan', cluster.spec, '--detailed-exitcode'], planned)).toBe(2);
    expect(planned.out()).toContain('10 to create, 0 to update, 0 to replace, 0 to delete');
    expect(planned.out()).not.toContain('#cloud-config');

    const applied = standIn();
    expect(await runCli(['apply', cluster.spec, '--auto-approve'], applied)).toBe(0);
    expect(applied.err()).toContain(': 10 created, 0 updated, 0 replaced, 0 deleted, 0 failed');
    expect(applied.out()).toBe('API: https://192.168.56.2:6443 (192.168.56.2)\n');
    expect(`${applied.out()}${applied.err()}`).not.toMatch(/PRIVATE KEY|#cloud-config/);
    const vms = Object.entries(await hypervisor.vms()).filter(([key]) =>
      key.startsWith(`${project()}::`),
    );
    // Nine VMs: the load balancer and eight machines (the tenth resource is the project).
    expect(vms.map(([, vm]) => vm.state)).toEqual(Array(9).fill('running'));

    // The project apply left is the one `hakoc render` shows, byte for byte: every machine
    // boots the cloud-config rendered from the cluster's own key store.
    expect(await runCli(['render', cluster.spec, '--out', 'rendered'], cluster.io())).toBe(0);
    const rendered = join(cluster.dir, 'rendered', 'vagrant');
    const files = readdirSync(rendered);
    expect(files.filter((file) => file.startsWith('user-data-'))).toHaveLength(9);
    for (const file of files) {
      expect(readFileSync(join(project(), file), 'utf8'), file).toBe(
        readFileSync(join(rendered, file), 'utf8'),
      );
    }
    expect(readFileSync(join(project(), 'user-data-demo-etcd-1'), 'utf8')).toContain(
      readFileSync(join(cluster.keyStore, 'etcd', 'demo-etcd-1', 'server.crt'), 'utf8').split(
        '\n',
      )[1],
    );

    const again = standIn();
    expect(await runCli(['plan', cluster.spec, '--detailed-exitcode'], again)).toBe(0);
    expect(again.out()).toContain('No changes.');

    // Destroy renders no boot config, so it needs no passphrase.
    const destroyed = standIn({ HAKOC_PASSPHRASE: undefined });
    expect(await runCli(['destroy', cluster.spec, '--auto-approve'], destroyed)).toBe(0);
    expect(destroyed.err()).toContain(': 0 created, 0 updated, 0 replaced, 10 deleted, 0 failed');
    expect(Object.keys(await hypervisor.vms())).toEqual([]);
  });

  it('plans with the real vagrant: an empty project, then every machine of an existing one as not created', async () => {
    const real = { ...(await isolatedVagrantEnv(join(cluster.dir, 'real'))) };
    const empty = cluster.io(real);
    expect(await runCli(['plan', cluster.spec, '--detailed-exitcode'], empty)).toBe(2);
    expect(empty.out()).toContain('10 to create');

    // A project written by an apply (through the stand-in), then read back by the real
    // `vagrant status` on libvirt with no libvirtd. While Vagrant still records the machines as
    // created, it must ask libvirt, and its own error reaches the plan as a provider error.
    const libvirt = readFileSync(cluster.spec, 'utf8').replace(
      'network: 192.168.56.0/24',
      'network: 192.168.56.0/24\n      hypervisor: libvirt',
    );
    expect(libvirt).toContain('hypervisor: libvirt');
    writeFileSync(cluster.spec, libvirt);
    expect(await runCli(['apply', cluster.spec, '--auto-approve'], standIn())).toBe(0);
    const unreachable = cluster.io(real);
    expect(await runCli(['plan', cluster.spec, '--json'], unreachable)).toBe(1);
    // The progress events are JSON; runCli's closing error line is text.
    const events = jsonLines(
      unreachable
        .err()
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .join('\n'),
    );
    expect(events).toContainEqual(
      expect.objectContaining({
        type: 'plan.failed',
        error: expect.objectContaining({
          provider: 'vagrant',
          operation: 'list',
          message: expect.stringContaining('Error while connecting to Libvirt'),
        }),
      }),
    );

    // Once Vagrant has forgotten them (the VMs went with the hypervisor), every machine is not
    // created, and the plan brings each one up again.
    rmSync(join(project(), '.vagrant'), { recursive: true });
    const existing = cluster.io(real);
    expect(await runCli(['plan', cluster.spec, '--detailed-exitcode', '--json'], existing)).toBe(2);
    const document = JSON.parse(existing.out()) as {
      steps: { id: string; action: string }[];
    };
    const changed = document.steps.filter((step) => step.action !== 'noop');
    expect(changed.map((step) => step.id).sort()).toEqual(
      [
        'lb',
        'etcd-0',
        'etcd-1',
        'etcd-2',
        'controller-0',
        'controller-1',
        'controller-2',
        'worker-0',
        'worker-1',
      ]
        .map((machine) => `vagrant.machine/demo-${machine}`)
        .sort(),
    );
  });

  it('refuses --emulator: it stands in for GCE only', async () => {
    const io = standIn();
    expect(await runCli(['plan', cluster.spec, '--emulator'], io)).toBe(1);
    expect(io.err()).toContain(EMULATOR_GCE_ONLY_CODE);
  });
});
