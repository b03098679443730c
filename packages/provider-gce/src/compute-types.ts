import type { protos } from '@google-cloud/compute/build/src/index.js';

/**
 * The compute v1 message types the provider reads and writes. Type-only: importing them loads
 * nothing of the client package.
 */

/** A VPC network. */
export type Network = protos.google.cloud.compute.v1.INetwork;
/** A subnetwork. */
export type Subnetwork = protos.google.cloud.compute.v1.ISubnetwork;
/** A firewall rule. */
export type Firewall = protos.google.cloud.compute.v1.IFirewall;
/** An instance template. */
export type InstanceTemplate = protos.google.cloud.compute.v1.IInstanceTemplate;
/** Instance properties of a template. */
export type InstanceProperties = protos.google.cloud.compute.v1.IInstanceProperties;
/** A zonal persistent disk. */
export type Disk = protos.google.cloud.compute.v1.IDisk;
/** A managed instance group. */
export type InstanceGroupManager = protos.google.cloud.compute.v1.IInstanceGroupManager;
/** A per-instance config of a stateful group. */
export type PerInstanceConfig = protos.google.cloud.compute.v1.IPerInstanceConfig;
/** A health check. */
export type HealthCheck = protos.google.cloud.compute.v1.IHealthCheck;
/** An autoscaler. */
export type Autoscaler = protos.google.cloud.compute.v1.IAutoscaler;
/** A static address. */
export type Address = protos.google.cloud.compute.v1.IAddress;
/** A backend service. */
export type BackendService = protos.google.cloud.compute.v1.IBackendService;
/** A forwarding rule. */
export type ForwardingRule = protos.google.cloud.compute.v1.IForwardingRule;
