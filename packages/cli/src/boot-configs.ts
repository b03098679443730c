import { dirname, join } from 'node:path';
import { loadOrCreatePki } from '@hakoc/certs';
import {
  type ClusterModel,
  HakocError,
  loadOrResolvePins,
  pinsFileFor,
  pkiRequestFor,
  type RenderedCluster,
  renderCluster,
} from '@hakoc/core';
import type { GceBootConfigs } from '@hakoc/provider-gce';
import type { CliIo } from './cli-io.js';
import { resolvePassphrase } from './passphrase.js';

/** The stable code of a render whose manifest lacks a config the provider needs. */
export const BOOT_CONFIG_MISSING_CODE = 'HAKOC_CLI_BOOT_CONFIG_MISSING';

/**
 * Renders the cluster's real boot configs, as `hakoc render` does: the PKI from the encrypted
 * key store in `keyStoreDir` (created, or completed, when the spec needs more than it holds;
 * the passphrase comes from `spec.keyStore.passphrase`), and the download pins from
 * `pins.json` beside it. Byte for byte what `hakoc render` writes for the same key store. Key
 * material stays in memory: nothing here prints or writes a key outside the key store; `note`
 * hears how many keys, certificates or tokens the key store had to issue, if any.
 */
export async function renderBootConfigs(
  model: ClusterModel,
  keyStoreDir: string,
  io: CliIo,
  note: (message: string) => void,
): Promise<RenderedCluster> {
  const passphrase = await resolvePassphrase(model.keyStore.passphrase, io);
  const { pki, changes } = await loadOrCreatePki(keyStoreDir, pkiRequestFor(model), {
    passphrase,
  });
  if (changes.length > 0) {
    note(`key store ${keyStoreDir}: ${changes.length} keys, certificates or tokens issued`);
  }
  const pins = await loadOrResolvePins({ file: pinsFileFor(keyStoreDir), model });
  return renderCluster(model, pki, { pins });
}

/**
 * The GCE provider's boot configs from a rendered cluster: each etcd member's own Ignition
 * config (its certificates) by member name, and one shared config each for the control plane
 * and the workers.
 *
 * @throws HakocError {@link BOOT_CONFIG_MISSING_CODE} when the render lacks one of them.
 */
export function gceBootConfigs(model: ClusterModel, rendered: RenderedCluster): GceBootConfigs {
  const ignitionOf = (role: string, name: string): string => {
    const entry = rendered.manifest.configs.find(
      (config) => config.role === role && config.name === name,
    );
    const text = entry === undefined ? undefined : rendered.files.get(entry.ignition);
    if (text === undefined) {
      throw new HakocError(
        BOOT_CONFIG_MISSING_CODE,
        `No ${role} boot config ${name} was rendered.`,
      );
    }
    return text;
  };
  const { etcd, controlPlane, workers } = model.machineSets;
  return {
    etcd: Object.fromEntries(
      etcd.machines.map((machine) => [machine.name, ignitionOf('etcd', machine.name)]),
    ),
    controlPlane: ignitionOf('control-plane', controlPlane.name),
    workers: ignitionOf('worker', workers.name),
  };
}

/** The Vagrant project folder of a cluster: `vagrant/` beside its key store, as `pins.json` is. */
export function vagrantProjectDirFor(keyStoreDir: string): string {
  return join(dirname(keyStoreDir), 'vagrant');
}
