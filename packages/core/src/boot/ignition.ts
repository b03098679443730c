import { HakocError } from '@hakoc/certs';
import type { BootConfig, BootFile, BootUnit } from './boot-config.js';
import { contentBytes, decodeContents, maybeGunzip, maybeGzip } from './file-contents.js';

/** The Ignition spec version hakoc renders: the newest one Flatcar stable and Debian's validator accept. */
export const IGNITION_SPEC_VERSION = '3.3.0';

// The subset of the Ignition 3.3.0 config we write. No maintained npm package types Ignition
// configs, so the shapes are written here from the spec (coreos.github.io/ignition/configuration-v3_3).
interface IgnitionFile {
  path: string;
  mode: number;
  overwrite: boolean;
  user: { name: string };
  group: { name: string };
  contents: { source: string; compression?: 'gzip' };
}

interface IgnitionUnit {
  name: string;
  enabled: boolean;
  contents?: string;
  dropins?: { name: string; contents: string }[];
}

interface IgnitionConfig {
  ignition: { version: string };
  storage: { files: IgnitionFile[] };
  systemd: { units: IgnitionUnit[] };
}

/** Renders a boot config as Ignition 3.3.0 JSON, deterministically. */
export function renderIgnition(config: BootConfig): string {
  const ignition: IgnitionConfig = {
    ignition: { version: IGNITION_SPEC_VERSION },
    storage: { files: config.files.map(ignitionFile) },
    systemd: { units: config.units.map(ignitionUnit) },
  };
  return `${JSON.stringify(ignition)}\n`;
}

function ignitionFile(file: BootFile): IgnitionFile {
  const { bytes, gzipped } = maybeGzip(contentBytes(file.contents));
  return {
    path: file.path,
    mode: file.mode,
    // Ignition 3 refuses to replace an existing file unless told; first boot may find one
    // (for example /etc/hostname), and ours is the intended content.
    overwrite: true,
    user: { name: file.user ?? 'root' },
    group: { name: file.group ?? 'root' },
    contents: {
      source: `data:;base64,${bytes.toString('base64')}`,
      ...(gzipped ? { compression: 'gzip' as const } : {}),
    },
  };
}

function ignitionUnit(unit: BootUnit): IgnitionUnit {
  return {
    name: unit.name,
    enabled: unit.enabled,
    ...(unit.contents === undefined ? {} : { contents: unit.contents }),
    ...(unit.dropins?.length ? { dropins: unit.dropins.map((d) => ({ ...d })) } : {}),
  };
}

/**
 * Reads an Ignition config that {@link renderIgnition} wrote back into a boot config, for
 * inspection and for checking that both renderers carry the same content.
 */
export function parseIgnition(text: string): BootConfig {
  const config = JSON.parse(text) as IgnitionConfig;
  if (config.ignition?.version !== IGNITION_SPEC_VERSION) {
    throw new HakocError('HAKOC_BOOT_IGNITION_VERSION', 'not an Ignition 3.3.0 config');
  }
  const files = (config.storage?.files ?? []).map((file): BootFile => {
    const bytes = decodeDataUrl(file.contents.source);
    return {
      path: file.path,
      mode: file.mode,
      user: file.user.name,
      group: file.group.name,
      contents: decodeContents(maybeGunzip(bytes, file.contents.compression === 'gzip')),
    };
  });
  const units = (config.systemd?.units ?? []).map(
    (unit): BootUnit => ({
      name: unit.name,
      enabled: unit.enabled,
      ...(unit.contents === undefined ? {} : { contents: unit.contents }),
      ...(unit.dropins ? { dropins: unit.dropins } : {}),
    }),
  );
  return { files, units };
}

function decodeDataUrl(source: string): Buffer {
  const match = /^data:[^,]*?(;base64)?,(.*)$/s.exec(source);
  if (!match)
    throw new HakocError('HAKOC_BOOT_SOURCE', `unsupported file source ${source.slice(0, 40)}`);
  const payload = match[2] ?? '';
  return match[1]
    ? Buffer.from(payload, 'base64')
    : Buffer.from(decodeURIComponent(payload), 'utf8');
}
