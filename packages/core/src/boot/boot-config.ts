/**
 * The one intermediate form of what goes on a machine at first boot: files and systemd units.
 * Modules produce pieces of it, {@link composeBootConfig} joins them, and the renderers turn the
 * result into Ignition JSON or cloud-config. Directories and their owners are expressed as
 * `systemd-tmpfiles` files, so both renderers carry exactly the same content.
 */

/** A file written at first boot. */
export interface BootFile {
  /** Absolute path on the machine. */
  readonly path: string;
  /** File content; text is written as UTF-8. */
  readonly contents: string | Uint8Array;
  /** Permission bits, e.g. `0o644`. */
  readonly mode: number;
  /** Owning user name. @default 'root' */
  readonly user?: string;
  /** Owning group name. @default 'root' */
  readonly group?: string;
  /** True for private key material and tokens: checks and reports treat it as a secret. */
  readonly secret?: boolean;
}

/**
 * A file fetched at first boot from a URL and verified against a pinned SHA-256, for artifacts
 * too large for the config itself (the Kubernetes sysext image). Ignition fetches and verifies
 * it natively (`verification.hash`) before the system boots; cloud-config has no remote files,
 * so its renderer turns each into a oneshot unit that downloads, checks the hash and only then
 * moves the file into place (see `remote-file-unit.ts`). Nothing is ever used unverified.
 */
export interface BootRemoteFile {
  /** Absolute path on the machine. */
  readonly path: string;
  /** Where to fetch it from (http or https). */
  readonly url: string;
  /** Lowercase hex SHA-256 of the file; a mismatch fails the boot step instead of using it. */
  readonly sha256: string;
  /** Permission bits, e.g. `0o644`. */
  readonly mode: number;
  /**
   * Units that need the file. Ignition has it in place before any unit starts; the
   * cloud-config fetch unit orders itself before these.
   * @default []
   */
  readonly neededBy?: readonly string[];
}

/** A systemd drop-in for a unit (`<unit>.d/<name>`). */
export interface BootUnitDropin {
  /** File name, e.g. `10-hakoc.conf`. */
  readonly name: string;
  /** The drop-in's text. */
  readonly contents: string;
}

/** A systemd unit written (or changed through drop-ins) at first boot. */
export interface BootUnit {
  /** Unit name with its suffix, e.g. `etcd-member.service`. */
  readonly name: string;
  /** Unit file text; absent when only drop-ins change a unit the OS ships. */
  readonly contents?: string;
  /** Whether the unit is enabled (started at boot through its `[Install]` section). */
  readonly enabled: boolean;
  /** Drop-ins, applied in name order. */
  readonly dropins?: readonly BootUnitDropin[];
}

/** What one module contributes to a machine. */
export interface BootConfigPart {
  readonly files?: readonly BootFile[];
  readonly units?: readonly BootUnit[];
  /** Files fetched and verified at first boot. */
  readonly remoteFiles?: readonly BootRemoteFile[];
}

/** The complete first-boot configuration of one kind of machine, sorted for stable output. */
export interface BootConfig {
  readonly files: readonly BootFile[];
  readonly units: readonly BootUnit[];
  /** Files fetched and verified at first boot; absent when there are none. */
  readonly remoteFiles?: readonly BootRemoteFile[];
}
