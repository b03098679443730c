import { defineCollection } from '../collection.js';
import { invalidField } from '../errors.js';
import { arrayField, stringField } from '../json.js';
import { selfLinkOf } from '../paths.js';
import { requireRef } from '../references.js';

/**
 * Firewall rules (global). Firewalls carry no labels in GCE, which is why the provider marks
 * its own ones in `description`.
 */
export const firewalls = defineCollection({
  collection: 'firewalls',
  kind: 'compute#firewall',
  prepare(ctx, rule) {
    const networkPath = requireRef(
      ctx.env.world,
      stringField(rule, 'network') ?? 'global/networks/default',
      ctx.project,
    );
    rule.network = selfLinkOf(networkPath);
    rule.direction = stringField(rule, 'direction') ?? 'INGRESS';
    rule.priority = rule.priority ?? 1000;
    rule.disabled = rule.disabled === true;
    if (arrayField(rule, 'allowed').length === 0 && arrayField(rule, 'denied').length === 0) {
      throw invalidField('resource.allowed', '', 'Either allowed or denied rules must be set.');
    }
    if (
      rule.direction === 'INGRESS' &&
      arrayField(rule, 'sourceRanges').length === 0 &&
      arrayField(rule, 'sourceTags').length === 0 &&
      arrayField(rule, 'sourceServiceAccounts').length === 0
    ) {
      rule.sourceRanges = ['0.0.0.0/0'];
    }
    if (rule.direction === 'EGRESS' && arrayField(rule, 'destinationRanges').length === 0) {
      rule.destinationRanges = ['0.0.0.0/0'];
    }
  },
  quota: (ctx) => ctx.env.quotas.checkProject(ctx.env.world, ctx.project, 'FIREWALLS', 1),
});
