import type { AddressesClient } from '@google-cloud/compute/build/src/v1/addresses_client.js';
import type { DisksClient } from '@google-cloud/compute/build/src/v1/disks_client.js';
import type { FirewallsClient } from '@google-cloud/compute/build/src/v1/firewalls_client.js';
import type { ForwardingRulesClient } from '@google-cloud/compute/build/src/v1/forwarding_rules_client.js';
import type { GlobalOperationsClient } from '@google-cloud/compute/build/src/v1/global_operations_client.js';
import type { HealthChecksClient } from '@google-cloud/compute/build/src/v1/health_checks_client.js';
import type { InstanceTemplatesClient } from '@google-cloud/compute/build/src/v1/instance_templates_client.js';
import type { InstancesClient } from '@google-cloud/compute/build/src/v1/instances_client.js';
import type { MachineTypesClient } from '@google-cloud/compute/build/src/v1/machine_types_client.js';
import type { NetworksClient } from '@google-cloud/compute/build/src/v1/networks_client.js';
import type { ProjectsClient } from '@google-cloud/compute/build/src/v1/projects_client.js';
import type { RegionAutoscalersClient } from '@google-cloud/compute/build/src/v1/region_autoscalers_client.js';
import type { RegionBackendServicesClient } from '@google-cloud/compute/build/src/v1/region_backend_services_client.js';
import type { RegionHealthChecksClient } from '@google-cloud/compute/build/src/v1/region_health_checks_client.js';
import type { RegionInstanceGroupManagersClient } from '@google-cloud/compute/build/src/v1/region_instance_group_managers_client.js';
import type { RegionOperationsClient } from '@google-cloud/compute/build/src/v1/region_operations_client.js';
import type { RegionsClient } from '@google-cloud/compute/build/src/v1/regions_client.js';
import type { SubnetworksClient } from '@google-cloud/compute/build/src/v1/subnetworks_client.js';
import type { ZoneOperationsClient } from '@google-cloud/compute/build/src/v1/zone_operations_client.js';
import type { DNS } from '@google-cloud/dns';
import type { AuthClient } from 'google-auth-library';
import { cacheTrimmedJsonModule } from './cached-json-module.js';
import { withoutHiddenRetries } from './dns-without-retries.js';
import { type ProtoJsonNode, protoJsonSubset } from './proto-json-subset.js';
import { serviceAccountClient } from './service-account-key.js';
import { type ProtoJson, sharedProtosGax } from './shared-protos-gax.js';

/**
 * The Compute Engine v1 clients the provider uses, one per collection. They are deep-imported on
 * the provider's first call (the package index loads every client of the API, about 750 ms;
 * these few cost a fraction of that, and importing `@hakoc/provider-gce` costs nothing), and
 * each is constructed when first used.
 */
export interface ComputeClients {
  readonly addresses: AddressesClient;
  readonly disks: DisksClient;
  readonly firewalls: FirewallsClient;
  readonly forwardingRules: ForwardingRulesClient;
  readonly globalOperations: GlobalOperationsClient;
  readonly healthChecks: HealthChecksClient;
  readonly instanceTemplates: InstanceTemplatesClient;
  readonly instances: InstancesClient;
  readonly machineTypes: MachineTypesClient;
  readonly networks: NetworksClient;
  readonly projects: ProjectsClient;
  readonly regionAutoscalers: RegionAutoscalersClient;
  readonly regionBackendServices: RegionBackendServicesClient;
  readonly regionHealthChecks: RegionHealthChecksClient;
  readonly regionInstanceGroupManagers: RegionInstanceGroupManagersClient;
  readonly regionOperations: RegionOperationsClient;
  readonly regions: RegionsClient;
  readonly subnetworks: SubnetworksClient;
  readonly zoneOperations: ZoneOperationsClient;
  /** Cloud DNS (`@google-cloud/dns`) for `project`, made on first use for each project. */
  dnsOf(project: string): DNS;
  /** Closes every gRPC/REST channel the clients hold. */
  close(): Promise<void>;
}

/** How the clients reach Google (or an emulator) and who they are. */
export interface ClientSettings {
  /** `http(s)://host:port` of an emulator or private endpoint; unset means Google's. */
  readonly endpoint?: string;
  /** A service-account key file. */
  readonly credentialsFile?: string;
  /** An auth client to use as is (embedding, tests). */
  readonly authClient?: AuthClient;
}

