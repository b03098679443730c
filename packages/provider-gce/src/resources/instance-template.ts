import type { ResourceType } from '@hakoc/core';
import { canonicalJson, sha256Hex } from '../canonical-json.js';
import type { InstanceProperties, InstanceTemplate } from '../compute-types.js';
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
import { nameOfRef, siteOf } from './site.js';

/** The resource type of (global) instance templates. */
export const INSTANCE_TEMPLATE_TYPE = 'gce.instanceTemplate';

/**
 * The machine label (on control-plane and worker templates, so on their instances) that says
 * which Kubernetes release the machines run, as `1-36-2`: GCE label values take no dots.
 */
export const KUBERNETES_VERSION_LABEL = 'hakoc-kubernetes-version';

/** A Kubernetes version as a label value: `1.36.2` → `1-36-2`. */
export function versionLabelValue(version: string): string {
  return version.replaceAll('.', '-');
}

/**
 * An instance template. Templates are immutable in GCE, so the resource name ends in a hash of
 * the content: different content is a different template (created, the group rolled to it, the
 * old one deleted as an orphan once nothing uses it), never a change of one.
 */
export interface InstanceTemplateSpec {
  /** `etcd`, `controller` or `worker`. */
  readonly role: string;
  /** Machine type name. */
  readonly machineType: string;
  /** Boot disk size in GB. */
  readonly diskSizeGb: number;
  /** Boot image (a family or image path). */
  readonly image: string;
  /**
   * The Kubernetes release the machines run (`X.Y.Z`, from their `hakoc-kubernetes-version`
   * label); `''` for etcd machines, which run etcd only.
   */
  readonly kubernetesVersion: string;
  /** First 8 hex digits of the sha256 of `properties`; the end of the name. */
  readonly contentHash: string;
  /** The whole `InstanceProperties` sent to GCE; secret (it holds the role's boot config). */
  readonly properties: InstanceProperties;
}

/** The content hash of template properties, as used in template names. */
export function templateHash(role: string, properties: InstanceProperties): string {
  return sha256Hex(canonicalJson({ role, properties })).slice(0, 8);
}

function listed(template: InstanceTemplate): Listed<InstanceTemplateSpec> {
  const labels = labelsOfDescription(template.description);
  const properties = template.properties ?? {};
  const boot = properties.disks?.find((d) => d.boot === true) ?? properties.disks?.[0];
  const name = template.name ?? '';
  return {
    id: String(template.id ?? name),
    name,
    labels,
    fields: {
      role: labels?.['hakoc-role'] ?? '',
      machineType: nameOfRef(properties.machineType),
      diskSizeGb: Number(boot?.initializeParams?.diskSizeGb ?? 0),
      image: boot?.initializeParams?.sourceImage ?? '',
      kubernetesVersion: (properties.labels?.[KUBERNETES_VERSION_LABEL] ?? '').replaceAll('-', '.'),
      contentHash: name.slice(name.lastIndexOf('-') + 1),
      properties: {},
    },
  };
}

/** Global instance templates, owned through the description marker (and instance labels). */
export function instanceTemplateType(
  api: GceApi,
): ResourceType<InstanceTemplateSpec, GceState<InstanceTemplateSpec>> {
  return gceResourceType<InstanceTemplateSpec>({
    type: INSTANCE_TEMPLATE_TYPE,
    immutable: ['role', 'machineType', 'diskSizeGb', 'image', 'kubernetesVersion', 'contentHash'],
    replaceReason: 'instance templates are immutable',
    createOnly: ['properties'],
    async list(signal) {
      const [items] = await api.call(siteOf('list', INSTANCE_TEMPLATE_TYPE), signal, (c) =>
        c.instanceTemplates.list({ project: api.project }),
      );
      return items.map(listed);
    },
    async get(signal, name) {
      const found = await getOrUndefined(
        api.call(siteOf('list', INSTANCE_TEMPLATE_TYPE, name), signal, (c) =>
          c.instanceTemplates.get({ project: api.project, instanceTemplate: name }),
        ),
      );
      return found === undefined ? undefined : listed(found[0]);
    },
    async insert(ctx, { name, spec }) {
      await api.mutate(siteOf('create', INSTANCE_TEMPLATE_TYPE, name), ctx.signal, (c) =>
        c.instanceTemplates.insert({
          project: api.project,
          requestId: requestIdFor(ctx, 'insert'),
          instanceTemplateResource: {
            name,
            description: ownedDescription(ctx.owner, `${spec.role} machines`, spec.role),
            properties: spec.properties,
          },
        }),
      );
    },
    async remove(ctx, current) {
      await ignoreNotFound(
        api.mutate(siteOf('delete', INSTANCE_TEMPLATE_TYPE, current.name), ctx.signal, (c) =>
          c.instanceTemplates.delete({
            project: api.project,
            instanceTemplate: current.name,
            requestId: requestIdFor(ctx, 'delete'),
          }),
        ),
      );
    },
  });
}
