#!/usr/bin/env node
import { parseEmulatorArgs, USAGE } from './args.js';
import { startGceEmulator } from './server.js';

/**
 * `hakoc-gce-emulator`: runs the emulator until SIGINT/SIGTERM. The URL is the first line on
 * stdout so a parent process can read it and connect.
 */
async function main(): Promise<void> {
  let options: ReturnType<typeof parseEmulatorArgs>;
  try {
    options = parseEmulatorArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  if (options === 'help') {
    process.stdout.write(USAGE);
    return;
  }
  const emulator = await startGceEmulator(options);
  process.stdout.write(`${emulator.url}\n`);
  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`hakoc-gce-emulator: ${signal}, stopping\n`);
    void emulator.close().then(() => {
      process.exitCode = 0;
    });
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

void main();
