import { ETCD_LEAVE_UNIT, type OperationContext, ProviderError } from '@hakoc/core';
import { GUEST_COMMANDS } from './guest-commands.js';
import { toProviderError, VAGRANT_PROVIDER_NAME } from './provider-error.js';
import type { VagrantRuntime } from './runtime.js';

/** The machine whose members leave, as the machine resource lists it. */
export interface LeavingMachine {
  /** Machine name. */
  readonly name: string;
  /** Vagrant's state name: the leave runs inside the VM, so it must be `running`. */
  readonly vmState: string;
}

/**
 * Takes the etcd members a machine runs out of the cluster from inside it, before its VM is
 * destroyed: starts the member's leave unit through `vagrant ssh` and waits for it, bounded by
 * the readiness time. The unit has a healthy peer remove the member (refusing when that would
 * cost the quorum or another member is still joining) and stops etcd, so the cluster never
 * counts a destroyed VM among its members.
 *
 * @throws ProviderError when the VM is not running (nothing can run in it) or the unit fails;
 *   not retryable: a person should look at the cluster before a member goes.
 */
export async function leaveEtcdCluster(
  runtime: VagrantRuntime,
  ctx: OperationContext,
  resource: string,
  machine: LeavingMachine,
  members: readonly string[],
): Promise<void> {
  const call = { operation: 'delete' as const, resource };
  const who = `etcd member${members.length === 1 ? '' : 's'} ${members.join(', ')}`;
  if (machine.vmState !== 'running') {
    throw new ProviderError(
      `${who} cannot leave the etcd cluster: ${machine.name} is ${machine.vmState}, and the leave runs inside it`,
      {
        provider: VAGRANT_PROVIDER_NAME,
        ...call,
        reason: 'not-ready',
        retryable: false,
        hint: `Start it (\`vagrant up ${machine.name} --no-provision\` in ${runtime.store.dir}) and apply again: the member leaves, then the VM goes.`,
      },
    );
  }
  ctx.progress(`${who} leaving the etcd cluster (${ETCD_LEAVE_UNIT} on ${machine.name})`);
  try {
    await runtime.cli.ssh(machine.name, GUEST_COMMANDS.etcdMemberLeave, {
      signal: ctx.signal,
      timeoutMs: runtime.readiness.timeoutMs,
    });
  } catch (error) {
    const failure = toProviderError(error, call);
    throw new ProviderError(`${who} did not leave the etcd cluster: ${failure.message}`, {
      provider: VAGRANT_PROVIDER_NAME,
      ...call,
      reason: failure.reason,
      retryable: false,
      hint: `See why with \`vagrant ssh ${machine.name} -c 'journalctl -u ${ETCD_LEAVE_UNIT}'\` in ${runtime.store.dir}; the VM stays until its member has left.`,
      cause: error,
    });
  }
  ctx.progress(`${who} left the etcd cluster`);
}
