import type { VagrantRecord } from './machine-readable.js';

/**
 * A machine state as the provider names it. `not_created` is common to all; VirtualBox adds
 * `running`, `poweroff`, `saved`, `aborted`; libvirt `running`, `shutoff`, `paused`; other
 * providers other names, so any string is accepted.
 */
export type VagrantMachineState =
  | 'not_created'
  | 'running'
  | 'poweroff'
  | 'shutoff'
  | 'saved'
  | 'paused'
  | 'aborted'
  | (string & {});

/** One machine of `vagrant status`. */
export interface VagrantMachineStatus {
  /** Machine name. */
  readonly name: string;
  /** The provider's state name. */
  readonly state: VagrantMachineState;
  /** The provider that holds the machine, when Vagrant said. */
  readonly provider: string | undefined;
  /** Vagrant's sentence about the state, when it gave one. */
  readonly description: string | undefined;
}

interface Draft {
  state?: string;
  provider?: string;
  description?: string;
}

/**
 * The machines of a `vagrant status --machine-readable` output, in Vagrant's order. A machine
 * appears once it has a `state` record; `metadata` records alone do not make a machine.
 */
export function machineStatuses(records: readonly VagrantRecord[]): VagrantMachineStatus[] {
  const drafts = new Map<string, Draft>();
  for (const record of records) {
    if (record.target === '') continue;
    const value = record.data[0];
    if (value === undefined) continue;
    const draft = drafts.get(record.target) ?? {};
    drafts.set(record.target, draft);
    if (record.type === 'state') draft.state = value;
    else if (record.type === 'provider-name') draft.provider = value;
    else if (record.type === 'state-human-long') draft.description = value;
  }
  const statuses: VagrantMachineStatus[] = [];
  for (const [name, draft] of drafts) {
    if (draft.state === undefined) continue;
    statuses.push({
      name,
      state: draft.state,
      provider: draft.provider,
      description: draft.description,
    });
  }
  return statuses;
}
