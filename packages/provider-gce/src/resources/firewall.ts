import type { ResourceType } from '@hakoc/core';
import type { Firewall } from '../compute-types.js';
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

/** The resource type of firewall rules. */
export const FIREWALL_TYPE = 'gce.firewall';

/** One protocol (and its ports) a rule allows. */
export interface FirewallAllow {
  /** `tcp`, `udp`, `icmp`. */
  readonly IPProtocol: string;
  /** Ports or ranges (`2379-2380`); absent means every port (and for icmp, none apply). */
  readonly ports?: readonly string[];
}

/** An ingress allow rule, by network tag. */
export interface FirewallSpec {
  /** Name of the VPC network. */
  readonly network: string;
  /** What the rule is for, shown in the description after the ownership marker. */
  readonly purpose: string;
  /** What it allows. */
  readonly allowed: readonly FirewallAllow[];
  /** Source CIDRs (OR-ed with `sourceTags`). */
  readonly sourceRanges: readonly string[];
  /** Source network tags. */
  readonly sourceTags: readonly string[];
  /** The network tags of the machines it applies to. */
  readonly targetTags: readonly string[];
  /** Rule priority; lower wins. */
  readonly priority: number;
}

function listed(rule: Firewall): Listed<FirewallSpec> {
  const description = rule.description ?? '';
  return {
    id: String(rule.id ?? rule.name ?? ''),
    name: rule.name ?? '',
    labels: labelsOfDescription(description),
    fields: {
      network: nameOfRef(rule.network),
      purpose: description.replace(/^[^:]*: /, ''),
      allowed: (rule.allowed ?? []).map((allow) => ({
        IPProtocol: allow.IPProtocol ?? '',
        ...(allow.ports && allow.ports.length > 0 ? { ports: [...allow.ports] } : {}),
      })),
      sourceRanges: [...(rule.sourceRanges ?? [])],
      sourceTags: [...(rule.sourceTags ?? [])],
      targetTags: [...(rule.targetTags ?? [])],
      priority: rule.priority ?? 1000,
    },
  };
}

function body(spec: FirewallSpec, description: string) {
  return {
    description,
    allowed: spec.allowed.map((a) => ({
      IPProtocol: a.IPProtocol,
      ...(a.ports === undefined ? {} : { ports: [...a.ports] }),
    })),
    sourceRanges: [...spec.sourceRanges],
    sourceTags: [...spec.sourceTags],
    targetTags: [...spec.targetTags],
    priority: spec.priority,
  };
}

/**
 * Ingress firewall rules. Firewalls carry no labels: ownership is the description marker.
 * Ranges, tags, ports and priority change in place; the network and direction cannot.
 */
export function firewallType(api: GceApi): ResourceType<FirewallSpec, GceState<FirewallSpec>> {
  return gceResourceType<FirewallSpec>({
    type: FIREWALL_TYPE,
    immutable: ['network'],
    replaceReason: 'a firewall rule cannot move to another network',
    async list(signal) {
      const [items] = await api.call(siteOf('list', FIREWALL_TYPE), signal, (c) =>
        c.firewalls.list({ project: api.project }),
      );
      return items.map(listed);
    },
    async get(signal, name) {
      const found = await getOrUndefined(
        api.call(siteOf('list', FIREWALL_TYPE, name), signal, (c) =>
          c.firewalls.get({ project: api.project, firewall: name }),
        ),
      );
      return found === undefined ? undefined : listed(found[0]);
    },
    async insert(ctx, { name, spec }) {
      await api.mutate(siteOf('create', FIREWALL_TYPE, name), ctx.signal, (c) =>
        c.firewalls.insert({
          project: api.project,
          requestId: requestIdFor(ctx, 'insert'),
          firewallResource: {
            name,
            network: globalRef(api.project, 'networks', spec.network),
            direction: 'INGRESS',
            ...body(spec, ownedDescription(ctx.owner, spec.purpose)),
          },
        }),
      );
    },
    async update(ctx, _current, { name, spec }) {
      await api.mutate(siteOf('update', FIREWALL_TYPE, name), ctx.signal, (c) =>
        c.firewalls.patch({
          project: api.project,
          firewall: name,
          requestId: requestIdFor(ctx, 'patch'),
          firewallResource: body(spec, ownedDescription(ctx.owner, spec.purpose)),
        }),
      );
    },
    async remove(ctx, current) {
      await ignoreNotFound(
        api.mutate(siteOf('delete', FIREWALL_TYPE, current.name), ctx.signal, (c) =>
          c.firewalls.delete({
            project: api.project,
            firewall: current.name,
            requestId: requestIdFor(ctx, 'delete'),
          }),
        ),
      );
    },
  });
}
