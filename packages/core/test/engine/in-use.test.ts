import { describe, expect, it } from 'vitest';
import { apply, isGraphError, plan, type Resource } from '../../src/engine/index.js';
import { createMockProvider, type MockInput, type MockSpec } from '../../src/testing/index.js';
import { fastRetry, owner, rejectionOf } from './fixtures.js';

const types = [
  { type: 'mock.network', forceNew: ['cidr'] },
  { type: 'mock.subnet', forceNew: ['cidr'] },
  { type: 'mock.firewall' },
  { type: 'mock.instance', forceNew: ['zone'] },
];

// A network with a subnet and an instance that refer to what they sit in, and a firewall that
// only has to come after the network.
function graph(networkCidr: string): MockInput {
  const net: Resource<MockSpec> = {
    type: 'mock.network',
    name: 'net',
    spec: { cidr: networkCidr },
  };
  const refersTo = (r: Resource<MockSpec>) => ({ dependsOn: [r], references: [r] });
  const subnet: Resource<MockSpec> = {
    type: 'mock.subnet',
    name: 'nodes',
    spec: { cidr: '10.0.0.0/20' },
    ...refersTo(net),
  };
  const firewall = { type: 'mock.firewall', name: 'fw', spec: { ports: [22] }, dependsOn: [net] };
  const vm = { type: 'mock.instance', name: 'vm', spec: { zone: 'b' }, ...refersTo(subnet) };
  return { resources: [net, subnet, firewall, vm] };
}

describe('replacing an object that others refer to', () => {
  it('deletes the referrers first and creates them again after, instead of waiting on in-use', async () => {
    const provider = createMockProvider({ types });
    await apply(await plan(graph('10.0.0.0/16'), provider, { owner }));
    const changed = await plan(graph('10.1.0.0/16'), provider, { owner });
    const byId = new Map(changed.steps.map((s) => [s.id.replace(/@.*/, '@'), s]));
    expect(byId.get('mock.network/net')?.action).toBe('replace');
    expect(byId.get('mock.firewall/fw')?.action).toBe('noop');
    expect(byId.get('mock.subnet/nodes')).toMatchObject({
      action: 'create',
      reason: 'it refers to mock.network/net, which is replaced',
    });
    expect(byId.get('mock.subnet/nodes@')?.action).toBe('delete');
    expect(byId.get('mock.instance/vm')).toMatchObject({
      action: 'create',
      reason: 'it refers to mock.subnet/nodes, which is replaced',
    });
    const subnetDelete = byId.get('mock.subnet/nodes@');
    const vmDelete = byId.get('mock.instance/vm@');
    expect(byId.get('mock.network/net')?.dependsOn).toContain(subnetDelete?.id);
    expect(subnetDelete?.dependsOn).toEqual([vmDelete?.id]);
    const order = changed.steps.map((s) => s.id);
    expect(order.indexOf(vmDelete?.id ?? '')).toBeLessThan(order.indexOf(subnetDelete?.id ?? ''));

    const result = await apply(changed, { retry: fastRetry });
    expect(result.totals.failed).toBe(0);
    expect((await plan(graph('10.1.0.0/16'), provider, { owner })).summary.changes).toBe(0);
    expect(provider.cloud.owned(owner)).toHaveLength(4);
  });

  it('has the mock cloud refuse to delete what is referred to, retryably', async () => {
    const provider = createMockProvider({ types });
    await apply(await plan(graph('10.0.0.0/16'), provider, { owner }));
    const net = provider.cloud.owned(owner).find((o) => o.type === 'mock.network');
    const error = await rejectionOf(
      provider.cloud.delete(
        { operation: 'delete', type: 'mock.network', signal: new AbortController().signal },
        net?.id ?? '',
      ),
    );
    expect(error).toMatchObject({ reason: 'in-use', retryable: true });
  });

  it('refuses a reference that is not also a dependency', async () => {
    const provider = createMockProvider({ types });
    const net = { type: 'mock.network', name: 'net', spec: {} };
    const subnet = { type: 'mock.subnet', name: 's', spec: {}, references: [net] };
    const error = await rejectionOf(plan({ resources: [net, subnet] }, provider, { owner }));
    expect(isGraphError(error)).toBe(true);
  });
});
