import { type CliWorkspace, cliWorkspace } from '../lib/cli-workspace.ts';
import { loadAverage } from '../lib/machine.ts';
import { table, verdict } from '../lib/markdown.ts';
import { runNode } from '../lib/node-child.ts';
import { runProbed } from '../lib/probe-run.ts';
import type { BenchSection, SectionResult, TargetCheck } from '../lib/section.ts';
import { median, megabytes, ms, range, repeat } from '../lib/stats.ts';

const HELP_TARGET_MS = 150;
const BIN = 'packages/cli/dist/bin.js';

interface Command {
  readonly label: string;
  readonly args: readonly string[];
  /** Whether the command talks to GCE (and so may load the compute client). */
  readonly callsGce: boolean;
}

function commands(workspace: CliWorkspace): Command[] {
  return [
    { label: '`node -e ""` (Node itself, for reference)', args: ['-e', ''], callsGce: false },
    { label: '`hakoc --help`', args: [BIN, '--help'], callsGce: false },
    {
      label: '`hakoc validate examples/gce.yaml`',
      args: [BIN, 'validate', 'examples/gce.yaml'],
      callsGce: false,
    },
    {
      label: '`hakoc plan examples/gce.yaml --emulator`',
      args: [BIN, 'plan', 'examples/gce.yaml', '--emulator', '--dir', workspace.keyStore],
      callsGce: true,
    },
  ];
}

// Resolved here, one literal each, so the dependency on every package is visible to tools.
const PACKAGES: readonly (readonly [string, string])[] = [
  ['@hakoc/certs', import.meta.resolve('@hakoc/certs')],
  ['@hakoc/core', import.meta.resolve('@hakoc/core')],
  ['@hakoc/core/testing', import.meta.resolve('@hakoc/core/testing')],
  ['@hakoc/provider-gce', import.meta.resolve('@hakoc/provider-gce')],
  ['@hakoc/provider-gce/emulator', import.meta.resolve('@hakoc/provider-gce/emulator')],
  ['@hakoc/provider-vagrant', import.meta.resolve('@hakoc/provider-vagrant')],
  ['@hakoc/cli', import.meta.resolve('@hakoc/cli')],
];

interface ImportTiming {
  readonly ms: number;
}

/** Import time of one entry point, in a fresh process. */
async function importTime(specifier: string, url: string): Promise<number> {
  const code = `const t = performance.now(); await import(${JSON.stringify(url)}); console.log(JSON.stringify({ ms: performance.now() - t }));`;
  const { value } = await runNode<ImportTiming>(['--input-type=module', '-e', code]);
  if (value === undefined) throw new Error(`importing ${specifier} printed nothing`);
  return value.ms;
}

/** Cold start of the `hakoc` command and import time of each package, in spawned processes. */
export const startupSection: BenchSection = {
  id: 'startup',
  async run(ctx): Promise<SectionResult> {
    const loadBefore = loadAverage();
    const runs = (command: Command) => (ctx.quick ? 0 : command.callsGce ? 5 : 15);
    const commandRows: string[][] = [];
    const targets: TargetCheck[] = [];
    const workspace = await cliWorkspace();
    try {
      const env = workspace.env;
      // The first plan creates the key store; the timed ones find it, as every later run does.
      // A quick run skips that and times the probed run alone, key store creation included.
      if (!ctx.quick) {
        ctx.log('startup: a first plan creates the key store (not timed)');
        await runNode(
          [BIN, 'plan', 'examples/gce.yaml', '--emulator', '--dir', workspace.keyStore],
          { env },
        );
      }
      for (const command of commands(workspace)) {
        ctx.log(`startup: ${command.label} (${runs(command)} runs and one probed)`);
        const timed = await repeat(
          runs(command),
          async () => (await runNode(command.args, { env })).wallMs,
        );
        const probed = await runProbed(command.args, { env });
        const walls = ctx.quick ? [probed.wallMs] : timed;
        const { min, max } = range(walls);
        commandRows.push([
          command.label,
          String(walls.length),
          ms(median(walls)),
          ms(min),
          ms(max),
          megabytes(probed.probe.maxRssBytes),
          String(probed.probe.computeModules),
        ]);
        if (command.args[1] === '--help') {
          const help = median(walls);
          targets.push({
            what: '`hakoc --help` cold start, median',
            target: `< ${HELP_TARGET_MS} ms`,
            measured: `${ms(help)} ms`,
            met: help < HELP_TARGET_MS,
          });
        }
        if (command.args[0] === BIN) {
          // The control: a command that calls GCE must show the client loaded, or the probe is blind.
          const computeModules = probed.probe.computeModules;
          targets.push({
            what: `${command.label}: \`@google-cloud/compute\` modules loaded`,
            target: command.callsGce ? '> 0 (control)' : '0',
            measured: String(computeModules),
            met: command.callsGce ? computeModules > 0 : computeModules === 0,
          });
        }
      }
    } finally {
      await workspace.remove();
    }
    const importRows: string[][] = [];
    for (const [specifier, url] of PACKAGES) {
      ctx.log(`startup: import ${specifier}`);
      const times = await repeat(ctx.quick ? 1 : 7, () => importTime(specifier, url));
      const { min, max } = range(times);
      importRows.push([
        `\`${specifier}\``,
        String(times.length),
        ms(median(times)),
        ms(min),
        ms(max),
      ]);
    }
    const markdown = [
      '## Start-up',
      '',
      "`bench/sections/startup.ts`. Each command is a fresh `node packages/cli/dist/bin.js …` process (the built CLI, as `npm start` runs it), timed from spawn to exit by the parent; then once more with a probe preloaded (`bench/children/probe.js`, plain JavaScript so that Node loads no type stripper into the measured process) that records at exit the peak RSS and how many modules of `@google-cloud/compute` the process loaded. `plan --emulator` (with a key store made by an untimed first plan, and the download pins in place so it renders offline) loads the key store, renders the boot configs, starts the GCE emulator in the process and plans the example cluster against it, so it loads the Google clients by design: it is the probe's positive control. In a quick run each command runs once, probed, and the plan also creates the key store. Import times are `await import()` of each entry point's build in a fresh process, Node's own start-up excluded.",
      '',
      `Load average before: ${loadBefore}; after: ${loadAverage()}.`,
      '',
      table(
        [
          'command',
          'runs',
          'median ms',
          'min ms',
          'max ms',
          'peak RSS MB',
          '@google-cloud/compute modules loaded',
        ],
        commandRows,
      ),
      '',
      table(['import', 'runs', 'median ms', 'min ms', 'max ms'], importRows),
      '',
      `Against the targets: ${targets.map((t) => `${t.what}: ${t.measured} (${t.target}) — ${verdict(t.met)}`).join('; ')}.`,
    ].join('\n');
    return { markdown, targets };
  },
};
