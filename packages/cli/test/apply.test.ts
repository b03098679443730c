import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { DEFAULT_KUBERNETES_VERSION } from '@hakoc/core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../src/run-cli.js';
import {
  type ClusterFixture,
  clusterFixture,
  jsonLines,
  type SysextRelease,
  startSysextRelease,
} from './support/cluster-fixture.js';

interface IgnitionFile {
  readonly path: string;
  readonly contents: { readonly source: string; readonly compression?: string };
}

/** The files of an Ignition config, decoded, by path. */
function ignitionFiles(config: string): Map<string, string> {
  const parsed = JSON.parse(config) as {
    ignition: { version: string };
    storage: { files: IgnitionFile[] };
  };
  expect(parsed.ignition.version).toBe('3.3.0');
  return new Map(
    parsed.storage.files
      .filter((file) => file.contents.source.startsWith('data:'))
      .map((file) => {
        const bytes = Buffer.from(file.contents.source.replace(/^data:[^,]*,/, ''), 'base64');
        const text = (file.contents.compression === 'gzip' ? gunzipSync(bytes) : bytes).toString();
        return [file.path, text];
      }),
  );
}

/** The `user-data` metadata of every instance in an emulator state file, by instance name. */
function instanceUserData(stateFile: string): Map<string, string> {
  const { resources } = JSON.parse(readFileSync(stateFile, 'utf8')) as {
    resources: Record<string, { metadata?: { items?: { key: string; value: string }[] } }>;
  };
  const found = new Map<string, string>();
  for (const [path, resource] of Object.entries(resources)) {
    const match = /\/zones\/[^/]+\/instances\/([^/]+)$/.exec(path);
    const userData = resource.metadata?.items?.find((item) => item.key === 'user-data');
    if (match?.[1] !== undefined && userData !== undefined) found.set(match[1], userData.value);
  }
  return found;
}

describe('hakoc apply', () => {
  let release: SysextRelease;
  let cluster: ClusterFixture;
  beforeAll(async () => {
    release = await startSysextRelease(DEFAULT_KUBERNETES_VERSION);
  });
  afterAll(() => release.close());
  beforeEach(() => {
    cluster = clusterFixture('gce', release.baseUrl);
  });
  afterEach(() => cluster.remove());

  it('applies a saved plan, then plans no changes', async () => {
    const state = ['--emulator-state', 'world.json'];
    const planned = cluster.io();
    expect(await runCli(['plan', cluster.spec, ...state, '--out', 'plan.json'], planned)).toBe(0);
    const { plan } = JSON.parse(readFileSync(join(cluster.dir, 'plan.json'), 'utf8')) as {
      plan: { summary: { create: number; changes: number } };
    };
    expect(plan.summary.changes).toBe(plan.summary.create);
    const applied = cluster.io();
    expect(await runCli(['apply', 'plan.json', ...state], applied)).toBe(0);
    expect(applied.err()).toContain(
      `: ${plan.summary.create} created, 0 updated, 0 replaced, 0 deleted, 0 failed`,
    );
    expect(applied.out()).toMatch(
      /^API: https:\/\/api\.k8s\.example\.com:6443 \(\d+\.\d+\.\d+\.\d+\)/,
    );

    const again = cluster.io();
    expect(await runCli(['plan', cluster.spec, ...state, '--detailed-exitcode'], again)).toBe(0);
    expect(again.out()).toContain('No changes.');
  });

  it('boots every machine with the real configs `hakoc render` writes, etcd members each with their own certificates', async () => {
    const applied = cluster.io();
    const args = ['apply', cluster.spec, '--emulator-state', 'world.json', '--auto-approve'];
    expect(await runCli(args, applied)).toBe(0);
    const rendered = cluster.io();
    expect(await runCli(['render', cluster.spec, '--out', 'rendered'], rendered)).toBe(0);
    const renderedConfig = (name: string) =>
      readFileSync(join(cluster.dir, 'rendered', 'configs', `${name}.ign`), 'utf8');

    const userData = instanceUserData(join(cluster.dir, 'world.json'));
    const byPrefix = (prefix: string) =>
      [...userData].filter(([name]) => name.startsWith(prefix)).map(([, value]) => value);
    // Three controllers and two workers (the autoscaler's minimum) from their templates.
    expect(byPrefix('demo-controller-')).toEqual(Array(3).fill(renderedConfig('demo-controller')));
    expect(byPrefix('demo-worker-')).toEqual(Array(2).fill(renderedConfig('demo-worker')));
    expect(
      ignitionFiles(renderedConfig('demo-controller')).get('/etc/kubernetes/pki/apiserver.crt'),
    ).toBe(readFileSync(join(cluster.keyStore, 'apiserver.crt'), 'utf8'));

    const serverCerts = new Set<string>();
    for (const member of ['demo-etcd-0', 'demo-etcd-1', 'demo-etcd-2']) {
      const config = userData.get(member);
      expect(config, member).toBe(renderedConfig(member));
      const files = ignitionFiles(config ?? '');
      const own = (file: string) =>
        readFileSync(join(cluster.keyStore, 'etcd', member, file), 'utf8');
      expect(files.get('/etc/etcd/pki/server.crt')).toBe(own('server.crt'));
      expect(files.get('/etc/etcd/pki/peer.crt')).toBe(own('peer.crt'));
      expect(files.get('/etc/etcd/pki/ca.crt')).toBe(
        readFileSync(join(cluster.keyStore, 'etcd', 'ca.crt'), 'utf8'),
      );
      // The key is there in clear for etcd to read; in the store it is encrypted.
      expect(files.get('/etc/etcd/pki/server.key')).toMatch(/^-----BEGIN PRIVATE KEY-----/);
      expect(own('server.key')).toContain('ENCRYPTED PRIVATE KEY');
      serverCerts.add(files.get('/etc/etcd/pki/server.crt') ?? '');
    }
    expect(serverCerts.size).toBe(3);
    // Nothing of a key reached the output.
    expect(`${applied.out()}${applied.err()}`).not.toMatch(/PRIVATE KEY|data:;base64/);
  });

  it('applies a spec with --auto-approve and --json: stdout one document, stderr JSON lines', async () => {
    const io = cluster.io();
    expect(
      await runCli(['apply', cluster.spec, '--emulator', '--auto-approve', '--json'], io),
    ).toBe(0);
    const result = JSON.parse(io.out()) as {
      totals: { done: number };
      outputs: { apiUrl: string };
    };
    expect(result.outputs.apiUrl).toBe('https://api.k8s.example.com:6443');
    const events = jsonLines(io.err());
    expect(events[0]?.type).toBe('cli.emulator');
    const planned = events.find((event) => event.type === 'plan.finished') as
      | { summary: { create: number } }
      | undefined;
    expect(planned?.summary.create).toBeGreaterThan(20);
    expect(result.totals.done).toBe(planned?.summary.create);
    expect(events.filter((event) => event.type === 'resource.done')).toHaveLength(
      result.totals.done,
    );
    expect(`${io.out()}${io.err()}`).not.toMatch(/PRIVATE KEY|data:;base64/);
  });
});
