import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import type { StatusReport } from '../src/status/status-report.js';
import { sharedClusterFixture } from './support/cluster-fixture.js';
import { leaveStaleLock } from './support/gce-lock.js';
import { STALE_LOCK } from './support/stale-lock.js';

// `hakoc status` and `hakoc graph` on the example HA cluster in an emulator world kept in a
// file: first an empty project, then the applied cluster, then a spec that moved on from it.

const cluster = sharedClusterFixture('gce');
const { hakoc } = cluster;

async function status(): Promise<{ code: number; report: StatusReport }> {
  const run = await hakoc('status', cluster.spec, '--emulator-state', cluster.world, '--json');
  // No report means the command failed before it: show why.
  if (run.out === '') throw new Error(run.err);
  return { code: run.code, report: JSON.parse(run.out) as StatusReport };
}

const roleOf = (report: StatusReport, role: string) => report.roles.find((r) => r.role === role);

describe('hakoc status', () => {
  it('on an empty project: every object missing, every role missing, exit 1', async () => {
    const { code, report } = await status();
    expect(code).toBe(1);
    expect(report.healthy).toBe(false);
    expect(report.resources.length).toBeGreaterThan(5);
    for (const type of report.resources) {
      expect(type.present, type.type).toEqual([]);
      expect(type.missing.length, type.type).toBeGreaterThan(0);
    }
    expect(report.roles.map((r) => [r.role, r.condition])).toEqual([
      ['etcd', 'missing'],
      ['control plane', 'missing'],
      ['workers', 'missing'],
      ['load balancer', 'missing'],
    ]);
    expect(report.lock).toBeNull();
  });

  it('after apply: everything present, every role ok, exit 0', async () => {
    const applied = await hakoc(
      'apply',
      cluster.spec,
      '--emulator-state',
      cluster.world,
      '--auto-approve',
    );
    expect(applied.code).toBe(0);
    const { code, report } = await status();
    expect(code).toBe(0);
    expect(report.healthy).toBe(true);
    for (const type of report.resources) {
      expect([type.changed, type.missing, type.extra], type.type).toEqual([[], [], []]);
    }
    const created = /(\d+) created/.exec(applied.err)?.[1];
    const present = report.resources.reduce((sum, type) => sum + type.present.length, 0);
    expect(present).toBe(Number(created));
    expect(report.roles.every((role) => role.condition === 'ok')).toBe(true);
    const etcd = roleOf(report, 'etcd');
    expect(etcd?.summary).toBe('3 of 3 members');
    expect(etcd?.machines.map((m) => m.name)).toEqual([
      'demo-etcd-0',
      'demo-etcd-1',
      'demo-etcd-2',
    ]);
    expect(new Set(etcd?.machines.map((m) => m.zone)).size).toBe(3);
    const control = roleOf(report, 'control plane');
    expect(control?.summary).toMatch(/^group demo-controller: 3 of 3 running over /);
    expect(control?.machines).toHaveLength(3);
    expect(control?.machines.every((m) => m.state === 'running')).toBe(true);
    expect(etcd?.machines.every((m) => m.state === 'running')).toBe(true);
    const workers = roleOf(report, 'workers');
    expect(workers?.summary).toMatch(/: 2 running of 2, autoscaled 2–10 \(spec 2–10\)/);
    expect(workers?.machines).toHaveLength(2);
    const loadBalancer = roleOf(report, 'load balancer');
    expect(loadBalancer?.summary).toMatch(
      /^https:\/\/api\.k8s\.example\.com:6443 → \d+\.\d+\.\d+\.\d+, backends 3\/3 healthy$/,
    );
    // One controller in each zone, each running: healthy as the emulator counts it.
    const zones = [...new Set(control?.machines.map((m) => m.zone))].sort();
    expect(zones).toHaveLength(3);
    expect(loadBalancer?.backends).toEqual(
      zones.map((zone) => ({ group: 'demo-controller', zone, healthy: 1, total: 1 })),
    );
  });

  it('shows the same as text, and who holds the lock; apply is refused while it is held (exit 5)', async () => {
    const run = await hakoc('status', cluster.spec, '--emulator-state', cluster.world);
    expect(run.code).toBe(0);
    expect(run.out).toMatch(/^TYPE\s+PRESENT\s+CHANGED\s+MISSING\s+EXTRA$/m);
    expect(run.out).toMatch(/^gce\.etcdMember\s+3\s+0\s+0\s+0$/m);
    expect(run.out).toMatch(/^✓ etcd\s+3 of 3 members$/m);
    expect(run.out).toContain('Not locked.');
    expect(run.out).toContain('✓ demo is as the spec says.');

    await leaveStaleLock(cluster.spec, cluster.world, STALE_LOCK);
    const locked = await status();
    expect(locked.report.lock).toEqual(STALE_LOCK);
    const second = await hakoc(
      'apply',
      cluster.spec,
      '--emulator-state',
      cluster.world,
      '--auto-approve',
    );
    expect(second.code).toBe(5);
    expect(second.err).toContain('Cluster "demo" is locked by build-agent-7:4242 (apply since');
    expect(second.err).toContain(
      `break the stale lock: hakoc lock break ${cluster.spec} --emulator-state ${cluster.world}`,
    );
    expect(
      await hakoc(
        'lock',
        'break',
        cluster.spec,
        '--emulator-state',
        cluster.world,
        '--auto-approve',
      ),
    ).toMatchObject({ code: 0 });
  });

  it('a controller that stopped: its zone’s backend unhealthy, the load balancer degraded, exit 1', async () => {
    const saved = JSON.parse(readFileSync(cluster.world, 'utf8')) as {
      resources: Record<string, { status?: string }>;
    };
    const stopped = Object.keys(saved.resources)
      .filter((path) => /\/instances\/demo-controller-[^/]+$/.test(path))
      .sort()[0];
    const zone = /\/zones\/([^/]+)\//.exec(stopped ?? '')?.[1];
    if (stopped === undefined || zone === undefined) throw new Error('no controller in the world');
    const setStatus = (status: string) => {
      saved.resources[stopped] = { ...saved.resources[stopped], status };
      writeFileSync(cluster.world, JSON.stringify(saved));
    };
    setStatus('TERMINATED');
    try {
      const { code, report } = await status();
      expect(code).toBe(1);
      const loadBalancer = roleOf(report, 'load balancer');
      expect(loadBalancer?.condition).toBe('degraded');
      expect(loadBalancer?.summary).toMatch(/, backends 2\/3 healthy$/);
      expect(loadBalancer?.backends?.find((b) => b.zone === zone)).toEqual({
        group: 'demo-controller',
        zone,
        healthy: 0,
        total: 1,
      });
      expect(loadBalancer?.problems).toEqual([
        `1 of 1 machines of demo-controller in ${zone} fail the load balancer's health check`,
      ]);
      const text = await hakoc('status', cluster.spec, '--emulator-state', cluster.world);
      expect(text.out).toContain(`    demo-controller  0/1 healthy  ${zone}`);
      expect(text.out).toMatch(/^! load balancer\s+.*, backends 2\/3 healthy$/m);
    } finally {
      setStatus('RUNNING');
    }
  });

  it('a backend whose health cannot be read: the report without it, and a note saying why', async () => {
    const original = readFileSync(cluster.world, 'utf8');
    const saved = JSON.parse(original) as {
      resources: Record<string, { backends?: Array<{ group?: string }> }>;
    };
    const service = Object.keys(saved.resources).find((path) =>
      /\/backendServices\/demo-api$/.test(path),
    );
    const backends = service === undefined ? undefined : saved.resources[service]?.backends;
    if (backends?.[0]?.group === undefined) throw new Error('no API backend in the world');
    // A group the service names but that is gone: GCE answers its health with 404.
    backends[0].group = backends[0].group.replace(
      /\/instanceGroups\/[^/]+$/,
      '/instanceGroups/gone',
    );
    writeFileSync(cluster.world, JSON.stringify(saved));
    try {
      const run = await hakoc('status', cluster.spec, '--emulator-state', cluster.world, '--json');
      expect(run.out, run.err).not.toBe('');
      const report = JSON.parse(run.out) as StatusReport;
      expect(report.roles.map((r) => r.role)).toContain('load balancer');
      const notes = run.err
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as { type: string; reason?: string });
      const unread = notes.find((note) => note.type === 'cli.backend-health-unread');
      expect(unread?.reason).toMatch(/gone/);
    } finally {
      writeFileSync(cluster.world, original);
    }
  });

  it('a spec that moved on: the autoscaler differs, workers degraded, exit 1', async () => {
    const document = parse(readFileSync(cluster.spec, 'utf8')) as {
      spec: { workers: { max: number } };
    };
    document.spec.workers.max = 20;
    writeFileSync(cluster.spec, stringify(document));
    const { code, report } = await status();
    expect(code).toBe(1);
    expect(report.healthy).toBe(false);
    const autoscalers = report.resources.find((r) => r.type === 'gce.autoscaler');
    expect(autoscalers?.changed).toHaveLength(1);
    const workers = roleOf(report, 'workers');
    expect(workers?.condition).toBe('degraded');
    expect(workers?.summary).toMatch(/autoscaled 2–10 \(spec 2–20\)/);
    expect(workers?.problems).toEqual([
      `gce.autoscaler/${autoscalers?.changed[0]} differs from the spec`,
    ]);
    expect(roleOf(report, 'etcd')?.condition).toBe('ok');
  });
});

