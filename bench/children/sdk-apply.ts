/**
 * A full apply of the example cluster through the SDK, in a process of its own so its peak
 * memory is its own:
 *
 *   node bench/children/sdk-apply.ts ENDPOINT
 *
 * The PKI is made in memory (no key store, so no passphrase derivation); the boot configs are
 * the real rendered ones; plan and apply run against the emulator at ENDPOINT (an empty
 * project, started by the parent). Prints one JSON line.
 */
import { apply, plan } from '@hakoc/core';
import { exampleSpec, sizedModel } from '../lib/example-cluster.ts';
import { gceCluster } from '../lib/gce-cluster.ts';

/** What the child prints. */
export interface SdkApplyResult {
  readonly resources: number;
  readonly maxRssBytes: number;
}

const [endpoint] = process.argv.slice(2);
if (endpoint === undefined) throw new Error('usage: sdk-apply.ts ENDPOINT');
const { gce } = await import('@hakoc/provider-gce');
const cluster = await gceCluster(
  sizedModel(await exampleSpec('gce'), { etcd: 3, controllers: 3, workers: 10 }),
);
const provider = gce({ model: cluster.model, endpoint, requestsPerSecond: 0 });
const planned = await plan(cluster.input, provider, { owner: cluster.owner });
const result = await apply(planned);
await provider.close();
if (result.totals.failed > 0) throw new Error(`the apply failed: ${JSON.stringify(result.totals)}`);
const report: SdkApplyResult = {
  resources: planned.steps.length,
  maxRssBytes: process.resourceUsage().maxRSS * 1024,
};
console.log(JSON.stringify(report));
