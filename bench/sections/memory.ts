import { fileURLToPath } from 'node:url';
import { startGceEmulator } from '@hakoc/provider-gce/emulator';
import type { SdkApplyResult } from '../children/sdk-apply.ts';
import { cliWorkspace } from '../lib/cli-workspace.ts';
import { emulatorOptionsFor } from '../lib/emulator-options.ts';
import { exampleSpec, sizedModel } from '../lib/example-cluster.ts';
import { loadAverage } from '../lib/machine.ts';
import { table, verdict } from '../lib/markdown.ts';
import { runNode } from '../lib/node-child.ts';
import { runProbed } from '../lib/probe-run.ts';
import type { BenchSection, SectionResult } from '../lib/section.ts';
import { megabytes, ms } from '../lib/stats.ts';

const TARGET_BYTES = 200e6;
const BIN = 'packages/cli/dist/bin.js';
const SDK_APPLY = fileURLToPath(new URL('../children/sdk-apply.ts', import.meta.url));
/** The key store's passphrase check, as `packages/certs/src/sealed-file.ts` runs it. */
const SCRYPT_ALONE = `require('node:crypto').scrypt('passphrase', Buffer.alloc(16), 32, { N: 2 ** 15, r: 8, p: 3, maxmem: 2 ** 28 }, (error) => { if (error) throw error; });`;

interface Row {
  readonly label: string;
  readonly rssBytes: number;
  /** Sampled while no scrypt ran; undefined where the process is not probed. */
  readonly rssOutsideScryptBytes?: number;
  readonly wallMs: number;
}

/** Runs `work` with a fresh emulator for the example, so each apply starts from an empty project. */
async function withEmulator<T>(work: (url: string) => Promise<T>): Promise<T> {
  const model = sizedModel(await exampleSpec('gce'), { etcd: 3, controllers: 3, workers: 10 });
  const emulator = await startGceEmulator(emulatorOptionsFor(model, 0.01));
  try {
    return await work(emulator.url);
  } finally {
    await emulator.close();
  }
}

/** Peak RSS of a full apply, and of what it is made of. */
export const memorySection: BenchSection = {
  id: 'memory',
  async run(ctx): Promise<SectionResult> {
    const loadBefore = loadAverage();
    const rows: Row[] = [];
    const probed = async (
      label: string,
      args: readonly string[],
      env: Record<string, string> = {},
    ) => {
      ctx.log(`memory: ${label}`);
      const run = await runProbed(args, { env });
      rows.push({
        label,
        rssBytes: run.probe.maxRssBytes,
        rssOutsideScryptBytes: run.probe.maxRssOutsideScryptBytes,
        wallMs: run.wallMs,
      });
      return run;
    };
    await probed('`node -e ""`: Node itself', ['-e', '']);
    await probed("scrypt N=2^15 r=8 p=3 alone: the key store's passphrase check", [
      '-e',
      SCRYPT_ALONE,
    ]);
    ctx.log('memory: SDK plan + apply');
    const sdk = await withEmulator((url) => runNode<SdkApplyResult>([SDK_APPLY, url]));
    if (sdk.value === undefined) throw new Error('the SDK apply printed nothing');
    rows.push({
      label: 'SDK: PKI in memory, render, plan, apply (no key store), emulator in another process',
      rssBytes: sdk.value.maxRssBytes,
      wallMs: sdk.wallMs,
    });
    const workspace = await cliWorkspace();
    let cliRss = Number.NaN;
    let cliRssOutsideScrypt = Number.NaN;
    try {
      const env = { ...workspace.env };
      // A quick run lets the apply create the key store itself.
      if (!ctx.quick) {
        ctx.log('memory: a first plan creates the key store');
        await runNode(
          [BIN, 'plan', 'examples/gce.yaml', '--emulator', '--dir', workspace.keyStore],
          { env },
        );
      }
      const cli = await withEmulator((url) =>
        probed(
          '`hakoc apply examples/gce.yaml --auto-approve`: key store, render, plan, apply; emulator in another process (`HAKOC_GCE_ENDPOINT`)',
          [BIN, 'apply', 'examples/gce.yaml', '--auto-approve', '--dir', workspace.keyStore],
          { ...env, HAKOC_GCE_ENDPOINT: url },
        ),
      );
      cliRss = cli.probe.maxRssBytes;
      cliRssOutsideScrypt = cli.probe.maxRssOutsideScryptBytes;
      if (!ctx.quick) {
        await probed(
          '`hakoc apply examples/gce.yaml --emulator --auto-approve`: the same with the emulator in the process (`npm start`)',
          [
            BIN,
            'apply',
            'examples/gce.yaml',
            '--emulator',
            '--auto-approve',
            '--dir',
            workspace.keyStore,
          ],
          env,
        );
      }
    } finally {
      await workspace.remove();
    }
    const met = cliRss < TARGET_BYTES;
    const markdown = [
      '## Memory',
      '',
      "`bench/sections/memory.ts`: peak RSS (`process.resourceUsage().maxRSS` at exit, through the probe `bench/children/probe.js`) of a full apply of the example cluster from an empty project, and of its parts, each in a process of its own. The probe also samples RSS every 5 ms while no scrypt derivation is running (it counts calls of `crypto.scrypt` in flight), which separates the key store's passphrase check from everything else the process does. The CLI rows use a key store made by an untimed first plan (a quick run lets the apply make it) and offline download pins; their emulator runs in the bench process at latency scale 0.01, except in the last row. The CLI keeps the provider's default request rate (20 per second), which sets those rows' wall time. The SDK row is a TypeScript child (`bench/children/sdk-apply.ts`, not probed), so it also holds Node's type stripper, about 18 MB the built CLI never loads.",
      '',
      `Load average before: ${loadBefore}; after: ${loadAverage()}.`,
      '',
      table(
        ['process', 'peak RSS MB', 'peak RSS while no scrypt runs, MB', 'wall ms'],
        rows.map((r) => [
          r.label,
          megabytes(r.rssBytes),
          r.rssOutsideScryptBytes === undefined ? '—' : megabytes(r.rssOutsideScryptBytes),
          ms(r.wallMs),
        ]),
      ),
      '',
      `Against the target (a full \`hakoc apply\` under ${megabytes(TARGET_BYTES)} MB peak RSS): ${megabytes(cliRss)} MB — ${verdict(met)}; while no scrypt runs it peaks at ${megabytes(cliRssOutsideScrypt)} MB, ${cliRssOutsideScrypt < TARGET_BYTES ? 'under' : 'over'} the target.`,
      '',
      `Read the rows as layers. Node itself. The passphrase check: scrypt N=2^15, r=8, p=3 (\`packages/certs/src/sealed-file.ts\`; one of the settings OWASP lists as equivalent to N=2^17, p=1, whose 128 MiB buffer made the CLI peak at about 250 MB) needs a 32 MiB work buffer, native memory held only while it runs, on top of whatever the process holds at that moment (the second row); the CLI runs it once the spec is parsed and the certificate library loaded, before the Google clients load. The SDK doing the whole apply without a key store: the Google compute and DNS clients are most of what it adds over Node; the compute clients hold only the \`v1\` part of the API's protos that the provider uses (\`packages/provider-gce/src/proto-json-subset.ts\`, \`cached-json-module.ts\`).`,
    ].join('\n');
    return {
      markdown,
      targets: [
        {
          what: 'peak RSS of `hakoc apply` (example cluster, from empty)',
          target: `< ${megabytes(TARGET_BYTES)} MB`,
          measured: `${megabytes(cliRss)} MB`,
          met,
        },
      ],
    };
  },
};
