import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseCloudConfig } from '@hakoc/core';
import {
  createVagrantCli,
  desiredResources,
  HAPROXY_CONFIG_PATH,
  HAPROXY_UNIT_NAME,
  renderVagrantProject,
} from '@hakoc/provider-vagrant';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exampleModel, inputFor, userDataIn } from './support/stand-in-project.js';
import { makeTempDir, removeTempDir, requireTool, run } from './support/tools.js';
import { isolatedVagrantEnv } from './support/vagrant-env.js';

// What the provider writes, checked by the real tools: `vagrant validate` on the project it
// renders for examples/vagrant.yaml (dedicated and co-located etcd), `haproxy -c` on the
// configuration inside the load balancer's cloud-config. About 2 s per vagrant call.
describe('the project and load balancer config the provider renders, checked by the real tools', () => {
  let dir: string;
  beforeAll(async () => {
    await requireTool('vagrant', ['--version']);
    await requireTool('haproxy', ['-v']);
    dir = await makeTempDir();
  });
  afterAll(() => removeTempDir(dir));

  for (const etcdPlacement of ['dedicated', 'controllers'] as const) {
    it(`vagrant validate passes the project for examples/vagrant.yaml (etcd ${etcdPlacement})`, async () => {
      const input = inputFor(await exampleModel(), { layout: { etcdPlacement } });
      const project = join(dir, etcdPlacement);
      await mkdir(project, { recursive: true });
      for (const [name, content] of await renderVagrantProject(input)) {
        await writeFile(join(project, name), content, {
          mode: name.startsWith('user-data-') ? 0o600 : 0o644,
        });
      }
      const env = await isolatedVagrantEnv(project);
      const vagrant = createVagrantCli({ cwd: project, env, killGraceMs: 2_000 });
      const result = await vagrant.validate({ timeoutMs: 60_000 });
      const said = result.records
        .filter((record) => record.type === 'ui')
        .map((record) => record.data[1]);
      expect(said).toContain('Vagrantfile validated successfully.');
      const statuses = await vagrant.status({ timeoutMs: 60_000 });
      expect(statuses.map((status) => status.name)).toEqual(
        etcdPlacement === 'dedicated'
          ? [
              'demo-controller-0',
              'demo-controller-1',
              'demo-controller-2',
              'demo-etcd-0',
              'demo-etcd-1',
              'demo-etcd-2',
              'demo-lb',
              'demo-worker-0',
              'demo-worker-1',
            ]
          : [
              'demo-controller-0',
              'demo-controller-1',
              'demo-controller-2',
              'demo-lb',
              'demo-worker-0',
              'demo-worker-1',
            ],
      );
      expect(statuses.every((status) => status.state === 'not_created')).toBe(true);
    });
  }

  it('haproxy -c passes the configuration in the load balancer cloud-config', async () => {
    const { resources } = await desiredResources(inputFor(await exampleModel()));
    const config = parseCloudConfig(userDataIn(resources, 'demo-lb'));
    const haproxyCfg = config.files.find((file) => file.path === HAPROXY_CONFIG_PATH);
    expect(haproxyCfg).toBeDefined();
    const text = Buffer.from(haproxyCfg?.contents ?? '').toString('utf8');
    for (const ip of ['192.168.56.20', '192.168.56.21', '192.168.56.22'])
      expect(text).toContain(`${ip}:6443 check check-ssl verify none`);
    const path = join(dir, 'haproxy.cfg');
    await writeFile(path, text);
    const checked = await run('haproxy', ['-c', '-f', path]);
    expect(checked.stderr + checked.stdout).toContain('Configuration file is valid');
    expect(checked.code).toBe(0);
    const unit = config.units.find((candidate) => candidate.name === HAPROXY_UNIT_NAME);
    expect(unit).toMatchObject({ enabled: true });
    expect(unit?.contents).toMatch(
      /docker run .*--network host .*haproxy:[^ ]+@sha256:[0-9a-f]{64} haproxy -db -f/,
    );
  });
});
