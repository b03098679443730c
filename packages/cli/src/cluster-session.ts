import { resolve } from 'node:path';
import { buildClusterModel, HakocError } from '@hakoc/core';
import type { CommandContext } from './command-context.js';
import { openGceSession } from './gce-session.js';
import { loadSpecForCommand } from './load-spec.js';
import type { ClusterSession, SessionRequest } from './session.js';
import { openVagrantSession } from './vagrant-session.js';

export type { ClusterSession, SessionRequest } from './session.js';

/** The stable code of `--emulator` on a cluster that does not run on GCE. */
export const EMULATOR_GCE_ONLY_CODE = 'HAKOC_CLI_EMULATOR_GCE_ONLY';

/**
 * Reads the spec and opens its cluster on the provider the spec names: GCE (optionally an
 * in-process emulator) or Vagrant. Nothing is read from the cloud and no key is loaded yet:
 * that happens on the session's first plan. Resolves to undefined (exit code recorded) when
 * the spec is invalid.
 *
 * The key store is `--dir`, else `spec.keyStore.dir`, relative to the working directory as
 * `hakoc certs` and `hakoc render` take it, so all of them share one store.
 *
 * @throws HakocError {@link EMULATOR_GCE_ONLY_CODE} for `--emulator` on a Vagrant cluster.
 */
export async function openClusterSession(
  specPath: string,
  request: SessionRequest,
  ctx: CommandContext,
): Promise<ClusterSession | undefined> {
  const spec = await loadSpecForCommand(specPath, ctx);
  if (spec === undefined) return undefined;
  const model = buildClusterModel(spec);
  const keyStoreDir = resolve(ctx.io.cwd, request.dir ?? model.keyStore.dir);
  const settings = model.provider;
  if (settings.name === 'gce') return openGceSession(model, settings, keyStoreDir, request, ctx);
  if (request.emulator === true || request.emulatorState !== undefined) {
    throw new HakocError(
      EMULATOR_GCE_ONLY_CODE,
      `--emulator stands in for Google Compute Engine; cluster ${model.name} runs on Vagrant.`,
      { hint: 'Drop --emulator and --emulator-state: hakoc drives the local vagrant instead.' },
    );
  }
  return openVagrantSession(model, keyStoreDir, ctx);
}
