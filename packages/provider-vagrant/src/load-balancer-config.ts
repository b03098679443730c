import { type BootConfig, composeBootConfig, renderCloudConfig } from '@hakoc/core';
import { type HaproxyOptions, renderHaproxyConfig } from './haproxy-config.js';
import type { VagrantClusterLayout } from './layout.js';

/**
 * The HAProxy image the load balancer runs: the Docker official image, pinned by tag and
 * digest so every load balancer runs the same bytes on every boot. The digest is that of the
 * multi-architecture index published for this tag.
 */
export const DEFAULT_HAPROXY_IMAGE =
  'docker.io/library/haproxy:3.2.21-alpine3.24@sha256:66e25cc9a8332635f4e897f7f4b1e5622c25f09f0ee23cddc6ce9bdb3a24772a';

/** Where the rendered `haproxy.cfg` lands on the load balancer. */
export const HAPROXY_CONFIG_PATH = '/etc/haproxy/haproxy.cfg';

/** The unit that runs HAProxy on the load balancer. */
export const HAPROXY_UNIT_NAME = 'hakoc-haproxy.service';

/** Options of {@link loadBalancerBootConfig}. */
export interface LoadBalancerOptions {
  /** The HAProxy image, pinned by digest. @default DEFAULT_HAPROXY_IMAGE */
  readonly image?: string;
  /**
   * The HAProxy configuration. `/healthz` and `/stats` answer on port 8404 unless `monitor`
   * says otherwise.
   * @default { monitor: { address: '*', port: 8404 } }
   */
  readonly haproxy?: HaproxyOptions;
}

/**
 * The boot configuration of the load balancer VM: `haproxy.cfg` for the layout's API servers
 * and a unit that runs HAProxy.
 *
 * Flatcar has no HAProxy package and no package manager, so HAProxy runs as the official
 * container image under the Docker that Flatcar ships: with host networking (it must reach the
 * API servers on the private network and listen on 6443 there), the configuration mounted read
 * only, and `Restart=always` so a crash or a failed first pull is retried. The image is pinned
 * by digest; a tag alone could change under a running cluster.
 */
export function loadBalancerBootConfig(
  layout: VagrantClusterLayout,
  options: LoadBalancerOptions = {},
): BootConfig {
  const image = options.image ?? DEFAULT_HAPROXY_IMAGE;
  const haproxy = options.haproxy ?? { monitor: { address: '*', port: 8404 } };
  const unit = [
    '[Unit]',
    'Description=HAProxy in front of the Kubernetes API servers (hakoc)',
    'Wants=network-online.target',
    'After=docker.service network-online.target',
    'Requires=docker.service',
    '',
    '[Service]',
    '# A container left by a crash would hold the name.',
    'ExecStartPre=-/usr/bin/docker rm --force hakoc-haproxy',
    // -db keeps HAProxy in the foreground with its log on stdout, which Docker hands to journald.
    `ExecStart=/usr/bin/docker run --rm --name hakoc-haproxy --network host --volume /etc/haproxy:/usr/local/etc/haproxy:ro ${image} haproxy -db -f /usr/local/etc/haproxy/haproxy.cfg`,
    'ExecStop=/usr/bin/docker stop --time 5 hakoc-haproxy',
    'Restart=always',
    'RestartSec=2',
    '# The first start pulls the image.',
    'TimeoutStartSec=10min',
    '',
    '[Install]',
    'WantedBy=multi-user.target',
    '',
  ].join('\n');
  return composeBootConfig([
    {
      module: 'load-balancer',
      part: {
        files: [
          {
            path: HAPROXY_CONFIG_PATH,
            contents: renderHaproxyConfig(layout, haproxy),
            mode: 0o644,
          },
        ],
        units: [{ name: HAPROXY_UNIT_NAME, contents: unit, enabled: true }],
      },
    },
  ]);
}

/** The load balancer's user-data: {@link loadBalancerBootConfig} as cloud-config. */
export function renderLoadBalancerUserData(
  layout: VagrantClusterLayout,
  options: LoadBalancerOptions = {},
): string {
  return renderCloudConfig(loadBalancerBootConfig(layout, options));
}
