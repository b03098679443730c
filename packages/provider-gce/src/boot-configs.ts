/**
 * The Ignition configs the GCE provider puts on machines, rendered JSON per role. etcd members
 * each get their own (their certificates), delivered through their own per-instance config;
 * the control plane and the workers share one config per role through their template.
 */
export interface GceBootConfigs {
  /** Ignition JSON per etcd member, by member name (`demo-etcd-0`). */
  readonly etcd: Readonly<Record<string, string>>;
  /** Ignition JSON of every control-plane machine. */
  readonly controlPlane: string;
  /** Ignition JSON of every worker. */
  readonly workers: string;
}
