import type { CliIo } from '@hakoc/cli';

/** A {@link CliIo} that records what the command writes, for assertions. */
export interface CapturedIo extends CliIo {
  readonly out: () => string;
  readonly err: () => string;
}

export function captureIo(overrides: Partial<CliIo> = {}): CapturedIo {
  let out = '';
  let err = '';
  return {
    stdout: (text) => {
      out += text;
    },
    stderr: (text) => {
      err += text;
    },
    env: {},
    cwd: new URL('../../..', import.meta.url).pathname,
    interactive: false,
    out: () => out,
    err: () => err,
    ...overrides,
  };
}
