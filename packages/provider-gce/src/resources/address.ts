import type { ResourceType } from '@hakoc/core';
import type { Address } from '../compute-types.js';
import type { GceApi } from '../gce-api.js';
import {
  type GceState,
  gceResourceType,
  getOrUndefined,
  ignoreNotFound,
  type Listed,
} from '../gce-resource-type.js';
import { labelFilter } from '../ownership.js';
import { requestIdFor } from '../request-id.js';
import { nameOfRef, regionalRef, siteOf } from './site.js';

/** The resource type of regional static addresses. */
export const ADDRESS_TYPE = 'gce.address';

/** The static address of the API load balancer. */
export interface AddressSpec {
  /** `EXTERNAL` for a public load balancer, `INTERNAL` for one inside the VPC. */
  readonly addressType: 'EXTERNAL' | 'INTERNAL';
  /** The subnetwork an internal address is taken from; `''` for external ones. */
  readonly subnetwork: string;
}

/** What {@link addressType} reports besides the spec: the address itself. */
export interface AddressFields extends AddressSpec {
  /** The IP, known once GCE reserved it. */
  readonly address?: string;
}

function listed(address: Address): Listed<AddressSpec & { readonly address?: string }> {
  return {
    id: String(address.id ?? address.name ?? ''),
    name: address.name ?? '',
    labels: address.labels ?? undefined,
    fields: {
      addressType: address.addressType === 'INTERNAL' ? 'INTERNAL' : 'EXTERNAL',
      subnetwork: nameOfRef(address.subnetwork),
      ...(address.address ? { address: address.address } : {}),
    },
  };
}

/**
 * Regional static addresses, labelled. Nothing about an address changes in place. Its IP is
 * part of the state (not the spec), for the DNS record and the outputs.
 */
export function addressType(api: GceApi): ResourceType<AddressFields, GceState<AddressFields>> {
  const where = { project: api.project, region: api.region };
  return gceResourceType<AddressFields>({
    type: ADDRESS_TYPE,
    immutable: ['addressType', 'subnetwork'],
    replaceReason: 'a static address cannot change its type or subnetwork',
    createOnly: ['address'],
    async list(signal, owner) {
      const [items] = await api.call(siteOf('list', ADDRESS_TYPE), signal, (c) =>
        c.addresses.list({ ...where, filter: labelFilter(owner) }),
      );
      return items.map(listed);
    },
    async get(signal, name) {
      const found = await getOrUndefined(
        api.call(siteOf('list', ADDRESS_TYPE, name), signal, (c) =>
          c.addresses.get({ ...where, address: name }),
        ),
      );
      return found === undefined ? undefined : listed(found[0]);
    },
    async insert(ctx, { name, spec }) {
      await api.mutate(siteOf('create', ADDRESS_TYPE, name), ctx.signal, (c) =>
        c.addresses.insert({
          ...where,
          requestId: requestIdFor(ctx, 'insert'),
          addressResource: {
            name,
            labels: { ...ctx.owner.labels },
            description: 'The Kubernetes API load balancer of a hakoc cluster.',
            addressType: spec.addressType,
            ...(spec.addressType === 'INTERNAL'
              ? {
                  subnetwork: regionalRef(api.project, api.region, 'subnetworks', spec.subnetwork),
                }
              : { networkTier: 'PREMIUM' }),
          },
        }),
      );
    },
    async remove(ctx, current) {
      await ignoreNotFound(
        api.mutate(siteOf('delete', ADDRESS_TYPE, current.name), ctx.signal, (c) =>
          c.addresses.delete({
            ...where,
            address: current.name,
            requestId: requestIdFor(ctx, 'delete'),
          }),
        ),
      );
    },
  });
}
