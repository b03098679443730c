/**
 * The `hakoc` command's exit codes. Pipelines branch on them, so they never change meaning.
 */
export const ExitCode = {
  /** Everything worked (warnings may have been printed). */
  Ok: 0,
  /** The work failed: an invalid spec, a failed apply, certificates about to expire. */
  Failure: 1,
  /** The command line itself was wrong: an unknown command or option, a missing argument. */
  Usage: 2,
  /** hakoc hit an error it did not expect; the message says what to report. */
  Internal: 3,
  /**
   * Stopped by Ctrl-C (128 + SIGINT): after the steps in flight ended (the first), or at once
   * (the second). Running the command again resumes.
   */
  Interrupted: 130,
} as const;

/** One of the {@link ExitCode} values. */
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];
