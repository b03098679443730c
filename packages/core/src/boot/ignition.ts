import { HakocError } from '@hakoc/certs';
import type { BootConfig, BootFile, BootRemoteFile, BootUnit } from './boot-config.js';
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
  contents: { source: string; compression?: 'gzip'; verification?: { hash: string } };
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
    storage: {
      files: [...config.files.map(ignitionFile), ...(config.remoteFiles ?? []).map(remoteFile)],
    },
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

// Ignition downloads the file in the initramfs and refuses it (failing the boot) when the
// SHA-256 differs, so nothing unverified ever reaches the root file system.
function remoteFile(file: BootRemoteFile): IgnitionFile {
  return {
    path: file.path,
    mode: file.mode,
    overwrite: true,
    user: { name: 'root' },
    group: { name: 'root' },
    contents: { source: file.url, verification: { hash: `sha256-${file.sha256}` } },
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
  const all = config.storage?.files ?? [];
  const remoteFiles = all
    .filter((file) => !file.contents.source.startsWith('data:'))
    .map(
      (file): BootRemoteFile => ({
        path: file.path,
        url: file.contents.source,
        sha256: (file.contents.verification?.hash ?? '').replace(/^sha256-/, ''),
        mode: file.mode,
      }),
    );
  const files = all
    .filter((file) => file.contents.source.startsWith('data:'))
    .map((file): BootFile => {
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
  return { files, units, ...(remoteFiles.length > 0 ? { remoteFiles } : {}) };
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
