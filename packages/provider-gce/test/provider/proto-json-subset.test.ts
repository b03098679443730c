import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { loadComputeClients } from '../../src/compute-clients.js';
import { type ProtoJsonNode, protoJsonSubset } from '../../src/proto-json-subset.js';

const require = createRequire(import.meta.url);
const computeJson = require('@google-cloud/compute/build/protos/protos.json') as ProtoJsonNode;
const V1 = ['google', 'cloud', 'compute', 'v1'];

function packageOf(json: ProtoJsonNode, path: readonly string[]): Record<string, ProtoJsonNode> {
  const node = path.reduce<ProtoJsonNode | undefined>((n, name) => n?.nested?.[name], json);
  return { ...node?.nested };
}

describe('protoJsonSubset', () => {
  it('keeps the services asked for and what they reach, and drops the rest of the package', () => {
    const subset = protoJsonSubset(computeJson, V1, ['HealthChecks']);
    const kept = packageOf(subset, V1);
    const before = packageOf(computeJson, V1);
    for (const name of ['HealthChecks', 'InsertHealthCheckRequest', 'HealthCheck', 'Operation'])
      expect(kept[name]).toBe(before[name]);
    expect(kept.Instances).toBeUndefined();
    expect(kept.Instance).toBeUndefined();
    expect(Object.keys(kept).length).toBeLessThan(Object.keys(before).length / 5);
    // The other versions of the API go; outside them nothing changes.
    const compute = ['google', 'cloud', 'compute'];
    expect(Object.keys(packageOf(computeJson, compute))).toEqual(
      expect.arrayContaining(['v1', 'v1beta']),
    );
    expect(Object.keys(packageOf(subset, compute))).toEqual(['v1']);
    expect(subset.nested?.google?.nested?.api).toBe(computeJson.nested?.google?.nested?.api);
    expect(subset.nested?.google?.nested?.protobuf).toBe(
      computeJson.nested?.google?.nested?.protobuf,
    );
    expect(Object.keys(packageOf(subset, ['google', 'cloud'])).sort()).toEqual(
      Object.keys(packageOf(computeJson, ['google', 'cloud'])).sort(),
    );
    expect(computeJson.nested?.google?.nested?.cloud?.nested?.compute?.nested?.v1).toBeDefined();
  });

  it('follows nested, dotted and fully qualified type names', () => {
    const json: ProtoJsonNode = {
      nested: {
        p: {
          nested: {
            S: { methods: { Get: { requestType: 'Req', responseType: '.p.Res' } } },
            Req: {
              fields: { kind: { type: 'Req.Kind', id: 1 }, own: { type: 'Own', id: 2 } },
              nested: {
                Own: { fields: { x: { type: 'Deep', id: 1 } } },
                Kind: { values: { A: 0 } },
              },
            },
            Res: { fields: { item: { type: 'Item.Status', id: 1 } } },
            Item: { fields: {}, nested: { Status: { values: { OK: 0 } } } },
            Deep: { fields: { n: { type: 'int32', id: 1 } } },
            Own: { fields: { unused: { type: 'Unused', id: 1 } } },
            Unused: { fields: {} },
          },
        },
      },
    };
    const kept = Object.keys(packageOf(protoJsonSubset(json, ['p'], ['S']), ['p'])).sort();
    expect(kept).toEqual(['Deep', 'Item', 'Req', 'Res', 'S']);
  });

  it('refuses a service that is not there', () => {
    expect(() => protoJsonSubset(computeJson, V1, ['NoSuchService'])).toThrow(/NoSuchService/);
  });

  it('is enough for every compute client the provider constructs', async () => {
    const clients = await loadComputeClients({ endpoint: 'http://127.0.0.1:1' });
    try {
      const names = Object.keys(clients).filter((key) => key !== 'dnsOf' && key !== 'close');
      expect(names.length).toBeGreaterThan(15);
      for (const name of names) {
        const client = (clients as unknown as Record<string, { initialize(): Promise<unknown> }>)[
          name
        ];
        await expect(client?.initialize()).resolves.toBeDefined();
      }
    } finally {
      await clients.close();
    }
  });
});
