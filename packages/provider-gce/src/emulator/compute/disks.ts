import { regionOfZone } from '../catalog.js';
import { defineCollection } from '../collection.js';
import { inUse } from '../errors.js';
import { arrayField, numberField, stringField } from '../json.js';
import { selfLinkOf } from '../paths.js';
import { diskQuotaMetric } from '../quotas.js';

/** Zonal persistent disks. A disk attached to an instance cannot be deleted. */
export const disks = defineCollection({
  collection: 'disks',
  kind: 'compute#disk',
  labels: true,
  prepare(ctx, disk) {
    disk.sizeGb = String(numberField(disk, 'sizeGb') ?? 10);
    disk.status = 'READY';
    disk.users = [];
    const zone = ctx.scope.kind === 'zone' ? ctx.scope.name : '';
    disk.type = selfLinkOf(
      `projects/${ctx.project}/zones/${zone}/diskTypes/${(stringField(disk, 'type') ?? 'pd-standard').split('/').pop()}`,
    );
    disk.physicalBlockSizeBytes = '4096';
  },
  quota: (ctx, disk) =>
    ctx.scope.kind === 'zone'
      ? ctx.env.quotas.checkRegion(
          ctx.env.world,
          ctx.project,
          regionOfZone(ctx.scope.name) ?? '',
          diskQuotaMetric(stringField(disk, 'type')),
          numberField(disk, 'sizeGb') ?? 10,
        )
      : undefined,
  onDelete(_ctx, path, disk) {
    const users = arrayField(disk, 'users');
    if (users.length > 0) throw inUse(path, String(users[0]));
    return { effects: [{ kind: 'delete', path }] };
  },
});
