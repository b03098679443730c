import { type ClusterModel, type Provider, resourceName } from '@hakoc/core';
import type { AuthClient } from 'google-auth-library';
import { type GceBackendHealth, readBackendHealth } from './backend-health.js';
import { desiredResources, type GceInput } from './desired.js';
import { GceApi } from './gce-api.js';
import { GCE_PROVIDER_NAME, gceFailure } from './gce-errors.js';
import { checkKubernetesChange } from './kubernetes-version.js';
import { gceLockStore } from './lock-store.js';
import { type GceGroupMachines, readGroupMachines } from './machines.js';
import { type GceOutputs, gceOutputs } from './outputs.js';
import { preflightCheck } from './preflight.js';
import { addressType } from './resources/address.js';
import { autoscalerType } from './resources/autoscaler.js';
import { backendServiceType } from './resources/backend-service.js';
import { diskType } from './resources/disk.js';
import { dnsRecordType } from './resources/dns-record.js';
import { etcdMemberType } from './resources/etcd-member.js';
import {
  DEFAULT_ETCD_LEAVE_POLL_MS,
  DEFAULT_ETCD_LEAVE_TIMEOUT_MS,
} from './resources/etcd-member-leave.js';
import { firewallType } from './resources/firewall.js';
import { forwardingRuleType } from './resources/forwarding-rule.js';
import { healthCheckType } from './resources/health-check.js';
import { instanceGroupType } from './resources/instance-group.js';
import { instanceTemplateType } from './resources/instance-template.js';
import { networkType } from './resources/network.js';
import { subnetworkType } from './resources/subnetwork.js';

/** The environment variable that points the provider at an emulator or private endpoint. */
export const GCE_ENDPOINT_ENV = 'HAKOC_GCE_ENDPOINT';

/**
 * The environment variable that sets the request rate when the caller sets none: `0` for an
 * emulator, which has no API rate limit to stay under.
 */
export const GCE_REQUESTS_PER_SECOND_ENV = 'HAKOC_GCE_REQUESTS_PER_SECOND';

/** Options of {@link gce}. */
export interface GceProviderOptions {
  /** The cluster: project, region, zones, DNS zone and everything the quotas are checked for. */
  readonly model: ClusterModel;
  /**
   * Base URL of a compute + Cloud DNS endpoint: `http://127.0.0.1:PORT` for the emulator, or a
   * private `https` one. Calls to a plain-HTTP endpoint carry no credentials (a token would
   * travel unencrypted) unless `authClient` is given.
   * @default process.env.HAKOC_GCE_ENDPOINT, else Google's
   */
  readonly endpoint?: string;
  /**
   * A service-account key file (JSON, `"type": "service_account"`; other credential files are
   * refused). Its account needs the roles listed in the package README.
   * @default the spec's `provider.gce.credentialsFile`, else Application Default Credentials
   */
  readonly credentialsFile?: string;
  /** An auth client to use as is (embedding); wins over `credentialsFile` and the emulator rule. */
  readonly authClient?: AuthClient;
  /** Longest wait for one GCE operation, in milliseconds. @default 600000 */
  readonly operationTimeoutMs?: number;
  /**
   * Request starts per second across all calls, below GCE's per-project API rate limits.
   * 0 disables the limit. @default process.env.HAKOC_GCE_REQUESTS_PER_SECOND, else 20
   */
  readonly requestsPerSecond?: number;
  /**
   * How long an etcd member that a plan deletes may take to leave its cluster (it is asked
   * through its instance metadata and answers with a guest attribute), and how often its answer
   * is looked for, in milliseconds.
   * @default { timeoutMs: 600000, pollMs: 2000 }
   */
  readonly etcdLeave?: { readonly timeoutMs?: number; readonly pollMs?: number };
}

/** The GCE provider: a {@link Provider} plus a way to release its clients. */
export interface GceProvider extends Provider<GceInput, GceOutputs> {
  /** Closes the Google clients (if they were ever loaded). */
  close(): Promise<void>;
  /** True once the Google client libraries were loaded (they load on the first call). */
  readonly clientsLoaded: boolean;
  /**
   * The size and machines (status, current action, health) of the cluster's managed groups
   * that exist: each etcd member's, the control plane's and the workers'. Reads only.
   */
  machines(signal: AbortSignal): Promise<GceGroupMachines[]>;
  /**
   * How the API load balancer's backend service finds its groups' machines, healthy of total
   * per zone (`backendServices.getHealth`); `[]` before the service exists. Reads only.
   */
  backendHealth(signal: AbortSignal): Promise<GceBackendHealth[]>;
}

