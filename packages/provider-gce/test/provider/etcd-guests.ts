import {
  ETCD_LEAVE_METADATA_KEY,
  ETCD_LEAVE_REFUSED_GUEST_ATTRIBUTE,
  ETCD_LEFT_GUEST_ATTRIBUTE,
} from '@hakoc/core';
import type { GceEmulator } from '../../src/emulator/index.js';

/** What the emulated etcd VMs do when asked to leave: leave at once, refuse, or never answer. */
export type EtcdGuestBehaviour = 'leave' | 'refuse' | 'silent';

/** The reason an emulated member gives when it refuses. */
export const REFUSAL =
  'only 1 of the members that would stay are healthy, 2 needed for their quorum';

/** The software on the emulator's etcd VMs, played by a test. */
export interface EtcdGuests {
  /** What they do from now on. */
  behaviour: EtcdGuestBehaviour;
  /** Instance names asked to leave, in the order they were asked. */
  readonly asked: string[];
}

/**
 * Plays the `etcd-member-leave-watch` unit of every etcd VM on the emulator: when an
 * instance's metadata gets `hakoc-etcd-leave`, a member that leaves writes the guest attribute
 * `hakoc/etcd-left` with the request, as the real unit does once etcd removed it.
 */
export function playEtcdGuests(emulator: GceEmulator): EtcdGuests {
  const guests: EtcdGuests = { behaviour: 'leave', asked: [] };
  emulator.onInstanceMetadata(({ path, items }) => {
    const request = items[ETCD_LEAVE_METADATA_KEY];
    if (request === undefined) return;
    guests.asked.push(path.split('/').pop() ?? path);
    if (guests.behaviour === 'leave') {
      emulator.writeGuestAttribute(path, ETCD_LEFT_GUEST_ATTRIBUTE, request);
    } else if (guests.behaviour === 'refuse') {
      emulator.writeGuestAttribute(
        path,
        ETCD_LEAVE_REFUSED_GUEST_ATTRIBUTE,
        `${request}: ${REFUSAL}`,
      );
    }
  });
  return guests;
}
