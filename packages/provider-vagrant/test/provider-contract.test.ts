import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createOwner } from '@hakoc/core';
import { providerContractTests } from '@hakoc/core/testing/contract';
import {
  createVagrantCli,
  type MachinesDocument,
  type VagrantProviderInput,
} from '@hakoc/provider-vagrant';
import { afterAll } from 'vitest';
import {
  exampleModel,
  inputFor,
  STAND_IN_VAGRANT,
  standInHypervisor,
  standInProvider,
  testUserData,
} from './support/stand-in-project.js';
import { makeTempDir, removeTempDir } from './support/tools.js';

// The engine's provider contract over the Vagrant provider. No hypervisor runs here, so
// `vagrant` is the stand-in in support/ (hypervisor mode): its machine-readable output was
// captured from the real Vagrant 2.3.4 binary (status, plugin list, error-exit records; see
// fixtures/README.md), and its success paths use the record types and messages of Vagrant's own
// sources. libvirt, so up to four stand-ins run at once against one project.
const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await removeTempDir(dir);
});

const model = await exampleModel({ etcd: 1, controllers: 1, workers: 2, hypervisor: 'libvirt' });
const initial = inputFor(model);
const fewer = await exampleModel({ etcd: 1, controllers: 1, workers: 1, hypervisor: 'libvirt' });

providerContractTests<VagrantProviderInput>({
  name: 'vagrant (stand-in hypervisor)',
  async setup() {
    const root = await makeTempDir();
    dirs.push(root);
    const hypervisor = await standInHypervisor(join(root, 'hypervisor'));
    const dir = join(root, 'project');
    const provider = standInProvider(dir, hypervisor);
    return {
      provider,
      owner: createOwner(model.name),
      initial,
      inPlaceChange: { ...initial, layout: { resources: { worker: { memoryMb: 3072 } } } },
      expectedUpdates: ['vagrant.machine/demo-worker-0', 'vagrant.machine/demo-worker-1'],
      replacingChange: {
        ...initial,
        userData: testUserData(model, { machine: 'demo-worker-1', tag: ' changed' }),
      },
      expectedReplaces: ['vagrant.machine/demo-worker-1'],
      reduced: inputFor(fewer),
      // A machine someone listed in machines.json by hand, without our labels, and brought up.
      async createUnowned() {
        const path = join(dir, 'machines.json');
        const document = JSON.parse(await readFile(path, 'utf8')) as MachinesDocument;
        const hand = {
          name: 'scratch',
          role: 'worker' as const,
          ip: '192.168.56.200',
          memoryMb: 512,
          cpus: 1,
        };
        await writeFile(
          path,
          JSON.stringify({ ...document, machines: [...document.machines, hand] }, null, 2),
        );
        await createVagrantCli({ cwd: dir, binary: STAND_IN_VAGRANT, env: hypervisor.env }).up(
          'scratch',
        );
        const before = (await hypervisor.vms())[`${dir}::scratch`];
        return async () => {
          const listed = (JSON.parse(await readFile(path, 'utf8')) as MachinesDocument).machines;
          const after = (await hypervisor.vms())[`${dir}::scratch`];
          return (
            JSON.stringify(listed.find((machine) => machine.name === 'scratch')) ===
              JSON.stringify(hand) &&
            after !== undefined &&
            JSON.stringify(after) === JSON.stringify(before)
          );
        };
      },
      failNext: (count, retryable) => hypervisor.failNext(count, retryable),
      options: { retry: { retries: 3, minDelayMs: 10, maxDelayMs: 50, jitter: false } },
    };
  },
});
