/**
 * Something the user should know before bringing the cluster up, that does not stop it.
 * The same shape as a warning diagnostic elsewhere in hakoc, without a source location.
 */
export interface VagrantWarning {
  /** Always `warning`: an error would be thrown instead. */
  readonly severity: 'warning';
  /** Stable identifier programs can branch on, for example `HAKOC_VAGRANT_MEMORY_OVERCOMMIT`. */
  readonly code: string;
  /** What is wrong, with the numbers. */
  readonly message: string;
  /** What the user can do about it. */
  readonly hint: string;
}
