import type { ActualResource } from '@hakoc/core';
import type { GceState } from './gce-resource-type.js';
import { ADDRESS_TYPE, type AddressFields } from './resources/address.js';
import { AUTOSCALER_TYPE, type AutoscalerSpec } from './resources/autoscaler.js';
import { ETCD_MEMBER_TYPE, type EtcdMemberFields } from './resources/etcd-member.js';
import { INSTANCE_GROUP_TYPE, type InstanceGroupSpec } from './resources/instance-group.js';

/** One etcd member as it exists. */
export interface GceEtcdMemberOutput {
  /** Member (and instance) name. */
  readonly name: string;
  /** Its fixed internal IP. */
  readonly ip: string;
  /** Its zone. */
  readonly zone: string;
}

/** A managed instance group as it exists. */
export interface GceGroupOutput {
  /** Group name. */
  readonly name: string;
  /** The template it runs. */
  readonly template: string;
  /** Its zones. */
  readonly zones: readonly string[];
}

/** What a user needs after an apply on GCE. */
export interface GceOutputs {
  /** `https://api.<domain>:6443`. */
  readonly apiUrl: string;
  /** The load balancer's IP, once reserved. */
  readonly apiAddress: string | undefined;
  /** True when the API is reachable from inside the VPC only. */
  readonly internalLoadBalancer: boolean;
  /** The etcd members. */
  readonly etcd: readonly GceEtcdMemberOutput[];
  /** The control-plane group. */
  readonly controlPlane: GceGroupOutput | undefined;
  /** The worker group, with its autoscaling bounds. */
  readonly workers:
    | (GceGroupOutput & { readonly autoscaling?: { readonly min: number; readonly max: number } })
    | undefined;
}

// The engine hands back what this provider's own types listed, so the state shapes are known.
function statesOf<Fields>(actual: readonly ActualResource[], type: string): GceState<Fields>[] {
  return actual.filter((a) => a.type === type).map((a) => a.state as GceState<Fields>);
}

/** The outputs of a cluster from what exists. */
export function gceOutputs(
  actual: readonly ActualResource[],
  apiUrl: string,
  names: { readonly address: string; readonly controlPlane: string; readonly workers: string },
): GceOutputs {
  const address = statesOf<AddressFields>(actual, ADDRESS_TYPE).find(
    (s) => s.name === names.address,
  );
  const groups = statesOf<InstanceGroupSpec>(actual, INSTANCE_GROUP_TYPE);
  const group = (name: string): GceGroupOutput | undefined => {
    const found = groups.find((g) => g.name === name);
    return found === undefined
      ? undefined
      : { name, template: found.fields.template, zones: found.fields.zones };
  };
  const autoscaler = statesOf<AutoscalerSpec>(actual, AUTOSCALER_TYPE).find(
    (s) => s.fields.target === names.workers,
  );
  const workers = group(names.workers);
  return {
    apiUrl,
    apiAddress: address?.fields.address,
    internalLoadBalancer: address?.fields.addressType === 'INTERNAL',
    etcd: statesOf<EtcdMemberFields>(actual, ETCD_MEMBER_TYPE)
      .map((s) => ({ name: s.name, ip: s.fields.ip, zone: s.fields.zone }))
      .sort((a, b) => a.name.localeCompare(b.name)),
    controlPlane: group(names.controlPlane),
    workers:
      workers === undefined || autoscaler === undefined
        ? workers
        : {
            ...workers,
            autoscaling: {
              min: autoscaler.fields.minNumReplicas,
              max: autoscaler.fields.maxNumReplicas,
            },
          },
  };
}
