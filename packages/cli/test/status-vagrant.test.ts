import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createOwner, DEFAULT_KUBERNETES_VERSION } from '@hakoc/core';
import { createLockFileStore } from '@hakoc/provider-vagrant';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  STAND_IN_VAGRANT,
  type StandInHypervisor,
  standInHypervisor,
} from '../../provider-vagrant/test/support/stand-in-project.js';
import { runCli } from '../src/run-cli.js';
import type { StatusReport } from '../src/status/status-report.js';
import { VAGRANT_BINARY_ENV } from '../src/vagrant-session.js';
import {
  type ClusterFixture,
  clusterFixture,
  type SysextRelease,
  startSysextRelease,
} from './support/cluster-fixture.js';
import { STALE_LOCK } from './support/stale-lock.js';

// `hakoc status` and `hakoc lock break` on the laptop cluster: every VM with Vagrant's state. The stand-in
// `vagrant` of provider-vagrant's tests plays the hypervisor (this machine has none); its state
// file is edited to power a VM off, as a crash or `vagrant halt` would.

let release: SysextRelease;
let cluster: ClusterFixture;
let hypervisor: StandInHypervisor;
beforeAll(async () => {
  release = await startSysextRelease(DEFAULT_KUBERNETES_VERSION);
  cluster = clusterFixture('vagrant', release.baseUrl);
  hypervisor = await standInHypervisor(join(cluster.dir, 'hypervisor'));
});
afterAll(async () => {
  cluster.remove();
  await release.close();
});

async function hakoc(...args: string[]) {
  const io = cluster.io({ ...hypervisor.env, [VAGRANT_BINARY_ENV]: STAND_IN_VAGRANT });
  const code = await runCli(args, io);
  return { code, out: io.out(), err: io.err() };
}

async function status(): Promise<{ code: number; report: StatusReport }> {
  const run = await hakoc('status', cluster.spec, '--json');
  // No report means the command failed before it: show why.
  if (run.out === '') throw new Error(run.err);
  return { code: run.code, report: JSON.parse(run.out) as StatusReport };
}

describe('hakoc status on Vagrant', () => {
  it('shows every VM running after apply, each role complete (exit 0)', async () => {
    expect((await hakoc('apply', cluster.spec, '--auto-approve')).code).toBe(0);
    const { code, report } = await status();
    expect(code).toBe(0);
    expect(report.provider).toBe('vagrant');
    expect(report.healthy).toBe(true);
    expect(report.roles.map((role) => [role.role, role.condition, role.summary])).toEqual([
      ['etcd', 'ok', '3 of 3 running'],
      ['control plane', 'ok', '3 of 3 running'],
      ['workers', 'ok', '2 of 2 running'],
      ['load balancer', 'ok', '1 of 1 running'],
    ]);
    const etcd = report.roles[0];
    expect(etcd?.machines.map((m) => [m.name, m.state])).toEqual([
      ['demo-etcd-0', 'running'],
      ['demo-etcd-1', 'running'],
      ['demo-etcd-2', 'running'],
    ]);
    expect(etcd?.machines.every((m) => m.ip?.startsWith('192.168.56.'))).toBe(true);
  });

  it('a VM that stopped makes its role degraded and the status fail (exit 1)', async () => {
    const stateFile = hypervisor.env.STAND_IN_STATE ?? '';
    const state = JSON.parse(readFileSync(stateFile, 'utf8')) as {
      vms: Record<string, { state: string }>;
    };
    const worker = Object.keys(state.vms).find((key) => key.endsWith('::demo-worker-1'));
    expect(worker).toBeDefined();
    const vm = state.vms[worker ?? ''];
    if (vm !== undefined) vm.state = 'poweroff';
    writeFileSync(stateFile, JSON.stringify(state));

    const { code, report } = await status();
    expect(code).toBe(1);
    const workers = report.roles.find((role) => role.role === 'workers');
    expect(workers).toMatchObject({
      condition: 'degraded',
      summary: '1 of 2 running',
      problems: ['demo-worker-1 is poweroff'],
    });
    expect(report.roles.filter((role) => role.condition !== 'ok')).toHaveLength(1);
  });

  it('shows a lock left by a killed run, and lock break removes it', async () => {
    const project = join(cluster.keyStore, '..', 'vagrant');
    const store = createLockFileStore(project);
    await store.create(
      { owner: createOwner('demo'), signal: AbortSignal.timeout(10_000) },
      STALE_LOCK,
    );
    expect((await status()).report.lock).toEqual(STALE_LOCK);

    const refused = await hakoc('apply', cluster.spec, '--auto-approve');
    expect(refused.code).toBe(5);
    expect(refused.err).toContain(`break the stale lock: hakoc lock break ${cluster.spec}`);

    const broken = await hakoc('lock', 'break', cluster.spec, '--auto-approve', '--json');
    expect(broken.code).toBe(0);
    expect(JSON.parse(broken.out)).toEqual({ cluster: 'demo', broken: STALE_LOCK });
    expect((await status()).report.lock).toBeNull();
  });
});
