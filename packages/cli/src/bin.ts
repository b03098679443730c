#!/usr/bin/env node
import { enableCompileCache } from 'node:module';

// V8 keeps the code it compiled for hakoc's modules in the OS temp folder, so every run after
// the first starts in about half the time. Enabled before anything else is imported.
enableCompileCache();
const { processIo } = await import('./cli-io.js');
const { runCli } = await import('./run-cli.js');

// `hakoc … | head` closes the pipe early: that is the reader's choice, not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

process.exitCode = await runCli(process.argv.slice(2), processIo());
