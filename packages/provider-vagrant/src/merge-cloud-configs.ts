import {
  type BootConfig,
  type BootConfigPart,
  composeBootConfig,
  HakocError,
  parseCloudConfig,
  renderCloudConfig,
} from '@hakoc/core';

/** The code of the error {@link mergeCloudConfigs} throws when two configs disagree. */
export const CLOUD_CONFIG_CONFLICT_CODE = 'HAKOC_VAGRANT_CLOUD_CONFIG_CONFLICT';

/** One cloud-config to merge, named for error messages (the machine it was rendered for). */
export interface NamedCloudConfig {
  /** Whose config it is, for example `demo-etcd-0`. */
  readonly name: string;
  /** The `#cloud-config` text. */
  readonly cloudConfig: string;
}

/**
 * Joins the cloud-configs of the roles one VM plays (a controller that hosts an etcd member)
 * into one, so the VM is provisioned by one `coreos-cloudinit` run. Files and units both
 * configs carry byte for byte (the shared base modules) are kept once; a path or unit they
 * carry differently is an error, because applying one after the other would silently keep
 * whichever ran last. A single config is returned unchanged.
 *
 * @throws HakocError `HAKOC_VAGRANT_CLOUD_CONFIG_CONFLICT` naming both configs and the path
 */
export function mergeCloudConfigs(configs: readonly NamedCloudConfig[]): string {
  const [only, ...more] = configs;
  if (only === undefined)
    throw new HakocError(CLOUD_CONFIG_CONFLICT_CODE, 'No cloud-config to merge');
  if (more.length === 0) return only.cloudConfig;
  const seen = new Map<string, { owner: string; canonical: string }>();
  const parts = configs.map(({ name, cloudConfig }) => ({
    module: name,
    part: withoutRepeats(name, parseCloudConfig(cloudConfig), seen),
  }));
  return renderCloudConfig(composeBootConfig(parts));
}

// Drops what an earlier config already carries identically; throws on a differing copy.
function withoutRepeats(
  name: string,
  config: BootConfig,
  seen: Map<string, { owner: string; canonical: string }>,
): BootConfigPart {
  const fresh = (kind: string, key: string, item: object): boolean => {
    const canonical = canonicalJson(item);
    const earlier = seen.get(`${kind}:${key}`);
    if (earlier === undefined) {
      seen.set(`${kind}:${key}`, { owner: name, canonical });
      return true;
    }
    if (earlier.canonical === canonical) return false;
    throw new HakocError(
      CLOUD_CONFIG_CONFLICT_CODE,
      `The boot configurations of ${earlier.owner} and ${name} both write the ${kind} ${key}, differently`,
      {
        hint: 'Co-locate etcd only with boot configurations that agree on shared files, or use dedicated etcd VMs.',
      },
    );
  };
  return {
    files: config.files.filter((file) => fresh('file', file.path, file)),
    units: config.units.filter((unit) => fresh('unit', unit.name, unit)),
    ...(config.remoteFiles === undefined
      ? {}
      : { remoteFiles: config.remoteFiles.filter((file) => fresh('file', file.path, file)) }),
  };
}

// Contents compare as bytes, so a text file and the same bytes as a buffer count as equal.
// Normalised before stringifying: a Buffer's toJSON would run before any replacer saw it.
function canonicalJson(value: unknown): string {
  if (value !== null && typeof value === 'object' && 'contents' in value) {
    const { contents } = value;
    if (typeof contents === 'string' || contents instanceof Uint8Array) {
      return JSON.stringify({ ...value, contents: Buffer.from(contents).toString('base64') });
    }
  }
  return JSON.stringify(value);
}
