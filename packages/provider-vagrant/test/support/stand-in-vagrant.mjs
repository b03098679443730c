#!/usr/bin/env node
// A stand-in for `vagrant`, for the process-handling tests that need a hypervisor or a
// misbehaving process. Replayed output comes from fixtures captured from the real binary (see
// ../fixtures/README.md); the behaviour is chosen by STAND_IN_MODE:
//   replay          print STAND_IN_FIXTURE to stdout, exit with STAND_IN_EXIT (default 0)
//   args            print the arguments as one machine-readable record, exit 0
//   stderr          print STAND_IN_STDERR to stderr, exit 1 (Vagrant's early load errors)
//   split-utf8      print one record whose UTF-8 character is split across two writes
//   hang            print one record, then wait; SIGINT ends it with exit 1 like Vagrant
//   ignore-sigint   like hang, but ignores SIGINT so only SIGKILL ends it
//   hypervisor      a stateful Vagrant and hypervisor for the provider tests
//                   (stand-in-hypervisor.mjs)
import { readFileSync } from 'node:fs';

const mode = process.env.STAND_IN_MODE ?? 'replay';
const record = (type, ...data) => `${Math.floor(Date.now() / 1000)},,${type},${data.join(',')}\n`;
// Keeps the process alive without busy-waiting; the tests bound every wait themselves.
const wait = () => setInterval(() => {}, 1000);

if (mode === 'hypervisor') {
  await import('./stand-in-hypervisor.mjs');
} else if (mode === 'replay') {
  process.stdout.write(readFileSync(process.env.STAND_IN_FIXTURE ?? '', 'utf8'));
  process.exitCode = Number(process.env.STAND_IN_EXIT ?? '0');
} else if (mode === 'args') {
  process.stdout.write(
    record('args', ...process.argv.slice(2).map((arg) => arg.replaceAll(',', '%!(VAGRANT_COMMA)'))),
  );
} else if (mode === 'stderr') {
  process.stderr.write(`${process.env.STAND_IN_STDERR ?? ''}\n`);
  process.exitCode = 1;
} else if (mode === 'split-utf8') {
  const bytes = Buffer.from(record('ui', 'info', 'größe'));
  const cut = bytes.indexOf(0xc3) + 1;
  process.stdout.write(bytes.subarray(0, cut), () => {
    setTimeout(() => process.stdout.write(bytes.subarray(cut)), 50);
  });
} else if (mode === 'hang') {
  process.stdout.write(record('ui', 'info', 'working'));
  process.on('SIGINT', () => {
    process.stdout.write(record('ui', 'info', 'interrupted'));
    process.exit(1);
  });
  wait();
} else if (mode === 'ignore-sigint') {
  process.stdout.write(record('ui', 'info', 'working'));
  process.on('SIGINT', () => process.stdout.write(record('ui', 'info', 'ignoring SIGINT')));
  wait();
}
