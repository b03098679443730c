import { HakocError } from '@hakoc/certs';
import { parse, stringify } from 'yaml';
import type { BootConfig, BootFile, BootUnit } from './boot-config.js';
import { contentBytes, decodeContents, maybeGunzip, maybeGzip } from './file-contents.js';
import { remoteFileOfUnit, remoteFileUnit } from './remote-file-unit.js';

// The cloud-config that Flatcar's coreos-cloudinit runs (the Vagrant path on stable, where
// Ignition cannot be passed in). `write_files` and `coreos.units` are its documented keys;
// `base64` and `gzip+base64` are encodings both coreos-cloudinit and cloud-init accept.
interface CloudConfigFile {
  path: string;
  permissions: string;
  owner: string;
  encoding?: 'base64' | 'gzip+base64';
  content: string;
}

interface CloudConfigUnit {
  name: string;
  enable?: boolean;
  command?: 'start';
  content?: string;
  drop_ins?: { name: string; content: string }[];
}

interface CloudConfig {
  write_files?: CloudConfigFile[];
  coreos?: { units?: CloudConfigUnit[] };
}

/** Renders a boot config as `#cloud-config` YAML, deterministically; small text stays readable. */
export function renderCloudConfig(config: BootConfig): string {
  const fetchUnits = (config.remoteFiles ?? []).map(remoteFileUnit);
  for (const unit of fetchUnits) {
    if (config.units.some((other) => other.name === unit.name)) {
      throw new HakocError(
        'HAKOC_BOOT_CONFLICT',
        `the fetch unit of a remote file and a module both write the unit ${unit.name}`,
        { hint: 'rename the module unit: hakoc-fetch-* units are reserved for remote files' },
      );
    }
  }
  const document: CloudConfig = {
    write_files: config.files.map(cloudConfigFile),
    coreos: { units: [...config.units, ...fetchUnits].map(cloudConfigUnit) },
  };
  return `#cloud-config\n${stringify(document, { lineWidth: 0 })}`;
}

function cloudConfigFile(file: BootFile): CloudConfigFile {
  const raw = contentBytes(file.contents);
  const { bytes, gzipped } = maybeGzip(raw);
  const base = {
    path: file.path,
    permissions: `0${file.mode.toString(8)}`,
    owner: `${file.user ?? 'root'}:${file.group ?? 'root'}`,
  };
  if (gzipped) return { ...base, encoding: 'gzip+base64', content: bytes.toString('base64') };
  if (typeof file.contents === 'string') return { ...base, content: file.contents };
  return { ...base, encoding: 'base64', content: raw.toString('base64') };
}

function cloudConfigUnit(unit: BootUnit): CloudConfigUnit {
  return {
    name: unit.name,
    // coreos-cloudinit runs after boot has begun: enabling alone would wait for the next boot.
    ...(unit.enabled ? { enable: true, command: 'start' as const } : {}),
    ...(unit.contents === undefined ? {} : { content: unit.contents }),
    ...(unit.dropins?.length
      ? { drop_ins: unit.dropins.map((d) => ({ name: d.name, content: d.contents })) }
      : {}),
  };
}

/** Reads a cloud-config that {@link renderCloudConfig} wrote back into a boot config. */
export function parseCloudConfig(text: string): BootConfig {
  if (!text.startsWith('#cloud-config\n')) {
    throw new HakocError('HAKOC_BOOT_CLOUD_CONFIG', 'not a cloud-config (no #cloud-config line)');
  }
  const document = (parse(text) ?? {}) as CloudConfig;
  const files = (document.write_files ?? []).map((file): BootFile => {
    const [user = 'root', group = 'root'] = file.owner.split(':');
    const contents =
      file.encoding === undefined
        ? file.content
        : decodeContents(
            maybeGunzip(Buffer.from(file.content, 'base64'), file.encoding === 'gzip+base64'),
          );
    return { path: file.path, mode: Number.parseInt(file.permissions, 8), user, group, contents };
  });
  const all = (document.coreos?.units ?? []).map(
    (unit): BootUnit => ({
      name: unit.name,
      enabled: unit.enable === true,
      ...(unit.content === undefined ? {} : { contents: unit.content }),
      ...(unit.drop_ins
        ? { dropins: unit.drop_ins.map((d) => ({ name: d.name, contents: d.content })) }
        : {}),
    }),
  );
  const remoteFiles = all.flatMap((unit) => remoteFileOfUnit(unit) ?? []);
  const units = all.filter((unit) => remoteFileOfUnit(unit) === undefined);
  return { files, units, ...(remoteFiles.length > 0 ? { remoteFiles } : {}) };
}
