import type { CommandUnknownOpts } from '@commander-js/extra-typings';
import { ExitCode, runCli } from '@hakoc/cli';
import { describe, expect, it } from 'vitest';
import packageJson from '../package.json' with { type: 'json' };
import { paletteFor } from '../src/cli-io.js';
import { createProgram } from '../src/program.js';
import { captureIo } from './capture-io.js';

/** Every command of the tree as the words that run it, `['certs', 'check']` and so on. */
function commandPaths(command: CommandUnknownOpts, prefix: string[] = []): string[][] {
  return command.commands.flatMap((child) => {
    const path = [...prefix, child.name()];
    return [path, ...commandPaths(child, path)];
  });
}

const io = captureIo();
const everyCommand = commandPaths(
  createProgram({ io, palette: paletteFor(io), exitWith: () => undefined }),
);

describe('hakoc --help and --version', () => {
  it('prints the package version with --version and -v, and exits 0', async () => {
    for (const flag of ['--version', '-v']) {
      const run = captureIo();
      expect(await runCli([flag], run)).toBe(ExitCode.Ok);
      expect(run.out()).toBe(`${packageJson.version}\n`);
    }
  });

  it('lists every command, with examples and the exit codes', async () => {
    const run = captureIo();
    expect(await runCli(['--help'], run)).toBe(ExitCode.Ok);
    for (const [name] of everyCommand.filter((path) => path.length === 1)) {
      expect(run.out()).toMatch(new RegExp(`^  ${name} `, 'm'));
    }
    expect(run.out()).toContain('Examples:');
    expect(run.out()).toMatch(/Exit status: 0 ok, 1 failed.*4 not approved/s);
  });

  it('knows the commands the issue asks for', () => {
    const names = everyCommand.map((path) => path.join(' '));
    for (const wanted of ['init', 'validate', 'render', 'plan', 'apply', 'destroy', 'status']) {
      expect(names).toContain(wanted);
    }
    for (const wanted of ['kubeconfig', 'certs check', 'certs renew', 'graph', 'lock break']) {
      expect(names).toContain(wanted);
    }
  });

  it.each(everyCommand.map((path) => [path.join(' '), path]))(
    '`hakoc %s --help` shows usage and at least one example that runs it',
    async (name, path) => {
      const run = captureIo();
      expect(await runCli([...path, '--help'], run)).toBe(ExitCode.Ok);
      expect(run.out()).toMatch(new RegExp(`^Usage: hakoc ${name}`, 'm'));
      expect(run.out()).toContain('Examples:');
      expect(run.out()).toMatch(new RegExp(`^  \\$ .*hakoc ${name}( |$)`, 'm'));
      expect(run.err()).toBe('');
    },
  );

  it('rejects an unknown command with exit status 2 and a pointer to --help', async () => {
    const run = captureIo();
    expect(await runCli(['no-such-command'], run)).toBe(ExitCode.Usage);
    expect(run.err()).toContain("unknown command 'no-such-command'");
    expect(run.err()).toContain('--help');
  });
});
