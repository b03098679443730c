import { HakocError } from '@hakoc/core';
import ipaddr from 'ipaddr.js';

/** The code of the error {@link renderHaproxyConfig} throws on bad input. */
export const HAPROXY_INPUT_INVALID_CODE = 'HAKOC_VAGRANT_HAPROXY_INPUT_INVALID';

/** One API server behind the load balancer. */
export interface HaproxyApiServer {
  /** Server name in HAProxy's logs and statistics; the machine name. */
  readonly name: string;
  /** IPv4 address of the API server. */
  readonly ip: string;
  /**
   * Port of this API server; tests put several on one loopback address.
   * @default HaproxyOptions.apiServerPort
   */
  readonly port?: number;
}

/** How often HAProxy probes each API server, and how quickly it gives up on one. */
export interface HaproxyHealthCheckTiming {
  /** Between probes of a healthy server. @default 500 */
  readonly intervalMs: number;
  /** Between probes once one has failed, to confirm quickly. @default 250 */
  readonly fastIntervalMs: number;
  /** Between probes of a server marked down. @default 1000 */
  readonly downIntervalMs: number;
  /** Consecutive failures that mark a server down. @default 2 */
  readonly fall: number;
  /** Consecutive successes that bring it back. @default 2 */
  readonly rise: number;
  /** A probe slower than this fails; also bounds its connect. @default 500 */
  readonly timeoutMs: number;
}

/**
 * The default timing. Worst case to mark a powered-off server down (no TCP reset, every probe
 * runs into its timeout): wait out one interval, a failed probe, the fast interval and a second
 * failed probe, 500 + 500 + 250 + 500 = 1.75 s. A killed API server on a live machine answers
 * with a reset and is down after about 0.75 s. Two servers' worth of probes per second is
 * nothing to an API server.
 */
export const DEFAULT_HEALTH_CHECK_TIMING: HaproxyHealthCheckTiming = {
  intervalMs: 500,
  fastIntervalMs: 250,
  downIntervalMs: 1000,
  fall: 2,
  rise: 2,
  timeoutMs: 500,
};

/** An HTTP listener for the load balancer's own health and statistics. */
export interface HaproxyMonitorEndpoint {
  /** Listen address. */
  readonly address: string;
  /** Listen port. */
  readonly port: number;
}

/** Options of {@link renderHaproxyConfig}. */
export interface HaproxyOptions {
  /** Address the API frontend listens on. @default '*' (every IPv4 address) */
  readonly bindAddress?: string;
  /** Port the API frontend listens on. @default 6443 */
  readonly bindPort?: number;
  /** Port of every API server that does not name its own. @default 6443 */
  readonly apiServerPort?: number;
  /** Health-check timing. @default DEFAULT_HEALTH_CHECK_TIMING */
  readonly healthCheck?: Partial<HaproxyHealthCheckTiming>;
  /** Path of a stats socket (`show stat`, `show servers state`); none when unset. */
  readonly statsSocket?: string;
  /** An HTTP endpoint with `/healthz` for the load balancer itself and `/stats`; none when unset. */
  readonly monitor?: HaproxyMonitorEndpoint;
}

/**
 * Renders `haproxy.cfg` for the load balancer in front of the API servers: TCP on 6443 (TLS
 * passes through, so clients see the API servers' own certificates and client certificates
 * keep working), each server probed over HTTPS at `/readyz`.
 *
 * Deterministic: the same input gives the same bytes, servers in the order given.
 *
 * @throws HakocError `HAKOC_VAGRANT_HAPROXY_INPUT_INVALID` for no servers, a duplicate or
 *   unsafe name, an address that is not IPv4 or a port out of range
 */
