import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { sharedClusterFixture } from './support/cluster-fixture.js';

// Scaling etcd on the GCE emulator: the existing members' boot configs do not change with
// spec.etcd.count, so a plan creates or deletes only the members that come or go (members join
// and leave etcd themselves, see docs/operations.md) and touches no member that stays.

const cluster = sharedClusterFixture('gce');

function setEtcdCount(count: number): void {
  const document = parse(readFileSync(cluster.spec, 'utf8')) as { spec: { etcd?: object } };
  document.spec.etcd = { ...document.spec.etcd, count };
  writeFileSync(cluster.spec, stringify(document));
}

/** The plan's changes as `action type name`, the unchanged steps left out. */
async function changes(): Promise<string[]> {
  return (await cluster.changedSteps())
    .map((step) => `${step.action} ${step.type} ${step.name}`)
    .sort();
}

const etcdOf = (lines: string[]) => lines.filter((line) => /etcd/.test(line));

describe('scaling etcd on the GCE emulator', () => {
  it('from 3 to 5 members creates members 3 and 4 and changes no existing member', {
    timeout: 120_000,
  }, async () => {
    await cluster.applyApproved();
    setEtcdCount(5);
    expect(etcdOf(await changes())).toEqual([
      'create gce.disk demo-etcd-3-data',
      'create gce.disk demo-etcd-4-data',
      'create gce.dnsRecord etcd-3.k8s.example.com.',
      'create gce.dnsRecord etcd-4.k8s.example.com.',
      'create gce.etcdMember demo-etcd-3',
      'create gce.etcdMember demo-etcd-4',
    ]);
  });

  it('from 5 back to 3 members deletes members 3 and 4 and changes no member that stays', {
    timeout: 120_000,
  }, async () => {
    await cluster.applyApproved();
    setEtcdCount(3);
    expect(etcdOf(await changes())).toEqual([
      'delete gce.disk demo-etcd-3-data',
      'delete gce.disk demo-etcd-4-data',
      'delete gce.dnsRecord etcd-3.k8s.example.com.',
      'delete gce.dnsRecord etcd-4.k8s.example.com.',
      'delete gce.etcdMember demo-etcd-3',
      'delete gce.etcdMember demo-etcd-4',
    ]);
    // The apply asks each leaving member to leave (the emulator's VMs answer at once), then
    // deletes it; a second plan has nothing left to do.
    await cluster.applyApproved();
    expect(etcdOf(await changes())).toEqual([]);
  });
});
