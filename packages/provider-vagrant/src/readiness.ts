import { setTimeout as sleep } from 'node:timers/promises';
import { type OperationContext, ProviderError } from '@hakoc/core';
import { type FailedCall, toProviderError, VAGRANT_PROVIDER_NAME } from './provider-error.js';
import type { VagrantRuntime } from './runtime.js';
import { isVagrantError } from './vagrant-error.js';

/** How the provider waits for what it asks of a machine from inside it. */
export interface VagrantReadiness {
  /**
   * Longest wait for a re-created etcd member to answer healthy or an API server to be ready,
   * and for a leaving etcd member's leave unit to finish. A member joining takes its peers'
   * answer and a copy of the data; a first boot also downloads the Kubernetes extension and
   * images.
   * @default 900_000
   */
  readonly timeoutMs: number;
  /** Time between two probes. @default 5_000 */
  readonly intervalMs: number;
}

/** The waits used when the caller chose none. */
export const DEFAULT_VAGRANT_READINESS: VagrantReadiness = {
  timeoutMs: 15 * 60_000,
  intervalMs: 5_000,
};

/** One condition checked inside a machine by a shell command that exits 0 once it holds. */
export interface GuestCondition {
  /** The machine to run it in. */
  readonly machine: string;
  /** The command (see `GUEST_COMMANDS`). */
  readonly command: string;
  /** What it waits for, for messages: `etcd member demo-etcd-0 is healthy`. */
  readonly what: string;
  /** What the user can do when it never holds. */
  readonly hint: string;
}

/**
 * Runs `condition.command` in the machine (`vagrant ssh -c`) until it exits 0, every
 * `intervalMs`, for at most `timeoutMs`: each probe is bounded too, by what is left of that
 * time. A probe that fails (the service still starting, SSH not up yet) only means "not yet".
 *
 * @throws ProviderError `timeout`, not retryable, with the last probe's answer, when the
 *   condition never held: the engine must not go on to the next machine of a roll.
 */
export async function waitForGuest(
  runtime: VagrantRuntime,
  ctx: OperationContext,
  call: FailedCall,
  condition: GuestCondition,
): Promise<void> {
  const { timeoutMs, intervalMs } = runtime.readiness;
  const started = Date.now();
  let probes = 0;
  let lastAnswer: string | undefined;
  ctx.progress(`waiting until ${condition.what}`);
  for (;;) {
    const left = timeoutMs - (Date.now() - started);
    probes += 1;
    try {
      await runtime.cli.ssh(condition.machine, condition.command, {
        signal: ctx.signal,
        timeoutMs: Math.max(1, Math.min(runtime.timeouts.ssh, left)),
      });
      ctx.progress(`${condition.what} (probe ${probes})`);
      return;
    } catch (error) {
      if (ctx.signal.aborted) throw toProviderError(error, call);
      // A probe cut short by the deadline said nothing: the answer before it tells more.
      const cutShort = isVagrantError(error) && error.failure === 'timeout';
      if (!cutShort || lastAnswer === undefined) lastAnswer = answerOf(error);
    }
    if (Date.now() - started + intervalMs >= timeoutMs) break;
    await sleep(intervalMs, undefined, { signal: ctx.signal }).catch((error: unknown) => {
      throw toProviderError(error, call);
    });
  }
  throw new ProviderError(
    `Gave up waiting until ${condition.what}: not so after ${Math.round((Date.now() - started) / 1000)} s and ${probes} probes. Last answer: ${lastAnswer ?? 'none'}`,
    {
      provider: VAGRANT_PROVIDER_NAME,
      ...call,
      reason: 'timeout',
      retryable: false,
      hint: condition.hint,
    },
  );
}

// What the machine said: the command's error output, or Vagrant's own words.
function answerOf(error: unknown): string {
  if (isVagrantError(error)) return error.errorText.trim() || error.message;
  return error instanceof Error ? error.message : String(error);
}
