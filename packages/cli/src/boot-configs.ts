import { dirname, join } from 'node:path';
import { loadOrCreatePki } from '@hakoc/certs';
import {
  type ClusterModel,
  loadOrResolvePins,
  pinsFileFor,
  pkiRequestFor,
  type RenderedCluster,
  renderCluster,
} from '@hakoc/core';
import type { CliIo } from './cli-io.js';
import { resolvePassphrase } from './passphrase.js';

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

/** The Vagrant project folder of a cluster: `vagrant/` beside its key store, as `pins.json` is. */
export function vagrantProjectDirFor(keyStoreDir: string): string {
  return join(dirname(keyStoreDir), 'vagrant');
}
