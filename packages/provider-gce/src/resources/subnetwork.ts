import type { ResourceType } from '@hakoc/core';
import type { Subnetwork } from '../compute-types.js';
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
import { globalRef, nameOfRef, siteOf } from './site.js';

/** The resource type of the machines' subnetwork. */
export const SUBNETWORK_TYPE = 'gce.subnetwork';

/** The subnetwork every machine of the cluster is on, in the cluster's region. */
export interface SubnetworkSpec {
  /** Name of the VPC network. */
  readonly network: string;
  /** The node CIDR. */
  readonly ipCidrRange: string;
  /** Lets machines without external IPs reach Google APIs. */
  readonly privateIpGoogleAccess: boolean;
}

function listed(subnet: Subnetwork): Listed<SubnetworkSpec> {
  return {
    id: String(subnet.id ?? subnet.name ?? ''),
    name: subnet.name ?? '',
    labels: labelsOfDescription(subnet.description),
    fields: {
      network: nameOfRef(subnet.network),
      ipCidrRange: subnet.ipCidrRange ?? '',
      privateIpGoogleAccess: subnet.privateIpGoogleAccess === true,
    },
  };
}

/** Regional subnetworks, owned through a description marker. */
export function subnetworkType(
  api: GceApi,
): ResourceType<SubnetworkSpec, GceState<SubnetworkSpec>> {
  const where = { project: api.project, region: api.region };
  return gceResourceType<SubnetworkSpec>({
    type: SUBNETWORK_TYPE,
    immutable: ['network', 'ipCidrRange', 'privateIpGoogleAccess'],
    replaceReason:
      'a subnetwork cannot move to another network or change its range in place; every machine on it goes too',
    async list(signal) {
      const [items] = await api.call(siteOf('list', SUBNETWORK_TYPE), signal, (c) =>
        c.subnetworks.list(where),
      );
      return items.map(listed);
    },
    async get(signal, name) {
      const found = await getOrUndefined(
        api.call(siteOf('list', SUBNETWORK_TYPE, name), signal, (c) =>
          c.subnetworks.get({ ...where, subnetwork: name }),
        ),
      );
      return found === undefined ? undefined : listed(found[0]);
    },
    async insert(ctx, { name, spec }) {
      await api.mutate(siteOf('create', SUBNETWORK_TYPE, name), ctx.signal, (c) =>
        c.subnetworks.insert({
          ...where,
          requestId: requestIdFor(ctx, 'insert'),
          subnetworkResource: {
            name,
            network: globalRef(api.project, 'networks', spec.network),
            ipCidrRange: spec.ipCidrRange,
            privateIpGoogleAccess: spec.privateIpGoogleAccess,
            description: ownedDescription(ctx.owner, 'the machines of the cluster'),
          },
        }),
      );
    },
    async remove(ctx, current) {
      await ignoreNotFound(
        api.mutate(siteOf('delete', SUBNETWORK_TYPE, current.name), ctx.signal, (c) =>
          c.subnetworks.delete({
            ...where,
            subnetwork: current.name,
            requestId: requestIdFor(ctx, 'delete'),
          }),
        ),
      );
    },
  });
}
