import type { ResourceType } from '@hakoc/core';
import type { Disk } from '../compute-types.js';
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
import { nameOfRef, siteOf } from './site.js';

/** The resource type of standalone persistent disks (etcd members' data). */
export const DISK_TYPE = 'gce.disk';

/**
 * The label that tells a standalone disk of ours from the boot disks GCE makes for machines
 * (which carry the ownership labels too, copied from their template, but no purpose).
 */
export const DISK_PURPOSE_LABEL = 'hakoc-purpose';

/**
 * A zonal persistent disk that lives apart from any machine: an etcd member's data. It is made
 * before its member and attached through the member's per-instance config, so it outlives every
 * re-creation of the member, is listed (and so deleted, or adopted) even when its member's group
 * is gone, and shows in a plan like every other object.
 */
export interface DiskSpec {
  /** The zone (its member's). */
  readonly zone: string;
  /** Size in GB. */
  readonly sizeGb: number;
  /** Disk type name, `pd-ssd`. */
  readonly diskType: string;
  /** Why the disk exists, `etcd-data`: the value of its {@link DISK_PURPOSE_LABEL} label. */
  readonly purpose: string;
  /** The role label of the machine it belongs to, `etcd`. */
  readonly role: string;
}

function listed(disk: Disk): Listed<DiskSpec> {
  const labels = disk.labels ?? undefined;
  return {
    id: String(disk.id ?? disk.name ?? ''),
    name: disk.name ?? '',
    labels,
    fields: {
      zone: nameOfRef(disk.zone),
      sizeGb: Number(disk.sizeGb ?? 0),
      diskType: nameOfRef(disk.type),
      purpose: labels?.[DISK_PURPOSE_LABEL] ?? '',
      role: labels?.['hakoc-role'] ?? '',
    },
  };
}

/** The zonal URL path of disk `name`. */
export function diskRef(project: string, zone: string, name: string): string {
  return `projects/${project}/zones/${zone}/disks/${name}`;
}

/**
 * Standalone zonal disks, labelled. Nothing about one changes in place: its zone, type and size
 * are fixed here (a new one is a new, empty disk).
 */
export function diskType(api: GceApi): ResourceType<DiskSpec, GceState<DiskSpec>> {
  const project = api.project;
  return gceResourceType<DiskSpec>({
    type: DISK_TYPE,
    immutable: ['zone', 'sizeGb', 'diskType', 'purpose', 'role'],
    replaceReason: 'a disk cannot move zones or change its type here: a new one starts empty',
    async list(signal, owner) {
      const found: Disk[] = [];
      await api.call(siteOf('list', DISK_TYPE), signal, async (c) => {
        // One call over every zone; google-gax warns unless auto-pagination is off.
        const pages = c.disks.aggregatedListAsync(
          { project, filter: `${labelFilter(owner)} AND labels.${DISK_PURPOSE_LABEL}:*` },
          { autoPaginate: false },
        );
        for await (const [, scoped] of pages) found.push(...(scoped.disks ?? []));
      });
      return found.map(listed);
    },
    async get(signal, name, spec) {
      const found = await getOrUndefined(
        api.call(siteOf('list', DISK_TYPE, name), signal, (c) =>
          c.disks.get({ project, zone: spec.zone, disk: name }),
        ),
      );
      return found === undefined ? undefined : listed(found[0]);
    },
    async insert(ctx, { name, spec }) {
      await api.mutate(siteOf('create', DISK_TYPE, name), ctx.signal, (c) =>
        c.disks.insert({
          project,
          zone: spec.zone,
          requestId: requestIdFor(ctx, 'insert'),
          diskResource: {
            name,
            sizeGb: String(spec.sizeGb),
            type: `projects/${project}/zones/${spec.zone}/diskTypes/${spec.diskType}`,
            labels: {
              ...ctx.owner.labels,
              'hakoc-role': spec.role,
              [DISK_PURPOSE_LABEL]: spec.purpose,
            },
            description: `${spec.purpose} of a hakoc cluster`,
          },
        }),
      );
    },
    async remove(ctx, current) {
      await ignoreNotFound(
        api.mutate(siteOf('delete', DISK_TYPE, current.name), ctx.signal, (c) =>
          c.disks.delete({
            project,
            zone: current.fields.zone,
            disk: current.name,
            requestId: requestIdFor(ctx, 'delete'),
          }),
        ),
      );
    },
  });
}