const DNS_API_PATH = '/dns/v1';

const COMPUTE_PACKAGE = ['google', 'cloud', 'compute', 'v1'];
/** The proto services of the clients below: the only ones whose types are loaded. */
const COMPUTE_SERVICES = [
  'Addresses',
  'Disks',
  'Firewalls',
  'ForwardingRules',
  'GlobalOperations',
  'HealthChecks',
  'InstanceTemplates',
  'Instances',
  'MachineTypes',
  'Networks',
  'Projects',
  'RegionAutoscalers',
  'RegionBackendServices',
  'RegionHealthChecks',
  'RegionInstanceGroupManagers',
  'RegionOperations',
  'Regions',
  'Subnetworks',
  'ZoneOperations',
];

/**
 * Whether the clients go without credentials: towards a plain-HTTP endpoint (an emulator), where
 * a token would travel unencrypted, unless an auth client is injected. An `https` endpoint (a
 * private one) or Google's gets the injected client, the key file or, by leaving both out,
 * Application Default Credentials.
 */
export function sendsNoCredentials(settings: ClientSettings): boolean {
  if (settings.authClient !== undefined) return false;
  return settings.endpoint !== undefined && new URL(settings.endpoint).protocol === 'http:';
}

/** `json` (the compute API's protos.json) cut down to the services above. */
function computeProtoSubset(json: unknown): ProtoJson {
  return protoJsonSubset(
    json as ProtoJsonNode,
    COMPUTE_PACKAGE,
    COMPUTE_SERVICES,
  ) as unknown as ProtoJson;
}

