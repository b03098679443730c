import type { protos } from '@google-cloud/compute/build/src/index.js';
import { AddressesClient } from '@google-cloud/compute/build/src/v1/addresses_client.js';
import { BackendServicesClient } from '@google-cloud/compute/build/src/v1/backend_services_client.js';
import { DisksClient } from '@google-cloud/compute/build/src/v1/disks_client.js';
import { FirewallsClient } from '@google-cloud/compute/build/src/v1/firewalls_client.js';
import { ForwardingRulesClient } from '@google-cloud/compute/build/src/v1/forwarding_rules_client.js';
import { GlobalOperationsClient } from '@google-cloud/compute/build/src/v1/global_operations_client.js';
import { InstanceTemplatesClient } from '@google-cloud/compute/build/src/v1/instance_templates_client.js';
import { InstancesClient } from '@google-cloud/compute/build/src/v1/instances_client.js';
import { MachineTypesClient } from '@google-cloud/compute/build/src/v1/machine_types_client.js';
import { NetworksClient } from '@google-cloud/compute/build/src/v1/networks_client.js';
import { ProjectsClient } from '@google-cloud/compute/build/src/v1/projects_client.js';
import { RegionAutoscalersClient } from '@google-cloud/compute/build/src/v1/region_autoscalers_client.js';
import { RegionBackendServicesClient } from '@google-cloud/compute/build/src/v1/region_backend_services_client.js';
import { RegionHealthChecksClient } from '@google-cloud/compute/build/src/v1/region_health_checks_client.js';
import { RegionInstanceGroupManagersClient } from '@google-cloud/compute/build/src/v1/region_instance_group_managers_client.js';
import { RegionOperationsClient } from '@google-cloud/compute/build/src/v1/region_operations_client.js';
import { RegionsClient } from '@google-cloud/compute/build/src/v1/regions_client.js';
import { SubnetworksClient } from '@google-cloud/compute/build/src/v1/subnetworks_client.js';
import { ZoneOperationsClient } from '@google-cloud/compute/build/src/v1/zone_operations_client.js';
import type { DNS } from '@google-cloud/dns';
import { PassThroughClient } from 'google-auth-library';
import type { GceEmulator } from '../../src/emulator/index.js';

/**
 * The real `@google-cloud/compute` v1 clients, deep-imported one by one (the package index costs
 * several hundred milliseconds more), pointed at an emulator over loopback HTTP.
 */

/** A compute operation as the clients return it. */
export type Operation = protos.google.cloud.compute.v1.IOperation;

/** Every client the emulator tests use, pointed at one emulator. */
export function computeClients(emulator: GceEmulator) {
  const options = { ...emulator.computeClientOptions, authClient: new PassThroughClient() };
  const clients = {
    addresses: new AddressesClient(options),
    backendServices: new BackendServicesClient(options),
    disks: new DisksClient(options),
    firewalls: new FirewallsClient(options),
    forwardingRules: new ForwardingRulesClient(options),
    globalOperations: new GlobalOperationsClient(options),
    instanceTemplates: new InstanceTemplatesClient(options),
    instances: new InstancesClient(options),
    machineTypes: new MachineTypesClient(options),
    networks: new NetworksClient(options),
    projects: new ProjectsClient(options),
    regionAutoscalers: new RegionAutoscalersClient(options),
    regionBackendServices: new RegionBackendServicesClient(options),
    regionHealthChecks: new RegionHealthChecksClient(options),
    regionInstanceGroupManagers: new RegionInstanceGroupManagersClient(options),
    regionOperations: new RegionOperationsClient(options),
    regions: new RegionsClient(options),
    subnetworks: new SubnetworksClient(options),
    zoneOperations: new ZoneOperationsClient(options),
  };
  return {
    ...clients,
    async close(): Promise<void> {
      await Promise.all(Object.values(clients).map((c) => c.close()));
    },
  };
}

/** The clients of one emulator. */
export type ComputeClients = ReturnType<typeof computeClients>;

