import { ExitCode, runCli } from '@hakoc/cli';
import { describe, expect, it } from 'vitest';
import packageJson from '../package.json' with { type: 'json' };
import { captureIo } from './capture-io.js';

describe('hakoc --help and --version', () => {
  it('prints the version and exits 0', async () => {
    const io = captureIo();
    expect(await runCli(['--version'], io)).toBe(ExitCode.Ok);
    expect(io.out().trim()).toBe(packageJson.version);
  });

  it('lists the commands, and every command has help with examples', async () => {
    const io = captureIo();
    expect(await runCli(['--help'], io)).toBe(ExitCode.Ok);
    expect(io.out()).toContain('validate');
    const command = captureIo();
    expect(await runCli(['validate', '--help'], command)).toBe(ExitCode.Ok);
    expect(command.out()).toContain('Examples:');
  });
});
