import type { ResourceType } from '@hakoc/core';
import type { ForwardingRule } from '../compute-types.js';
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
import { globalRef, nameOfRef, regionalRef, siteOf } from './site.js';

/** The resource type of regional forwarding rules. */
export const FORWARDING_RULE_TYPE = 'gce.forwardingRule';

/** The front of the passthrough TCP load balancer: address, port, backend. */
export interface ForwardingRuleSpec {
  /** Name of the static address it listens on. */
  readonly address: string;
  /** Ports forwarded, `['6443']`. */
  readonly ports: readonly string[];
  /** Name of the backend service. */
  readonly backendService: string;
  /** `EXTERNAL` or `INTERNAL`, as the backend service. */
  readonly loadBalancingScheme: 'EXTERNAL' | 'INTERNAL';
  /** Network and subnetwork of an internal rule; `''` for external ones. */
  readonly network: string;
  /** See `network`. */
  readonly subnetwork: string;
}

// Forwarding rules name their address by IP; the address name is kept in the description.
const ADDRESS_NOTE = /^address=([a-z][-a-z0-9]*)$/;

function listed(rule: ForwardingRule): Listed<ForwardingRuleSpec> {
  return {
    id: String(rule.id ?? rule.name ?? ''),
    name: rule.name ?? '',
    labels: rule.labels ?? undefined,
    fields: {
      address: ADDRESS_NOTE.exec(rule.description ?? '')?.[1] ?? '',
      ports: [...(rule.ports ?? [])],
      backendService: nameOfRef(rule.backendService),
      loadBalancingScheme: rule.loadBalancingScheme === 'INTERNAL' ? 'INTERNAL' : 'EXTERNAL',
      network: nameOfRef(rule.network),
      subnetwork: nameOfRef(rule.subnetwork),
    },
  };
}

/** Regional forwarding rules, labelled. Nothing about one changes in place. */
export function forwardingRuleType(
  api: GceApi,
): ResourceType<ForwardingRuleSpec, GceState<ForwardingRuleSpec>> {
  const where = { project: api.project, region: api.region };
  return gceResourceType<ForwardingRuleSpec>({
    type: FORWARDING_RULE_TYPE,
    immutable: [
      'address',
      'ports',
      'backendService',
      'loadBalancingScheme',
      'network',
      'subnetwork',
    ],
    replaceReason: 'a forwarding rule cannot change its address, ports, backend or scheme',
    async list(signal, owner) {
      const [items] = await api.call(siteOf('list', FORWARDING_RULE_TYPE), signal, (c) =>
        c.forwardingRules.list({ ...where, filter: labelFilter(owner) }),
      );
      return items.map(listed);
    },
    async get(signal, name) {
      const found = await getOrUndefined(
        api.call(siteOf('list', FORWARDING_RULE_TYPE, name), signal, (c) =>
          c.forwardingRules.get({ ...where, forwardingRule: name }),
        ),
      );
      return found === undefined ? undefined : listed(found[0]);
    },
    async insert(ctx, { name, spec }) {
      const site = siteOf('create', FORWARDING_RULE_TYPE, name);
      const [address] = await api.call(site, ctx.signal, (c) =>
        c.addresses.get({ ...where, address: spec.address }),
      );
      await api.mutate(site, ctx.signal, (c) =>
        c.forwardingRules.insert({
          ...where,
          requestId: requestIdFor(ctx, 'insert'),
          forwardingRuleResource: {
            name,
            labels: { ...ctx.owner.labels },
            description: `address=${spec.address}`,
            IPAddress: address.address ?? '',
            IPProtocol: 'TCP',
            ports: [...spec.ports],
            loadBalancingScheme: spec.loadBalancingScheme,
            backendService: regionalRef(
              api.project,
              api.region,
              'backendServices',
              spec.backendService,
            ),
            ...(spec.network === ''
              ? { networkTier: 'PREMIUM' }
              : {
                  network: globalRef(api.project, 'networks', spec.network),
                  subnetwork: regionalRef(api.project, api.region, 'subnetworks', spec.subnetwork),
                }),
          },
        }),
      );
    },
    async remove(ctx, current) {
      await ignoreNotFound(
        api.mutate(siteOf('delete', FORWARDING_RULE_TYPE, current.name), ctx.signal, (c) =>
          c.forwardingRules.delete({
            ...where,
            forwardingRule: current.name,
            requestId: requestIdFor(ctx, 'delete'),
          }),
        ),
      );
    },
  });
}