/**
 * The operation a mutating call started. The clients' typings promise an `LROperation`; what
 * compute's REST transport really resolves to is `[{ latestResponse: Operation }]`. This is the
 * one place that shape is narrowed.
 */
export async function started(call: Promise<unknown>): Promise<Operation> {
  const result = await call;
  const first: unknown = Array.isArray(result) ? result[0] : undefined;
  if (typeof first === 'object' && first !== null && 'latestResponse' in first) {
    return (first as { latestResponse: Operation }).latestResponse;
  }
  throw new Error('a compute mutation did not resolve to [{ latestResponse }]');
}

/** Waits (with GCE's `wait`, at most `rounds` times) until an operation is `DONE`. */
export async function waitDone(
  clients: ComputeClients,
  op: Operation,
  rounds = 20,
): Promise<Operation> {
  let current = op;
  const project = /projects\/([^/]+)\//.exec(op.selfLink ?? '')?.[1] ?? '';
  for (let i = 0; i < rounds && current.status !== 'DONE'; i++) {
    const name = current.name ?? '';
    if (op.zone) {
      [current] = await clients.zoneOperations.wait({
        project,
        zone: op.zone.split('/').pop() ?? '',
        operation: name,
      });
    } else if (op.region) {
      [current] = await clients.regionOperations.wait({
        project,
        region: op.region.split('/').pop() ?? '',
        operation: name,
      });
    } else {
      [current] = await clients.globalOperations.wait({ project, operation: name });
    }
  }
  return current;
}

/** Starts a mutation and waits for its operation; fails the test if the operation failed. */
export async function done(clients: ComputeClients, call: Promise<unknown>): Promise<Operation> {
  const op = await waitDone(clients, await started(call));
  if (op.error?.errors?.length)
    throw new Error(`operation failed: ${JSON.stringify(op.error.errors)}`);
  return op;
}

/** What a test needs to know of a client's error. */
export interface ClientError {
  readonly code: number | undefined;
  readonly reason: string | undefined;
  readonly message: string;
  readonly httpStatus: number | undefined;
}

/** The error a promise rejects with, read the way the Google clients shape it. */
export async function clientError(call: Promise<unknown>): Promise<ClientError> {
  try {
    await call;
  } catch (error) {
    const e = error as {
      code?: unknown;
      reason?: unknown;
      message?: unknown;
      httpStatusCode?: unknown;
      errors?: unknown;
    };
    const errors = Array.isArray(e.errors) ? (e.errors as Array<{ reason?: unknown }>) : [];
    return {
      code: typeof e.code === 'number' ? e.code : undefined,
      reason:
        typeof e.reason === 'string'
          ? e.reason
          : typeof errors[0]?.reason === 'string'
            ? errors[0].reason
            : undefined,
      message: typeof e.message === 'string' ? e.message : String(error),
      httpStatus: typeof e.httpStatusCode === 'number' ? e.httpStatusCode : undefined,
    };
  }
  throw new Error('expected the call to fail');
}

/** A fixed, valid request id built from a number (GCE wants a non-zero UUID). */
export function requestId(n: number): string {
  return `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
}

type DnsAuthClient = NonNullable<NonNullable<ConstructorParameters<typeof DNS>[0]>['authClient']>;

/**
 * A real `@google-cloud/dns` client pointed at the emulator. Cloud DNS's client (through
 * `@google-cloud/common`) takes its base URL as a property, not an option.
 */
export async function dnsClient(emulator: GceEmulator, projectId: string): Promise<DNS> {
  const { DNS: DnsClient } = await import('@google-cloud/dns');
  // Cloud DNS types its auth option against its own, older google-auth-library major; a
  // PassThroughClient of ours behaves the same at run time (verified by the DNS tests).
  const authClient = new PassThroughClient() as unknown as DnsAuthClient;
  const dns = new DnsClient({ projectId, authClient });
  dns.baseUrl = emulator.dnsBaseUrl;
  return dns;
}
