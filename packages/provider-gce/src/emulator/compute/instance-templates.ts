import { machineType } from '../catalog.js';
import { type CollectionHandlers, defineCollection } from '../collection.js';
import type { HandlerContext } from '../context.js';
import { invalidField, requiredField } from '../errors.js';
import { arrayField, isJsonObject, type JsonObject, objectField, stringField } from '../json.js';
import { nameOf, selfLinkOf } from '../paths.js';
import { requireRef } from '../references.js';

function prepare(ctx: HandlerContext, template: JsonObject): void {
  if (!isJsonObject(template.properties)) throw requiredField('resource.properties');
  const properties = template.properties;
  const type = stringField(properties, 'machineType');
  if (!type) throw requiredField('resource.properties.machineType');
  if (!machineType(nameOf(type))) {
    throw invalidField(
      'resource.properties.machineType',
      type,
      `Machine type with name '${nameOf(type)}' does not exist.`,
    );
  }
  if (arrayField(properties, 'disks').length === 0)
    throw requiredField('resource.properties.disks');
  for (const nic of arrayField(properties, 'networkInterfaces').filter(isJsonObject)) {
    for (const field of ['network', 'subnetwork']) {
      const ref = stringField(nic, field);
      if (ref) nic[field] = selfLinkOf(requireRef(ctx.env.world, ref, ctx.project));
    }
  }
  const labels = objectField(properties, 'labels');
  if (Object.keys(labels).length > 0) properties.labels = labels;
}

function withoutUpdates(handlers: CollectionHandlers): CollectionHandlers {
  // Instance templates are immutable in GCE: no patch, no update, no setLabels.
  const { patch: _patch, update: _update, verbs: _verbs, ...rest } = handlers;
  return rest;
}

/**
 * Instance templates, global and regional. Immutable; deleting one a MIG still uses fails with
 * `resourceInUseByAnotherResource`.
 */
export const instanceTemplates = withoutUpdates(
  defineCollection({
    collection: 'instanceTemplates',
    kind: 'compute#instanceTemplate',
    prepare,
    quota: (ctx) =>
      ctx.env.quotas.checkProject(ctx.env.world, ctx.project, 'INSTANCE_TEMPLATES', 1),
  }),
);
