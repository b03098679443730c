import { HakocError, isLockedError } from '@hakoc/core';

/** The `hakoc lock break` command line for the cluster a command was run on. */
export function lockBreakCommandLine(
  specPath: string,
  emulator: { readonly emulator?: boolean; readonly emulatorState?: string },
): string {
  const words = ['hakoc', 'lock', 'break', specPath];
  if (emulator.emulatorState !== undefined) words.push('--emulator-state', emulator.emulatorState);
  else if (emulator.emulator === true) words.push('--emulator');
  return words.map(shellWord).join(' ');
}

/**
 * Runs `work`; when the cluster lock is held elsewhere, rethrows the error with a hint naming
 * the exact command that breaks a stale lock. Same code, so the exit status stays "locked".
 */
export async function withLockHint<T>(breakCommand: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!isLockedError(error)) throw error;
    throw new HakocError(error.code, error.message, {
      hint: `Wait for it to finish and run again. If that process is gone (killed, or its machine lost), break the stale lock: ${breakCommand}`,
    });
  }
}

// Quoted only when needed, so the usual command reads as typed.
function shellWord(word: string): string {
  return /^[\w./:=@-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}
