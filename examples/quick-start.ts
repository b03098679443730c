import { loadOrCreatePki } from '@hakoc/certs';
import * as hakoc from '@hakoc/core';
import { bootConfigsFromRendered, gce } from '@hakoc/provider-gce';

const parsed = await hakoc.readClusterSpecFile('examples/gce.yaml');
if (!parsed.ok) throw new Error(parsed.diagnostics.map(hakoc.formatDiagnostic).join('\n'));
const model = hakoc.buildClusterModel(parsed.spec);

// What the machines boot: the PKI from the spec's encrypted key store (made on first use) and
// pinned downloads, rendered to one Ignition config per etcd member and per machine set.
const { dir } = model.keyStore;
const passphrase = process.env.HAKOC_PASSPHRASE ?? '';
const { pki } = await loadOrCreatePki(dir, hakoc.pkiRequestFor(model), { passphrase });
const pins = await hakoc.loadOrResolvePins({ file: hakoc.pinsFileFor(dir), model });
const bootConfigs = bootConfigsFromRendered(model, hakoc.renderCluster(model, pki, { pins }));

// Plan against what exists (set HAKOC_GCE_ENDPOINT to use an emulator), then apply.
const provider = gce({ model });
const plan = await hakoc.plan({ model, bootConfigs }, provider, {
  owner: hakoc.createOwner(model.name),
});
const result = await hakoc.apply(plan, {
  onEvent: (e) => e.type === 'resource.done' && console.log(`${e.step.action} ${e.step.id}`),
});
console.log(`${result.totals.done} changes; API at ${result.outputs?.apiUrl}`);
await provider.close();
