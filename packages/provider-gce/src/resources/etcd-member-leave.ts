import { setTimeout as sleep } from 'node:timers/promises';
import {
  ETCD_LEAVE_METADATA_KEY,
  ETCD_LEAVE_REFUSED_GUEST_ATTRIBUTE,
  ETCD_LEFT_GUEST_ATTRIBUTE,
  type OperationContext,
} from '@hakoc/core';
import type { GceApi } from '../gce-api.js';
import { gceFailure } from '../gce-errors.js';
import { getOrUndefined } from '../gce-resource-type.js';
import { requestIdFor } from '../request-id.js';
import { siteOf } from './site.js';

/** How long a member may take to leave its cluster by default: its script tries for ~1 min. */
export const DEFAULT_ETCD_LEAVE_TIMEOUT_MS = 600_000;

/** How often the provider looks for the member's answer by default. */
export const DEFAULT_ETCD_LEAVE_POLL_MS = 2_000;

/** How long the provider waits for an etcd member to leave, and how often it looks. */
export interface EtcdLeaveSettings {
  /** Longest wait for the member's answer, in milliseconds. */
  readonly timeoutMs: number;
  /** Time between two reads of the member's guest attributes, in milliseconds. */
  readonly pollMs: number;
}

/** The member asked to leave: its instance (named as the member) and zone. */
export interface LeavingMember {
  readonly type: string;
  readonly name: string;
  readonly zone: string;
}

// The metadata item that lets the VM write guest attributes, set with the request.
const ENABLE_GUEST_ATTRIBUTES = 'enable-guest-attributes';

const namespaceOf = (attribute: string) => attribute.slice(0, attribute.indexOf('/') + 1);

/**
 * Asks an etcd member to leave its cluster and waits until it has: the member's
 * `etcd-member-leave-watch` unit sees the instance metadata key `hakoc-etcd-leave` (set here,
 * with guest attributes enabled), removes itself through a healthy peer without costing the
 * cluster its quorum, stops etcd, and answers with the guest attribute `hakoc/etcd-left`, or
 * `hakoc/etcd-leave-refused` and why. A member that reports having left before (a retried
 * step) is not asked again. Nothing outside the VPC reaches etcd, so this is the provider's
 * only way to take a member away without costing the cluster a vote it would still count.
 *
 * @throws ProviderError (`conflict`) when the member refused; (`timeout`) when it did not answer
 *   in time. Neither is retried: the group is then left in place, its member still counted.
 */
export async function leaveEtcdCluster(
  api: GceApi,
  ctx: OperationContext,
  member: LeavingMember,
  settings: EtcdLeaveSettings,
): Promise<void> {
  const site = siteOf('delete', member.type, member.name);
  const where = { project: api.project, zone: member.zone, instance: member.name };
  // The same on every retry of this step: a member that answered it is not asked twice.
  const request = requestIdFor(ctx, 'leave');
  const deadline = Date.now() + settings.timeoutMs;
  let asked = false;
  for (;;) {
    const found = await getOrUndefined(
      api.call(site, ctx.signal, (c) => c.instances.get(where, { retry: null })),
    );
    const instance = found?.[0];
    if (instance?.status === 'RUNNING') {
      const items = instance.metadata?.items ?? [];
      // GCE refuses to read guest attributes of a VM that may not write any.
      const enabled =
        items.find((item) => item.key === ENABLE_GUEST_ATTRIBUTES)?.value?.toUpperCase() === 'TRUE';
      const answers = enabled ? await guestAttributes(api, ctx, site, where) : new Map();
      if (answers.has(ETCD_LEFT_GUEST_ATTRIBUTE)) {
        ctx.progress(`${member.name} left the etcd cluster`);
        return;
      }
      const refused = answers.get(ETCD_LEAVE_REFUSED_GUEST_ATTRIBUTE);
      if (refused?.startsWith(`${request}: `)) {
        throw gceFailure(
          `etcd member ${member.name} refused to leave the cluster: ${refused.slice(request.length + 2)}.`,
          site,
          'conflict',
          'its group is kept: bring the cluster back to health (hakoc status, etcdctl-member … endpoint health on a member) and apply again',
        );
      }
      const current = items.find((item) => item.key === ETCD_LEAVE_METADATA_KEY)?.value;
      if (current !== request) {
        const kept = items.filter(
          (item) => item.key !== ETCD_LEAVE_METADATA_KEY && item.key !== ENABLE_GUEST_ATTRIBUTES,
        );
        await api.mutate(site, ctx.signal, (c) =>
          c.instances.setMetadata({
            ...where,
            requestId: requestIdFor(ctx, `setMetadata ${instance.metadata?.fingerprint ?? ''}`),
            metadataResource: {
              fingerprint: instance.metadata?.fingerprint ?? null,
              items: [
                ...kept,
                { key: ENABLE_GUEST_ATTRIBUTES, value: 'TRUE' },
                { key: ETCD_LEAVE_METADATA_KEY, value: request },
              ],
            },
          }),
        );
        if (!asked) ctx.progress(`asked ${member.name} to leave the etcd cluster`);
        asked = true;
      }
    } else {
      ctx.progress(`waiting for ${member.name} to run, so it can leave the etcd cluster`);
    }
    if (Date.now() >= deadline) {
      throw gceFailure(
        `etcd member ${member.name} did not report leaving the cluster within ${settings.timeoutMs} ms${instance?.status === 'RUNNING' ? '' : ` (its instance is ${instance?.status ?? 'missing'})`}.`,
        site,
        'timeout',
        `its group is kept. On the member, journalctl -u etcd-member-leave-watch says why. A member that cannot run any more: remove it with hakoc etcd remove-member (or etcdctl-member on a member that stays), delete its group with gcloud compute instance-groups managed delete ${member.name} --region ${api.region}, then apply again`,
      );
    }
    await sleep(Math.min(settings.pollMs, deadline - Date.now()), undefined, {
      signal: ctx.signal,
    });
  }
}

/** The member's guest attributes in hakoc's namespace, by `namespace/key`; none is empty. */
async function guestAttributes(
  api: GceApi,
  ctx: OperationContext,
  site: ReturnType<typeof siteOf>,
  where: { project: string; zone: string; instance: string },
): Promise<Map<string, string>> {
  const found = await getOrUndefined(
    api.call(site, ctx.signal, (c) =>
      c.instances.getGuestAttributes(
        { ...where, queryPath: namespaceOf(ETCD_LEFT_GUEST_ATTRIBUTE) },
        { retry: null },
      ),
    ),
  );
  const answers = new Map<string, string>();
  for (const item of found?.[0].queryValue?.items ?? []) {
    answers.set(`${item.namespace ?? ''}/${item.key ?? ''}`, item.value ?? '');
  }
  return answers;
}
