import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { formatPath, HakocError, parseClusterSpec } from '@hakoc/core';
import type { CommandContext } from '../command-context.js';
import type { InitOptions } from '../commands/init.js';
import { ExitCode } from '../exit-codes.js';
import { commentedSpec } from '../templates/commented-spec.js';

/**
 * What `hakoc init` does: writes the commented spec, refusing to overwrite a file unless told
 * to, and never a spec that would not validate.
 */
export async function initAction(ctx: CommandContext, options: InitOptions): Promise<void> {
  const { io, palette } = ctx;
  const toStdout = options.out === '-';
  const text = commentedSpec(
    options.provider,
    options.name,
    toStdout ? 'cluster.yaml' : options.out,
  );
  // The template is valid by construction; only the name comes from the user.
  const problems = parseClusterSpec(text).diagnostics.filter((d) => d.severity === 'error');
  if (problems.length > 0) {
    for (const problem of problems) {
      const hint = problem.hint === undefined ? '' : `\n    hint: ${problem.hint}`;
      io.stderr(
        `${palette.error('error')}: ${formatPath(problem.path)}: ${problem.message}${hint}\n`,
      );
    }
    ctx.exitWith(ExitCode.Usage);
    return;
  }
  if (toStdout) {
    io.stdout(text);
    return;
  }
  const target = resolve(io.cwd, options.out);
  await mkdir(dirname(target), { recursive: true });
  try {
    // `wx` refuses an existing file in the same call that creates it: no window for a race.
    await writeFile(target, text, { flag: options.force ? 'w' : 'wx' });
  } catch (cause) {
    if (!isFileExists(cause)) throw cause;
    throw new HakocError('HAKOC_INIT_EXISTS', `${options.out} already exists`, {
      hint: 'pass --force to overwrite it, or --out to write another file',
    });
  }
  io.stdout(`${target}\n`);
  io.stderr(
    `${palette.ok('✓')} wrote a ${options.provider} spec for cluster ${options.name} to ${options.out}\n` +
      `  next: edit it, then ${palette.bold(`hakoc validate ${options.out}`)}\n`,
  );
}

function isFileExists(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === 'EEXIST';
}
