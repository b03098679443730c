import type { ResourceType } from '@hakoc/core';
import type { Network } from '../compute-types.js';
import type { GceApi } from '../gce-api.js';
import {
  type GceState,
  gceResourceType,
  getOrUndefined,
  ignoreNotFound,
  type Listed,
} from '../gce-resource-type.js';
import { labelsOfDescription, ownedDescription } from '../ownership.js';
import { requestIdFor } from '../request-id.js';
import { siteOf } from './site.js';

/** The resource type of the cluster's VPC network. */
export const NETWORK_TYPE = 'gce.network';

/** A custom-mode VPC: subnetworks are made explicitly, never one per region by GCE. */
export interface NetworkSpec {
  /** Always false: custom mode. */
  readonly autoCreateSubnetworks: false;
  /** Dynamic routes stay in the region. @default 'REGIONAL' */
  readonly routingMode: 'REGIONAL' | 'GLOBAL';
}

function listed(network: Network): Listed<NetworkSpec> {
  return {
    id: String(network.id ?? network.name ?? ''),
    name: network.name ?? '',
    labels: labelsOfDescription(network.description),
    fields: {
      autoCreateSubnetworks: false,
      routingMode: network.routingConfig?.routingMode === 'GLOBAL' ? 'GLOBAL' : 'REGIONAL',
    },
  };
}

/** Custom-mode VPC networks, owned through a description marker (networks have no labels). */
export function networkType(api: GceApi): ResourceType<NetworkSpec, GceState<NetworkSpec>> {
  return gceResourceType<NetworkSpec>({
    type: NETWORK_TYPE,
    immutable: ['autoCreateSubnetworks', 'routingMode'],
    replaceReason: 'the network mode and routing mode of a VPC are fixed at creation',
    async list(signal) {
      const [items] = await api.call(siteOf('list', NETWORK_TYPE), signal, (c) =>
        c.networks.list({ project: api.project }),
      );
      return items.map(listed);
    },
    async get(signal, name) {
      const found = await getOrUndefined(
        api.call(siteOf('list', NETWORK_TYPE, name), signal, (c) =>
          c.networks.get({ project: api.project, network: name }),
        ),
      );
      return found === undefined ? undefined : listed(found[0]);
    },
    async insert(ctx, resource) {
      await api.mutate(siteOf('create', NETWORK_TYPE, resource.name), ctx.signal, (c) =>
        c.networks.insert({
          project: api.project,
          requestId: requestIdFor(ctx, 'insert'),
          networkResource: {
            name: resource.name,
            autoCreateSubnetworks: false,
            routingConfig: { routingMode: resource.spec.routingMode },
            description: ownedDescription(ctx.owner, 'the cluster network'),
          },
        }),
      );
    },
    async remove(ctx, current) {
      await ignoreNotFound(
        api.mutate(siteOf('delete', NETWORK_TYPE, current.name), ctx.signal, (c) =>
          c.networks.delete({
            project: api.project,
            network: current.name,
            requestId: requestIdFor(ctx, 'delete'),
          }),
        ),
      );
    },
  });
}
