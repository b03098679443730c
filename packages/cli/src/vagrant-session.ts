import { type ClusterModel, createOwner } from '@hakoc/core';
import { userDataFromRendered, type VagrantProviderInput, vagrant } from '@hakoc/provider-vagrant';
import { renderBootConfigs, vagrantProjectDirFor } from './boot-configs.js';
import type { CommandContext } from './command-context.js';
import type { EngineRun } from './engine-run.js';
import { type ClusterSession, sessionFor } from './session.js';

/**
 * The environment variable naming the `vagrant` program to run, for a Vagrant installed off
 * the PATH (and for tests, which run a stand-in). @default `vagrant` on the PATH
 */
export const VAGRANT_BINARY_ENV = 'HAKOC_VAGRANT_BINARY';

/**
 * A Vagrant cluster's session. The project (Vagrantfile, `machines.json`, each machine's
 * cloud-config) lives in `vagrant/` beside the key store, where `hakoc apply` writes it and
 * `vagrant ssh NAME` runs. Vagrant runs with the command's environment, so `VAGRANT_HOME`,
 * `LIBVIRT_DEFAULT_URI` and the like apply as they do to `vagrant` itself.
 */
export function openVagrantSession(
  model: ClusterModel,
  keyStoreDir: string,
  ctx: CommandContext,
): ClusterSession {
  const env = Object.fromEntries(
    Object.entries(ctx.io.env).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
  const binary = env[VAGRANT_BINARY_ENV];
  // Warnings come while the engine plans: shown through that run's progress, not across it.
  let note: EngineRun['note'] = (message) => ctx.io.stderr(`${message}\n`);
  const provider = vagrant({
    dir: vagrantProjectDirFor(keyStoreDir),
    env,
    ...(binary === undefined || binary === '' ? {} : { binary }),
    onWarning: (warning) => note(`warning: ${warning.message} (${warning.hint})`),
  });
  return sessionFor({
    model,
    owner: createOwner(model.name),
    provider,
    async input(run): Promise<VagrantProviderInput> {
      note = run.note;
      const rendered = await renderBootConfigs(model, keyStoreDir, ctx.io, run.note);
      return { model, userData: userDataFromRendered(rendered) };
    },
    close: async () => {},
  });
}