export function renderHaproxyConfig(
  input: { readonly apiServers: readonly HaproxyApiServer[] },
  options: HaproxyOptions = {},
): string {
  const timing = { ...DEFAULT_HEALTH_CHECK_TIMING, ...options.healthCheck };
  const apiServerPort = options.apiServerPort ?? 6443;
  const bindPort = options.bindPort ?? 6443;
  checkInput(input.apiServers, [
    apiServerPort,
    bindPort,
    ...(options.monitor ? [options.monitor.port] : []),
  ]);

  const lines = [
    '# haproxy.cfg for the Kubernetes API load balancer, rendered by @hakoc/provider-vagrant.',
    '# Rendered from the cluster model: change the cluster spec, not this file.',
    '',
    'global',
    '  # Foreground-friendly: state changes (server UP/DOWN) go to standard output.',
    '  log stdout format raw local0 info',
    '  maxconn 4096',
    ...(options.statsSocket === undefined
      ? []
      : [`  stats socket ${options.statsSocket} mode 600 level admin`]),
    '',
    'defaults',
    '  mode tcp',
    '  log global',
    '  timeout connect 2s',
    '  # Watches, logs and exec sessions stay open for a long time.',
    '  timeout client 1h',
    '  timeout server 1h',
    `  timeout check ${timing.timeoutMs}ms`,
    '  # A connection refused by a server not yet marked down is retried on another one.',
    '  retries 2',
    '  option redispatch',
    '',
    'frontend kube-apiserver',
    `  bind ${options.bindAddress ?? '*'}:${bindPort}`,
    '  default_backend kube-apiserver',
    '',
    'backend kube-apiserver',
    '  # Long-lived watches make connection counts, not request counts, the load to even out.',
    '  balance leastconn',
    '  # /readyz is open to anonymous clients by default (system:public-info-viewer) and turns',
    '  # 500 while the API server cannot serve, e.g. when it lost etcd.',
    '  option httpchk GET /readyz',
    '  http-check expect status 200',
    '  # Sessions to a server marked down are cut so clients reconnect to a healthy one at once.',
    `  default-server inter ${timing.intervalMs}ms fastinter ${timing.fastIntervalMs}ms downinter ${timing.downIntervalMs}ms fall ${timing.fall} rise ${timing.rise} on-marked-down shutdown-sessions`,
    '  # check-ssl: the probe speaks TLS to the API port. verify none: the probe asks "are you',
    '  # ready", not "who are you"; client traffic is never terminated here and is verified by',
    '  # the clients themselves.',
    ...input.apiServers.map(
      (server) =>
        `  server ${server.name} ${server.ip}:${server.port ?? apiServerPort} check check-ssl verify none`,
    ),
    ...(options.monitor === undefined ? [] : monitorSection(options.monitor)),
  ];
  return `${lines.join('\n')}\n`;
}

function monitorSection(monitor: HaproxyMonitorEndpoint): string[] {
  return [
    '',
    'frontend monitor',
    '  mode http',
    `  bind ${monitor.address}:${monitor.port}`,
    '  timeout client 10s',
    '  # 200 while HAProxy runs: the health of the load balancer itself.',
    '  monitor-uri /healthz',
    '  stats enable',
    '  stats uri /stats',
    '  stats refresh 5s',
  ];
}

function checkInput(servers: readonly HaproxyApiServer[], ports: readonly number[]): void {
  const problems: string[] = [];
  if (servers.length === 0) problems.push('there is no API server');
  const names = new Set<string>();
  for (const server of servers) {
    // HAProxy splits its configuration on white space and treats '#' as a comment.
    if (!/^[A-Za-z0-9_.:-]+$/.test(server.name)) {
      problems.push(
        `server name ${JSON.stringify(server.name)} has characters HAProxy does not allow`,
      );
    }
    if (names.has(server.name))
      problems.push(`server ${JSON.stringify(server.name)} appears twice`);
    names.add(server.name);
    if (!ipaddr.IPv4.isValidFourPartDecimal(server.ip)) {
      problems.push(
        `server ${JSON.stringify(server.name)} has address ${JSON.stringify(server.ip)}, not IPv4`,
      );
    }
  }
  const serverPorts = servers.flatMap((server) => (server.port === undefined ? [] : [server.port]));
  for (const port of [...ports, ...serverPorts]) {
    if (!Number.isInteger(port) || port < 1 || port > 65535)
      problems.push(`port ${port} is out of range`);
  }
  if (problems.length === 0) return;
  throw new HakocError(
    HAPROXY_INPUT_INVALID_CODE,
    `Cannot render haproxy.cfg: ${problems.join('; ')}`,
  );
}
