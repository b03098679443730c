import type { BootRemoteFile, BootUnit } from './boot-config.js';

// coreos-cloudinit cannot fetch files, let alone verify them. For cloud-config each remote file
// becomes a oneshot unit that downloads into a temporary name, checks the pinned SHA-256 and
// only then moves the file into place: a mismatch fails the unit (and everything that needs the
// file) instead of using it. The `X-Hakoc-Fetch-*` keys (systemd ignores `X-` keys) carry the
// file's description, so `parseCloudConfig` reads back exactly what Ignition would carry.

const PREFIX = 'hakoc-fetch-';

// The script in bash syntax; `bash -c SCRIPT fetch PATH URL SHA256 MODE`.
const FETCH_SCRIPT = [
  'set -euo pipefail',
  'mkdir -p "$(dirname "$1")"',
  'tmp="$1.hakoc-fetch"',
  'curl --fail --silent --show-error --location --retry 10 --retry-connrefused --retry-delay 3 --max-time 900 --output "$tmp" "$2"',
  'if ! echo "$3  $tmp" | sha256sum --check --status; then rm -f "$tmp"; echo "$1: SHA-256 mismatch, refusing $2" >&2; exit 1; fi',
  'chmod "$4" "$tmp"',
  'mv "$tmp" "$1"',
].join('; ');

/** The unit name that fetches `path` on the cloud-config path: `hakoc-fetch-<path as a unit name>.service`. */
export function remoteFileUnitName(path: string): string {
  const body = path
    .replace(/^\/+/, '')
    .replace(/\//g, '-')
    .replace(/[^A-Za-z0-9:_.-]/g, '_');
  return `${PREFIX}${body}.service`;
}

// systemd expands `$` and `%` in command lines; doubling them passes them through literally.
function systemdLiteral(text: string): string {
  return text.replace(/\$/g, '$$$$').replace(/%/g, '%%');
}

/** The oneshot unit that fetches and verifies `file` where cloud-config is the boot channel. */
export function remoteFileUnit(file: BootRemoteFile): BootUnit {
  const mode = `0${file.mode.toString(8)}`;
  const before = file.neededBy?.length ? [`Before=${file.neededBy.join(' ')}`] : [];
  const args = [file.path, file.url, file.sha256, mode].map((arg) => systemdLiteral(arg));
  return {
    name: remoteFileUnitName(file.path),
    enabled: true,
    contents: [
      '[Unit]',
      `Description=Fetch ${file.path} and verify its pinned SHA-256`,
      'Wants=network-online.target',
      'After=network-online.target',
      ...before,
      `ConditionPathExists=!${file.path}`,
      `X-Hakoc-Fetch-Path=${file.path}`,
      `X-Hakoc-Fetch-Url=${file.url}`,
      `X-Hakoc-Fetch-Sha256=${file.sha256}`,
      `X-Hakoc-Fetch-Mode=${mode}`,
      '',
      '[Service]',
      'Type=oneshot',
      'RemainAfterExit=yes',
      `ExecStart=/usr/bin/bash -c '${systemdLiteral(FETCH_SCRIPT)}' fetch ${args.join(' ')}`,
      '',
      '[Install]',
      'WantedBy=multi-user.target',
      '',
    ].join('\n'),
  };
}

/** The remote file a unit made by {@link remoteFileUnit} fetches, or undefined for other units. */
export function remoteFileOfUnit(unit: BootUnit): BootRemoteFile | undefined {
  if (!unit.name.startsWith(PREFIX) || unit.contents === undefined) return undefined;
  const value = (key: string): string | undefined =>
    new RegExp(`^${key}=(.*)$`, 'm').exec(unit.contents ?? '')?.[1];
  const path = value('X-Hakoc-Fetch-Path');
  const url = value('X-Hakoc-Fetch-Url');
  const sha256 = value('X-Hakoc-Fetch-Sha256');
  const mode = value('X-Hakoc-Fetch-Mode');
  if (path === undefined || url === undefined || sha256 === undefined || mode === undefined) {
    return undefined;
  }
  const before = value('Before');
  return {
    path,
    url,
    sha256,
    mode: Number.parseInt(mode, 8),
    ...(before === undefined ? {} : { neededBy: before.split(' ') }),
  };
}
