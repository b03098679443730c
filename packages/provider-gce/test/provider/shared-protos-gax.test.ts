import { HealthChecksClient } from '@google-cloud/compute/build/src/v1/health_checks_client.js';
import { NetworksClient } from '@google-cloud/compute/build/src/v1/networks_client.js';
import * as gax from 'google-gax';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { sharedProtosGax } from '../../src/shared-protos-gax.js';

// The clients keep their loaded proto root in a private field.
function protosOf(client: object): unknown {
  return (client as { _protos?: unknown })._protos;
}

const options = { apiEndpoint: '127.0.0.1', port: 1, protocol: 'http', fallback: true };

describe('sharedProtosGax', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('loads the compute proto JSON through google-gax once for any number of clients', async () => {
    const load = vi.spyOn(gax.fallback.GrpcClient, 'protobufFromJSON');
    const shared = sharedProtosGax(gax);
    const clients = [
      new NetworksClient(options, shared),
      new HealthChecksClient(options, shared),
      new NetworksClient(options, shared),
    ];
    expect(load).toHaveBeenCalledTimes(1);
    const root = protosOf(clients[0] ?? {});
    expect(root).toBeDefined();
    for (const client of clients) expect(protosOf(client)).toBe(root);
    await Promise.all(clients.map((client) => client.close()));
  });

  it('is the control: plain google-gax loads (stringifies and hashes) it for every client', async () => {
    const load = vi.spyOn(gax.fallback.GrpcClient, 'protobufFromJSON');
    const clients = [new NetworksClient(options, gax), new HealthChecksClient(options, gax)];
    expect(load).toHaveBeenCalledTimes(2);
    await Promise.all(clients.map((client) => client.close()));
  });

  it('still loads anew when a client asks to bypass the cache', () => {
    const shared = sharedProtosGax(gax);
    const grpc = new shared.fallback.GrpcClient({});
    const json = {
      nested: { demo: { nested: { Thing: { fields: { id: { type: 'string', id: 1 } } } } } },
    };
    const first = grpc.loadProtoJSON(json);
    expect(grpc.loadProtoJSON(json)).toBe(first);
    expect(grpc.loadProtoJSON(json, true)).not.toBe(first);
  });
});
