/**
 * The `hakoc` command's exit codes. Pipelines branch on them, so they never change meaning.
 * `packages/cli/README.md` lists them; a test checks the list matches this table.
 */
export const ExitCode = {
  /** Everything worked (warnings may have been printed). */
  Ok: 0,
  /**
   * The work failed: an invalid spec, a failed apply, certificates about to expire, a cluster
   * `hakoc status` finds incomplete or unhealthy.
   */
  Failure: 1,
  /**
   * The command line itself was wrong: an unknown command or option, a missing argument. Also
   * `hakoc plan --detailed-exitcode` when the plan has changes (Terraform's convention).
   */
  Usage: 2,
  /** hakoc hit an error it did not expect; the message says what to report. */
  Internal: 3,
  /**
   * Nothing was changed because the change was not approved: declined at the prompt, or no
   * terminal to ask on and no `--auto-approve`.
   */
  NotApproved: 4,
  /**
   * Another apply or destroy holds the cluster lock. Wait and run again; if its process is
   * gone, `hakoc lock break SPEC` removes the stale lock.
   */
  Locked: 5,
  /**
   * Stopped by Ctrl-C (128 + SIGINT): after the steps in flight ended (the first), or at once
   * (the second). Running the command again resumes.
   */
  Interrupted: 130,
} as const;

/** One of the {@link ExitCode} values. */
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];
