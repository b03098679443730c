/**
 * One point of the scale benchmark, in a process of its own so its peak memory is its own:
 *
 *   node --expose-gc bench/children/scale-point.ts gce|vagrant ETCD CONTROLLERS WORKERS [ENDPOINT]
 *
 * Builds the model, the PKI (timed apart: it grows with etcd members and controllers by
 * design), renders every boot config, and then for GCE plans against the emulator at ENDPOINT
 * (an empty project, started by the parent so its memory is not counted here) or for Vagrant
 * builds the desired graph (project files and one machine per VM). Prints one JSON line.
 */
import { createClusterPki } from '@hakoc/certs';
import { createOwner, pkiRequestFor, plan, renderCluster } from '@hakoc/core';
import { bootConfigsFromRendered } from '@hakoc/provider-gce';
import { exampleSpec, placeholderPins, sizedModel } from '../lib/example-cluster.ts';

/** What the child prints. */
export interface ScalePointResult {
  readonly modelMs: number;
  readonly pkiMs: number;
  readonly renderMs: number;
  /** GCE: `plan()` on an empty project, loading the Google clients; Vagrant: the desired graph. */
  readonly graphMs: number;
  /** The same again in this process (GCE: the clients are loaded). */
  readonly graphAgainMs: number;
  readonly resources: number;
  readonly renderedFiles: number;
  readonly renderedBytes: number;
  readonly maxRssBytes: number;
  /** Heap in use after a full collection, at the end. */
  readonly heapUsedBytes: number;
}

const [provider = '', etcd = '', controllers = '', workers = '', endpoint] = process.argv.slice(2);
if (provider !== 'gce' && provider !== 'vagrant')
  throw new Error('usage: gce|vagrant E C W [ENDPOINT]');
const size = { etcd: Number(etcd), controllers: Number(controllers), workers: Number(workers) };

let mark = performance.now();
const lap = (): number => {
  const now = performance.now();
  const elapsed = now - mark;
  mark = now;
  return elapsed;
};
const model = sizedModel(await exampleSpec(provider), size);
const modelMs = lap();
const pki = await createClusterPki(pkiRequestFor(model));
const pkiMs = lap();
const rendered = renderCluster(model, pki, { pins: placeholderPins(model) });
const renderMs = lap();
let graph: () => Promise<number>;
let close = async (): Promise<void> => {};
if (provider === 'gce') {
  if (endpoint === undefined) throw new Error('gce points need the emulator endpoint');
  // Each point loads only its own provider, as the CLI does.
  const { gce } = await import('@hakoc/provider-gce');
  const gceProvider = gce({ model, endpoint, requestsPerSecond: 0 });
  const input = { model, bootConfigs: bootConfigsFromRendered(model, rendered) };
  const owner = createOwner(model.name);
  graph = async () => (await plan(input, gceProvider, { owner })).steps.length;
  close = () => gceProvider.close();
} else {
  const { desiredResources, userDataFromRendered } = await import('@hakoc/provider-vagrant');
  const input = { model, userData: userDataFromRendered(rendered) };
  graph = async () => (await desiredResources(input)).resources.length;
}
const resources = await graph();
const graphMs = lap();
await graph();
const graphAgainMs = lap();
await close();
globalThis.gc?.();
const result: ScalePointResult = {
  modelMs,
  pkiMs,
  renderMs,
  graphMs,
  graphAgainMs,
  resources,
  renderedFiles: rendered.files.size,
  renderedBytes: [...rendered.files.values()].reduce(
    (sum, text) => sum + Buffer.byteLength(text),
    0,
  ),
  maxRssBytes: process.resourceUsage().maxRSS * 1024,
  heapUsedBytes: process.memoryUsage().heapUsed,
};
console.log(JSON.stringify(result));
