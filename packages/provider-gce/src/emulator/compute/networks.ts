import { defineCollection } from '../collection.js';
import { stringField } from '../json.js';

/**
 * VPC networks (global). A cluster makes a custom-mode network (`autoCreateSubnetworks: false`).
 * The network does not list its subnetworks here: a subnetwork names its network, which is what
 * makes deleting a network that still has subnetworks fail with `resourceInUseByAnotherResource`.
 */
export const networks = defineCollection({
  collection: 'networks',
  kind: 'compute#network',
  prepare(_ctx, network) {
    network.autoCreateSubnetworks = network.autoCreateSubnetworks === true;
    network.routingConfig = network.routingConfig ?? { routingMode: 'REGIONAL' };
    network.mtu = network.mtu ?? 1460;
    network.networkFirewallPolicyEnforcementOrder =
      stringField(network, 'networkFirewallPolicyEnforcementOrder') ?? 'AFTER_CLASSIC_FIREWALL';
  },
  quota: (ctx) => ctx.env.quotas.checkProject(ctx.env.world, ctx.project, 'NETWORKS', 1),
});
