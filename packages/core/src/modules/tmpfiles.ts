import type { BootFile, BootUnit } from '../boot/index.js';

/** The unit that applies every hakoc tmpfiles file; units needing those paths order after it. */
export const TMPFILES_UNIT = 'hakoc-tmpfiles.service';

/** One line of a systemd-tmpfiles file: a directory, or a symlink to `target`. */
export type TmpfilesEntry =
  | { readonly directory: string; readonly mode: number; readonly user?: string }
  | { readonly link: string; readonly target: string };

/**
 * A module's directories and links as `/etc/tmpfiles.d/hakoc-<module>.conf`. Both renderers
 * carry such a file unchanged (Ignition and cloud-config alike write files), which is why
 * directories are not Ignition `storage.directories`.
 */
export function tmpfilesFile(module: string, entries: readonly TmpfilesEntry[]): BootFile {
  const lines = entries.map((entry) =>
    'link' in entry
      ? `L+ ${entry.link} - - - - ${entry.target}`
      : `d ${entry.directory} 0${entry.mode.toString(8)} ${entry.user ?? 'root'} ${entry.user ?? 'root'} -`,
  );
  return {
    path: `/etc/tmpfiles.d/hakoc-${module}.conf`,
    contents: `# Written by hakoc (${module}).\n${lines.join('\n')}\n`,
    mode: 0o644,
  };
}

/**
 * Applies the tmpfiles files. systemd-tmpfiles-setup does so on an Ignition boot already, but
 * coreos-cloudinit writes files after it has run; creating again is idempotent either way.
 */
export function tmpfilesUnit(): BootUnit {
  return {
    name: TMPFILES_UNIT,
    enabled: true,
    contents: `[Unit]
Description=Create hakoc's directories and links (idempotent; cloud-config writes them late)
DefaultDependencies=no
After=local-fs.target systemd-tmpfiles-setup.service
Before=containerd.service

[Service]
Type=oneshot
RemainAfterExit=yes
ExecStart=/usr/bin/systemd-tmpfiles --create

[Install]
WantedBy=multi-user.target
`,
  };
}
