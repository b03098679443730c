// Drives the progress display the way `hakoc apply` does — the real engine planning and
// applying over the in-memory mock provider, Ctrl-C through withInterrupt — on this process's
// own terminal. The pseudo-terminal test runs it in tmux:
//   node --import ./source-loader.mjs --conditions=@hakoc/source progress-driver.ts LATENCY_MS
import { writeSync } from 'node:fs';
import { apply, createOwner, isHakocError, plan, type Resource } from '@hakoc/core';
import { createMockProvider, type MockSpec } from '@hakoc/core/testing';
import { processIo } from '../../src/cli-io.js';
import { createProgressReporter, withInterrupt } from '../../src/progress/index.js';

const latencyMs = Number(process.argv[2] ?? '600');
const network: Resource<MockSpec> = {
  type: 'mock.network',
  name: 'demo',
  spec: { cidr: '10.240.0.0/20' },
};
const instances = [
  'etcd-0',
  'etcd-1',
  'etcd-2',
  'controller-0',
  'controller-1',
  'controller-2',
].map(
  (name): Resource<MockSpec> => ({
    type: 'mock.instance',
    name,
    spec: { machineType: 'e2-small' },
    dependsOn: [{ type: network.type, name: network.name }],
  }),
);
let retried = false;
const mock = createMockProvider({
  types: [{ type: 'mock.network' }, { type: 'mock.instance' }],
  latencyMs: (call) => (call.operation === 'create' ? latencyMs : 20),
  // One rate-limited answer, so a retry line shows.
  faults: (call) => {
    if (retried || call.operation !== 'create' || call.name !== 'etcd-1') return undefined;
    retried = true;
    return { kind: 'error', reason: 'rate-limited' };
  },
});

// A cloud operation, once sent, runs to its end whatever the caller does (a GCE insert cannot be
// called back), so creates here ignore the abort signal: the engine must wait for them.
const provider: typeof mock = {
  ...mock,
  types: mock.types.map((type) => ({
    ...type,
    create: (ctx, resource) =>
      type.create({ ...ctx, signal: new AbortController().signal }, resource),
  })),
};

// The exit status, on screen: the pseudo-terminal test reads it from there.
process.on('exit', (code) => writeSync(1, `driver: exit ${code}\n`));

const io = processIo();
const reporter = createProgressReporter(io);
try {
  await withInterrupt(
    io,
    async (signal) => {
      const options = { onEvent: reporter.onEvent, signal };
      const planned = await plan({ resources: [network, ...instances] }, provider, {
        ...options,
        owner: createOwner('demo'),
      });
      await apply(planned, {
        ...options,
        concurrency: 2,
        retry: { minDelayMs: 300, jitter: false },
      });
    },
    { notify: reporter.note },
  );
  reporter.finish();
  io.stdout('driver: applied\n');
} catch (error) {
  reporter.finish();
  io.stdout(`driver: ${isHakocError(error) ? error.code : String(error)}\n`);
  process.exitCode = 1;
}
