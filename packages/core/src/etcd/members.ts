import { HakocError } from '@hakoc/certs';
import { callEtcdGateway, type EtcdEndpointOptions } from './gateway.js';

/** One entry of etcd's member list. */
export interface EtcdMember {
  /** The member ID, a 64-bit number in decimal (as the gateway writes it). */
  readonly id: string;
  /** The member ID in hexadecimal, as etcdctl prints it. */
  readonly hexId: string;
  /** The member's name; empty while an added member has not started. */
  readonly name: string;
  /** Its peer URLs. */
  readonly peerUrls: readonly string[];
  /** Its client URLs; empty while it has not started. */
  readonly clientUrls: readonly string[];
  /** Whether it is a learner (not voting). */
  readonly isLearner: boolean;
}

interface GatewayMember {
  readonly ID?: string;
  readonly name?: string;
  readonly peerURLs?: string[];
  readonly clientURLs?: string[];
  readonly isLearner?: boolean;
}

/** The cluster's members, as the member at `endpoint` knows them. */
export async function listEtcdMembers(options: EtcdEndpointOptions): Promise<EtcdMember[]> {
  const answer = await callEtcdGateway<{ members?: GatewayMember[] }>(
    options,
    '/v3/cluster/member/list',
    {},
  );
  return (answer.members ?? []).map((member) => ({
    id: member.ID ?? '0',
    hexId: BigInt(member.ID ?? '0').toString(16),
    name: member.name ?? '',
    peerUrls: member.peerURLs ?? [],
    clientUrls: member.clientURLs ?? [],
    isLearner: member.isLearner === true,
  }));
}

/** Options of {@link removeEtcdMember}. */
export interface RemoveEtcdMemberOptions extends EtcdEndpointOptions {
  /** The name of the member to remove, for example `demo-etcd-4`. */
  readonly name: string;
}

/**
 * Removes the member called `name` through a healthy member at `endpoint`: how an operator drops
 * a member that cannot leave by itself (its machine is gone for good). A member that still runs
 * leaves on scale-down through its own leave unit (`etcd-member-leave.ts`). One member at a time:
 * it refuses while another member is still joining (added, not started), refuses to remove
 * the member it is talking to (ask a member that stays), and relies on etcd's
 * `strict-reconfig-check` (on in every hakoc member) to refuse a removal that would leave too
 * few started members for a quorum. Idempotent: a name no longer listed resolves to undefined.
 *
 * @returns The member removed, or undefined when none had that name.
 * @throws HakocError `HAKOC_ETCD_MEMBER_BUSY`, `HAKOC_ETCD_REFUSED`, `HAKOC_ETCD_UNREACHABLE`
 */
export async function removeEtcdMember(
  options: RemoveEtcdMemberOptions,
): Promise<EtcdMember | undefined> {
  const members = await listEtcdMembers(options);
  const leaving = members.find((member) => member.name === options.name);
  if (leaving === undefined) return undefined;
  const joining = members.find((member) => member.name === '' && member.id !== leaving.id);
  if (joining !== undefined) {
    throw new HakocError(
      'HAKOC_ETCD_MEMBER_BUSY',
      `etcd member ${joining.hexId} (${joining.peerUrls.join(',')}) was added but has not started`,
      { hint: 'change one member at a time: wait until it has joined, then remove the next' },
    );
  }
  if (leaving.clientUrls.some((url) => sameOrigin(url, options.endpoint))) {
    throw new HakocError(
      'HAKOC_ETCD_MEMBER_BUSY',
      `${options.name} is the member at ${options.endpoint}: ask a member that stays to remove it`,
    );
  }
  await callEtcdGateway(options, '/v3/cluster/member/remove', { ID: leaving.id });
  return leaving;
}

function sameOrigin(a: string, b: string): boolean {
  try {
    return new URL(a).origin === new URL(b).origin;
  } catch {
    return false;
  }
}