describe('hakoc graph', () => {
  it("prints the plan's graph as Mermaid and as DOT, one node per step", async () => {
    const planned = await hakoc('plan', cluster.spec, '--emulator-state', cluster.world, '--json');
    const plan = JSON.parse(planned.out) as { steps: { action: string; dependsOn: string[] }[] };
    const edges = plan.steps.reduce((sum, step) => sum + step.dependsOn.length, 0);

    const mermaid = await hakoc('graph', cluster.spec, '--emulator-state', cluster.world);
    expect(mermaid.code).toBe(0);
    expect(mermaid.out.split('\n')[0]).toBe('flowchart LR');
    expect(mermaid.out.match(/^ {2}s\d+\["/gm)).toHaveLength(plan.steps.length);
    expect(mermaid.out.match(/ --> /g)).toHaveLength(edges);
    expect(mermaid.out).toMatch(/\["update gce\.autoscaler\/[\w-]+"\]:::update/);

    const dot = await hakoc(
      'graph',
      cluster.spec,
      '--emulator-state',
      cluster.world,
      '--format',
      'dot',
    );
    expect(dot.code).toBe(0);
    expect(dot.out).toMatch(/^digraph "gce\/demo" \{/);
    expect(dot.out.match(/ -> /g)).toHaveLength(edges);
    expect(dot.out.trimEnd().endsWith('}')).toBe(true);
    // The graph is the result; progress stays on stderr.
    expect(dot.err).toContain('Planning demo');
  });

  it('rejects a format it does not write', async () => {
    const run = await hakoc('graph', cluster.spec, '--format', 'svg');
    expect(run.code).toBe(2);
    expect(run.err).toContain('Allowed choices are mermaid, dot');
  });
});