/** Loads the clients and constructs them for `settings`. */
export async function loadComputeClients(settings: ClientSettings): Promise<ComputeClients> {
  // Before the clients load: each client module requires protos.json and holds it for good.
  const protos = cacheTrimmedJsonModule(
    '@google-cloud/compute/build/protos/protos.json',
    computeProtoSubset,
  );
  const [
    addresses,
    disks,
    firewalls,
    forwardingRules,
    globalOperations,
    healthChecks,
    instanceTemplates,
    instances,
    machineTypes,
    networks,
    projects,
    regionAutoscalers,
    regionBackendServices,
    regionHealthChecks,
    regionInstanceGroupManagers,
    regionOperations,
    regions,
    subnetworks,
    zoneOperations,
    dnsModule,
    auth,
    gaxModule,
  ] = await Promise.all([
    import('@google-cloud/compute/build/src/v1/addresses_client.js'),
    import('@google-cloud/compute/build/src/v1/disks_client.js'),
    import('@google-cloud/compute/build/src/v1/firewalls_client.js'),
    import('@google-cloud/compute/build/src/v1/forwarding_rules_client.js'),
    import('@google-cloud/compute/build/src/v1/global_operations_client.js'),
    import('@google-cloud/compute/build/src/v1/health_checks_client.js'),
    import('@google-cloud/compute/build/src/v1/instance_templates_client.js'),
    import('@google-cloud/compute/build/src/v1/instances_client.js'),
    import('@google-cloud/compute/build/src/v1/machine_types_client.js'),
    import('@google-cloud/compute/build/src/v1/networks_client.js'),
    import('@google-cloud/compute/build/src/v1/projects_client.js'),
    import('@google-cloud/compute/build/src/v1/region_autoscalers_client.js'),
    import('@google-cloud/compute/build/src/v1/region_backend_services_client.js'),
    import('@google-cloud/compute/build/src/v1/region_health_checks_client.js'),
    import('@google-cloud/compute/build/src/v1/region_instance_group_managers_client.js'),
    import('@google-cloud/compute/build/src/v1/region_operations_client.js'),
    import('@google-cloud/compute/build/src/v1/regions_client.js'),
    import('@google-cloud/compute/build/src/v1/subnetworks_client.js'),
    import('@google-cloud/compute/build/src/v1/zone_operations_client.js'),
    import('@google-cloud/dns'),
    import('google-auth-library'),
    import('google-gax'),
  ]);
  const endpoint = settings.endpoint === undefined ? undefined : new URL(settings.endpoint);
  // Nothing given (and not an emulator) leaves `authClient` out: Application Default Credentials.
  const authClient: AuthClient | undefined = sendsNoCredentials(settings)
    ? new auth.PassThroughClient()
    : (settings.authClient ??
      (settings.credentialsFile === undefined
        ? undefined
        : await serviceAccountClient(auth, settings.credentialsFile)));
  const options = {
    ...(authClient === undefined ? {} : { authClient }),
    ...(endpoint === undefined
      ? {}
      : {
          apiEndpoint: endpoint.hostname,
          port: Number(endpoint.port || (endpoint.protocol === 'https:' ? 443 : 80)),
          protocol: endpoint.protocol.replace(':', ''),
        }),
  };
  // One proto root for every compute client, rather than google-gax re-hashing it for each,
  // and of the services above only (already so, unless protos.json was required before).
  const gax = sharedProtosGax(gaxModule, (json) =>
    json === protos ? json : computeProtoSubset(json),
  );
  const compute = constructedOnFirstUse({
    addresses: () => new addresses.AddressesClient(options, gax),
    disks: () => new disks.DisksClient(options, gax),
    firewalls: () => new firewalls.FirewallsClient(options, gax),
    forwardingRules: () => new forwardingRules.ForwardingRulesClient(options, gax),
    globalOperations: () => new globalOperations.GlobalOperationsClient(options, gax),
    healthChecks: () => new healthChecks.HealthChecksClient(options, gax),
    instanceTemplates: () => new instanceTemplates.InstanceTemplatesClient(options, gax),
    instances: () => new instances.InstancesClient(options, gax),
    machineTypes: () => new machineTypes.MachineTypesClient(options, gax),
    networks: () => new networks.NetworksClient(options, gax),
    projects: () => new projects.ProjectsClient(options, gax),
    regionAutoscalers: () => new regionAutoscalers.RegionAutoscalersClient(options, gax),
    regionBackendServices: () =>
      new regionBackendServices.RegionBackendServicesClient(options, gax),
    regionHealthChecks: () => new regionHealthChecks.RegionHealthChecksClient(options, gax),
    regionInstanceGroupManagers: () =>
      new regionInstanceGroupManagers.RegionInstanceGroupManagersClient(options, gax),
    regionOperations: () => new regionOperations.RegionOperationsClient(options, gax),
    regions: () => new regions.RegionsClient(options, gax),
    subnetworks: () => new subnetworks.SubnetworksClient(options, gax),
    zoneOperations: () => new zoneOperations.ZoneOperationsClient(options, gax),
  });
  type DnsAuth = NonNullable<NonNullable<ConstructorParameters<typeof DNS>[0]>['authClient']>;
  // Cloud DNS takes the project at construction (compute takes it per request); a client costs
  // little, one per project.
  const dnsByProject = new Map<string, DNS>();
  const dnsOf = (project: string): DNS => {
    let dns = dnsByProject.get(project);
    if (dns === undefined) {
      dns = withoutHiddenRetries(
        new dnsModule.DNS({
          projectId: project,
          // Cloud DNS types its auth option against its own, older google-auth-library major; an
          // auth client of ours behaves the same at run time (the emulator tests go through it).
          ...(authClient === undefined ? {} : { authClient: authClient as unknown as DnsAuth }),
        }),
      );
      if (endpoint !== undefined) dns.baseUrl = `${endpoint.origin}${DNS_API_PATH}`;
      dnsByProject.set(project, dns);
    }
    return dns;
  };
  return Object.assign(compute.clients, {
    dnsOf,
    async close() {
      await Promise.all(compute.made().map((client) => client.close()));
    },
  });
}

/**
 * An object whose properties are made by `factories` on first read, once each: a lock read
 * needs one client where a plan needs about fifteen, and each client holds its own channel and
 * auth state.
 */
function constructedOnFirstUse<T extends Record<string, { close(): Promise<void> }>>(
  factories: {
    readonly [K in keyof T]: () => T[K];
  },
): { readonly clients: T; made(): T[keyof T][] } {
  const made = new Map<keyof T, T[keyof T]>();
  const clients = {} as T;
  for (const key of Object.keys(factories) as (keyof T)[]) {
    Object.defineProperty(clients, key, {
      enumerable: true,
      get() {
        let client = made.get(key);
        if (client === undefined) {
          client = factories[key]();
          made.set(key, client);
        }
        return client;
      },
    });
  }
  return { clients, made: () => [...made.values()] };
}
