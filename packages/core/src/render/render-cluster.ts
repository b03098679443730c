import { type ClusterPki, HakocError, storeLayout } from '@hakoc/certs';
import {
  assertFitsChannel,
  GCE_METADATA_VALUE_LIMIT_BYTES,
  renderCloudConfig,
  renderIgnition,
} from '../boot/index.js';
import type { ClusterModel } from '../model/index.js';
import { clusterBootConfigs, type RenderedRole } from './cluster-configs.js';
import { componentImagesFor } from './image-pins.js';
import { kubernetesBinariesFor, type PinsFile } from './pins.js';

/** One entry of `manifest.json`. */
export interface RenderedConfig {
  /** The config's name (an etcd member or a machine set). */
  readonly name: string;
  /** What the machines booting it do. */
  readonly role: RenderedRole;
  /** Path of the Ignition 3.3.0 config, relative to the output folder. */
  readonly ignition: string;
  /** Path of the cloud-config, relative to the output folder (Vagrant only). */
  readonly cloudConfig?: string;
  /** Machines that boot with it, where the model names them. */
  readonly machines?: readonly string[];
}

/** `manifest.json`: what `hakoc render` wrote and which machine boots with what. */
export interface RenderManifest {
  /** The cluster name. */
  readonly cluster: string;
  /** The provider the configs are for. */
  readonly provider: 'gce' | 'vagrant';
  /** Every config, etcd members first. */
  readonly configs: readonly RenderedConfig[];
}

/** Everything that goes on machines, as file contents keyed by relative path. */
export interface RenderedCluster {
  /** The manifest, also in `files` as `manifest.json`. */
  readonly manifest: RenderManifest;
  /** Relative path → contents, in a stable order. */
  readonly files: ReadonlyMap<string, string>;
}

/** What {@link renderCluster} needs besides the model and PKI. */
export interface RenderOptions {
  /**
   * Download and image pins (see `loadOrResolvePins`). Image digests hakoc ships need no entry;
   * the sysext's needs none when a pre-built image has the binaries.
   */
  readonly pins: PinsFile;
}

/**
 * Renders every boot config of a cluster (Ignition for all; cloud-config too on Vagrant, where
 * Flatcar stable boots from it), `manifest.json`, and `pki/` with the certificates only, in
 * kubeadm's layout. Every container image is referenced by digest. Pure: the same model, PKI
 * and pins give byte-identical output.
 *
 * @throws HakocError `HAKOC_PINS_MISSING` when binaries must be downloaded, or an image pulled,
 *   without a pin; `HAKOC_PINS_CONFLICT` when the pins contradict a digest hakoc ships;
 *   `HAKOC_BOOT_TOO_LARGE` when a GCE config exceeds one metadata value.
 */
export function renderCluster(
  model: ClusterModel,
  pki: ClusterPki,
  options: RenderOptions,
): RenderedCluster {
  const artifacts = {
    pki,
    binaries: kubernetesBinariesFor(model, options.pins),
    images: componentImagesFor(model, options.pins.images ?? {}),
  };
  const vagrant = model.provider.name === 'vagrant';
  const files = new Map<string, string>();
  const configs: RenderedConfig[] = [];
  for (const { name, role, machines, config } of clusterBootConfigs(model, artifacts)) {
    const ignitionPath = `configs/${name}.ign`;
    const ignition = renderIgnition(config);
    // GCE passes the config as the `user-data` metadata value; Vagrant writes files.
    if (!vagrant) assertFitsChannel(ignition, GCE_METADATA_VALUE_LIMIT_BYTES, `the ${name} config`);
    files.set(ignitionPath, ignition);
    const cloudConfigPath = `configs/${name}.cloud-config`;
    if (vagrant) files.set(cloudConfigPath, renderCloudConfig(config));
    configs.push({
      name,
      role,
      ignition: ignitionPath,
      ...(vagrant ? { cloudConfig: cloudConfigPath } : {}),
      ...(machines.length > 0 ? { machines } : {}),
    });
  }
  for (const certificate of pki.certificates) {
    if (certificate.certificate.includes('PRIVATE KEY')) {
      throw new HakocError('HAKOC_RENDER_KEY_IN_CERTIFICATE', `${certificate.id} holds a key`);
    }
    files.set(`pki/${storeLayout.certificate(certificate.id)}`, certificate.certificate);
  }
  const manifest: RenderManifest = { cluster: model.name, provider: model.provider.name, configs };
  files.set('manifest.json', `${JSON.stringify(manifest, null, 2)}\n`);
  return { manifest, files };
}
