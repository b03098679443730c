import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createOwner,
  type Provider,
  ProviderError,
  type Resource,
  type ResourceType,
} from '@hakoc/core';
import { providerContractTests } from '@hakoc/core/testing/contract';
import { afterAll, describe, expect, it } from 'vitest';
import { type FolderCluster, folderProvider } from '../custom-provider.ts';
import { runExample } from './run-example.ts';

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'hakoc-folder-provider-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const machine = (name: string, role: string, ip: string) => ({
  name,
  role,
  ip,
  image: 'flatcar-stable',
  machineType: 'e2-small',
});
const etcd0 = machine('m-0', 'etcd', '10.0.0.10');
const worker1 = machine('m-1', 'workers', '10.0.0.100');
const initial: FolderCluster = { network: '10.0.0.0/24', machines: [etcd0, worker1] };

// The suite's failure injection wraps the provider from outside; the example stays plain.
function withFaults<Input, Output>(provider: Provider<Input, Output>) {
  let pending = 0;
  let retryable = true;
  const maybeFail = (type: string) => {
    if (pending === 0) return;
    pending -= 1;
    throw new ProviderError(`injected failure on ${type}`, {
      provider: provider.name,
      operation: 'create',
      reason: retryable ? 'unavailable' : 'invalid',
      noEffect: true,
    });
  };
  const wrap = (type: ResourceType): ResourceType => ({
    ...type,
    create: async (ctx, resource) => {
      maybeFail(type.type);
      return type.create(ctx, resource);
    },
    delete: async (ctx, current) => {
      maybeFail(type.type);
      return type.delete(ctx, current);
    },
    ...(type.update === undefined
      ? {}
      : {
          update: async (ctx, current, resource: Resource) => {
            maybeFail(type.type);
            return type.update?.(ctx, current, resource) ?? current;
          },
        }),
  });
  return {
    provider: { ...provider, types: provider.types.map(wrap) },
    failNext(count: number, asRetryable: boolean) {
      pending = count;
      retryable = asRetryable;
    },
  };
}

providerContractTests<FolderCluster>({
  name: 'folder (examples/custom-provider.ts)',
  setup() {
    const dir = tempDir();
    const { provider, failNext } = withFaults(folderProvider(dir));
    return {
      provider,
      owner: createOwner('demo'),
      initial,
      // A bigger machine type changes in place; a new image means a new machine.
      inPlaceChange: {
        ...initial,
        machines: [etcd0, { ...worker1, machineType: 'e2-standard-4' }],
      },
      expectedUpdates: ['folder.machine/m-1'],
      replacingChange: { ...initial, machines: [{ ...etcd0, image: 'flatcar-beta' }, worker1] },
      expectedReplaces: ['folder.machine/m-0'],
      reduced: { ...initial, machines: [etcd0] },
      // Another cluster's machine in the same folder.
      async createUnowned() {
        const other = folderProvider(dir).types.find((t) => t.type === 'folder.machine');
        const ctx = {
          owner: createOwner('someone-else'),
          signal: new AbortController().signal,
          requestId: '2f9c4b1e-7d3a-4c8e-9f1b-5a6d7e8f9a0b',
          attempt: 1,
          progress: () => undefined,
        };
        const made = await other?.create(ctx, {
          type: 'folder.machine',
          name: 'm-0',
          spec: { network: 'network', ...etcd0 },
        });
        const file = join(dir, 'folder.machine', `${made?.id}.json`);
        const before = readFileSync(file, 'utf8');
        return async () => readFileSync(file, 'utf8') === before;
      },
      failNext,
      options: { retry: { minDelayMs: 1, maxDelayMs: 5, jitter: false } },
    };
  },
});

describe('node examples/custom-provider.ts', { timeout: 120_000 }, () => {
  it('writes every machine of the laptop cluster as a file, and a second run changes nothing', async () => {
    const dir = tempDir();
    const first = await runExample('custom-provider', [dir]);
    expect(first.status, first.stderr).toBe(0);
    // examples/vagrant.yaml: 3 etcd members, 3 controllers, 2 workers, on one network.
    expect(first.stdout).toContain('plan: 9 changes');
    expect(first.stdout).toMatch(/machines in .*: demo-controller-0, .*demo-worker-1$/m);
    const files = readdirSync(join(dir, 'folder.machine'));
    expect(files).toHaveLength(8);
    const contents = files.map((file) => readFileSync(join(dir, 'folder.machine', file), 'utf8'));
    expect(contents.join('\n')).toContain('"ip": "192.168.56.10"');
    expect(readdirSync(join(dir, 'locks'))).toEqual([]);

    const second = await runExample('custom-provider', [dir]);
    expect(second.status, second.stderr).toBe(0);
    expect(second.stdout).toContain('plan: 0 changes');
  });
});
