// Plan and apply the example HA cluster from code, watching the engine's typed events.
//
//   npm run build && node examples/sdk-basic.ts [OUT]
//
// It runs anywhere: a GCE emulator starts in this process and the provider talks to it through
// the real Google clients. For a real project, drop the emulator and the `endpoint` option (the
// provider then uses Application Default Credentials). The key store, pins and emulator state
// land in OUT (default hakoc-out/sdk-basic); run it twice and the second plan has no changes.
import { join } from 'node:path';
import { loadOrCreatePki } from '@hakoc/certs';
import {
  apply,
  buildClusterModel,
  createOwner,
  type EngineEvent,
  formatDiagnostic,
  loadOrResolvePins,
  pinsFileFor,
  pkiRequestFor,
  plan,
  readClusterSpecFile,
  renderCluster,
} from '@hakoc/core';
import { bootConfigsFromRendered, gce } from '@hakoc/provider-gce';
import { startGceEmulator } from '@hakoc/provider-gce/emulator';

const out = process.argv[2] ?? 'hakoc-out/sdk-basic';
// The key store's private keys are encrypted with this passphrase.
const passphrase = process.env.HAKOC_PASSPHRASE ?? 'sdk-basic demo passphrase';

// 1. The spec: parsed, validated (every problem at once) and turned into the cluster model.
const parsed = await readClusterSpecFile(join(import.meta.dirname, 'gce.yaml'));
if (!parsed.ok) {
  for (const diagnostic of parsed.diagnostics) console.error(formatDiagnostic(diagnostic));
  process.exit(1);
}
const model = buildClusterModel(parsed.spec);

// 2. What the machines boot: the cluster PKI (created once, then loaded) and every Ignition
//    config. The pins file caches the Kubernetes binaries' SHA-256, so later runs are offline.
const keyStore = join(out, 'pki');
const { pki } = await loadOrCreatePki(keyStore, pkiRequestFor(model), { passphrase });
const pins = await loadOrResolvePins({ file: pinsFileFor(keyStore), model });
const bootConfigs = bootConfigsFromRendered(model, renderCluster(model, pki, { pins }));

// 3. A Compute Engine emulator on loopback, holding the project's DNS zone and enough quota.
const emulator = await startGceEmulator({
  latencyScale: 0.001,
  quotas: { region: { IN_USE_ADDRESSES: 64, CPUS: 96 } },
  dnsZones: [{ name: 'example-com', dnsName: `${model.domain}.` }],
  statePath: join(out, 'gce-emulator.json'),
});
const provider = gce({ model, endpoint: emulator.url, requestsPerSecond: 0 });

try {
  // 4. Plan: read what exists (by ownership labels) and diff it against the desired graph.
  const owner = createOwner(model.name);
  const planned = await plan({ model, bootConfigs }, provider, { owner, onEvent: report });
  const { create, update, replace, delete: deletes } = planned.summary;
  console.log(
    `plan: ${create} to create, ${update} to update, ${replace} to replace, ${deletes} to delete`,
  );

  // 5. Apply: the steps run as a graph, in parallel where they can, retried when GCE says so.
  const result = await apply(planned, { onEvent: report, concurrency: 8 });
  console.log(`API server: ${result.outputs?.apiUrl} at ${result.outputs?.apiAddress}`);
  console.log(`etcd: ${result.outputs?.etcd.map((m) => `${m.name} ${m.ip}`).join(', ')}`);
} finally {
  await provider.close();
  await emulator.close();
}

// Events are a discriminated union: TypeScript knows each one's fields from its `type`.
function report(event: EngineEvent): void {
  switch (event.type) {
    case 'resource.done':
      console.log(`  ${event.step.action} ${event.step.id} (${Math.round(event.durationMs)} ms)`);
      break;
    case 'resource.retry':
      console.log(`  retry ${event.step.id} in ${event.delayMs} ms: ${event.message}`);
      break;
    case 'resource.failed':
      console.error(`  failed ${event.step.id}: ${event.error.message}`);
      break;
    case 'apply.finished':
      console.log(`applied: ${event.totals.done} done, ${event.totals.failed} failed`);
      break;
  }
}