const DEFAULT_OPERATION_TIMEOUT_MS = 600_000;
const DEFAULT_REQUESTS_PER_SECOND = 20;

/** The request rate {@link GCE_REQUESTS_PER_SECOND_ENV} asks for, else the default. */
function requestsPerSecondFromEnv(): number {
  const text = process.env[GCE_REQUESTS_PER_SECOND_ENV];
  if (text === undefined || text === '') return DEFAULT_REQUESTS_PER_SECOND;
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0) {
    throw gceFailure(
      `${GCE_REQUESTS_PER_SECOND_ENV} must be a number of requests per second (0 for no limit), got "${text}".`,
      { operation: 'preflight' },
      'invalid',
    );
  }
  return value;
}

/**
 * The Compute Engine + Cloud DNS provider for the cluster `options.model`. Making it loads no
 * Google library; the few compute v1 clients it uses are loaded on its first call.
 *
 * @throws ProviderError (`invalid`) when the model is not a GCE cluster.
 */
export function gce(options: GceProviderOptions): GceProvider {
  const { model } = options;
  if (model.provider.name !== 'gce') {
    throw gceFailure(
      `Cluster ${model.name} runs on ${model.provider.name}, not gce.`,
      { operation: 'preflight' },
      'invalid',
    );
  }
  const settings = model.provider;
  const endpoint = options.endpoint ?? process.env[GCE_ENDPOINT_ENV];
  const credentialsFile = options.credentialsFile ?? settings.credentialsFile;
  const api = new GceApi({
    project: settings.project,
    region: settings.region,
    operationTimeoutMs: options.operationTimeoutMs ?? DEFAULT_OPERATION_TIMEOUT_MS,
    requestsPerSecond: options.requestsPerSecond ?? requestsPerSecondFromEnv(),
    ...(endpoint === undefined || endpoint === '' ? {} : { endpoint }),
    ...(credentialsFile === undefined ? {} : { credentialsFile }),
    ...(options.authClient === undefined ? {} : { authClient: options.authClient }),
  });
  const names = {
    // The API load balancer's address, backend service and forwarding rule share this name.
    address: resourceName(model.name, settings.internalLoadBalancer ? 'api-internal' : 'api'),
    controlPlane: model.machineSets.controlPlane.name,
    workers: model.machineSets.workers.name,
  };
  return {
    name: GCE_PROVIDER_NAME,
    types: [
      networkType(api),
      subnetworkType(api),
      firewallType(api),
      instanceTemplateType(api),
      healthCheckType(api),
      diskType(api),
      etcdMemberType(api, {
        timeoutMs: options.etcdLeave?.timeoutMs ?? DEFAULT_ETCD_LEAVE_TIMEOUT_MS,
        pollMs: options.etcdLeave?.pollMs ?? DEFAULT_ETCD_LEAVE_POLL_MS,
      }),
      instanceGroupType(api),
      autoscalerType(api),
      addressType(api),
      backendServiceType(api),
      forwardingRuleType(api),
      dnsRecordType(api, settings.dnsZone),
    ],
    lock: gceLockStore(api, settings.dnsZone, model.domain),
    desired(input) {
      const provider = input.model.provider;
      if (
        provider.name !== 'gce' ||
        provider.project !== settings.project ||
        provider.region !== settings.region
      ) {
        throw gceFailure(
          `This provider was made for ${settings.project}/${settings.region}; the input is another cluster's.`,
          { operation: 'preflight' },
          'invalid',
        );
      }
      return desiredResources(input);
    },
    preflight: (ctx) => preflightCheck(api, model, ctx),
    checkChange: checkKubernetesChange,
    outputs: (actual) => gceOutputs(actual, model.endpoints.apiUrl, names),
    close: () => api.close(),
    machines: (signal) =>
      readGroupMachines(
        api,
        [
          ...model.machineSets.etcd.machines.map((member) => member.name),
          names.controlPlane,
          names.workers,
        ],
        signal,
      ),
    backendHealth: (signal) => readBackendHealth(api, names.address, signal),
    get clientsLoaded() {
      return api.loaded;
    },
  };
}
