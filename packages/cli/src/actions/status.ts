import { readLock } from '@hakoc/core';
import type { GceProvider } from '@hakoc/provider-gce';
import { openClusterSession } from '../cluster-session.js';
import type { CommandContext } from '../command-context.js';
import type { StatusOptions } from '../commands/status.js';
import { runWithProgress } from '../engine-run.js';
import { ExitCode } from '../exit-codes.js';
import { LIST_TIMEOUT_MS, listOwned } from '../inventory.js';
import type { ClusterProvider } from '../session.js';
import { writeSessionNote } from '../session-notes.js';
import { formatStatus } from '../status/format-status.js';
import { gceRoles } from '../status/gce-roles.js';
import { resourceStatusOf } from '../status/resource-status.js';
import { statusReport } from '../status/status-report.js';
import { vagrantRoles } from '../status/vagrant-roles.js';

/**
 * What `hakoc status SPEC` does: plans (changing nothing) to sort each object into present,
 * changed, missing and extra; lists what exists for the provider's view of each role (on GCE
 * also the groups' machines and the load balancer's backend health); reads the lock. Exit
 * status 1 unless everything is as the spec says.
 */
export async function statusAction(
  ctx: CommandContext,
  specPath: string,
  options: StatusOptions,
): Promise<void> {
  const json = options.json === true;
  const session = await openClusterSession(specPath, options, ctx);
  if (session === undefined) return;
  try {
    const planned = await runWithProgress(ctx, json, (run) => session.plan(run));
    if (planned === undefined) return;
    const { provider, owner, model } = session;
    const signal = AbortSignal.timeout(LIST_TIMEOUT_MS);
    const [actual, lock, groups, backends] = await Promise.all([
      listOwned(provider, owner, signal),
      readLock(owner, provider),
      isGceProvider(provider) ? provider.machines(signal) : [],
      isGceProvider(provider)
        ? // Health is one part of the report: a refused or failed read leaves it out, said so.
          provider.backendHealth(signal).catch((error: unknown) => {
            const reason = error instanceof Error ? error.message : String(error);
            writeSessionNote(ctx, json, `backend health not read: ${reason}`, {
              type: 'cli.backend-health-unread',
              reason,
            });
            return [];
          })
        : [],
    ]);
    const resources = resourceStatusOf(planned);
    const outputs = provider.outputs?.(actual);
    const roles =
      outputs === undefined
        ? []
        : 'apiUrl' in outputs
          ? gceRoles(model, outputs, actual, resources, groups, backends)
          : vagrantRoles(model, outputs);
    const report = statusReport({
      cluster: owner.cluster,
      provider: provider.name,
      resources,
      roles,
      lock,
    });
    ctx.io.stdout(
      json ? `${JSON.stringify(report, null, 2)}\n` : formatStatus(report, ctx.palette),
    );
    if (!report.healthy) ctx.exitWith(ExitCode.Failure);
  } finally {
    await session.close();
  }
}

// The session shows every provider through what they share; GCE's groups are read beyond it.
function isGceProvider(provider: ClusterProvider): provider is ClusterProvider & GceProvider {
  return provider.name === 'gce' && 'machines' in provider;
}
