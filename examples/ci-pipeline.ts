// hakoc inside a CI pipeline: plan, keep the plan as JSON (an artifact reviewers and later jobs
// read), refuse the plan when a step would replace or delete an etcd member or its data disk,
// apply, and print
// the outputs as JSON on stdout for the next job. Progress goes to stderr, one line per step.
//
//   node examples/ci-pipeline.ts SPEC --plan-out plan.json [--pki DIR]
//
// Credentials are the usual Application Default Credentials; HAKOC_GCE_ENDPOINT points the
// provider at an emulator instead. HAKOC_PASSPHRASE unlocks the key store (default: the spec's
// keyStore.dir). Exit codes: 0 applied (or nothing to do), 1 failed, 2 refused by the guard.
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { loadOrCreatePki } from '@hakoc/certs';
import {
  apply,
  buildClusterModel,
  createOwner,
  type EngineEvent,
  formatDiagnostic,
  isHakocError,
  loadOrResolvePins,
  type PlanStep,
  pinsFileFor,
  pkiRequestFor,
  plan,
  readClusterSpecFile,
  renderCluster,
} from '@hakoc/core';
import { bootConfigsFromRendered, DISK_TYPE, ETCD_MEMBER_TYPE, gce } from '@hakoc/provider-gce';

const REFUSED = 2;

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { 'plan-out': { type: 'string', default: 'plan.json' }, pki: { type: 'string' } },
});
const [specPath] = positionals;
if (specPath === undefined) fail('usage: ci-pipeline.ts SPEC --plan-out plan.json [--pki DIR]');

const parsed = await readClusterSpecFile(specPath);
if (!parsed.ok) fail(parsed.diagnostics.map(formatDiagnostic).join('\n'));
const model = buildClusterModel(parsed.spec);

const provider = gce({ model });
try {
  // The boot configs, from the key store and the pinned downloads, as `hakoc render` makes them.
  const keyStore = values.pki ?? model.keyStore.dir;
  const passphrase = process.env.HAKOC_PASSPHRASE ?? fail('HAKOC_PASSPHRASE is not set');
  const { pki } = await loadOrCreatePki(keyStore, pkiRequestFor(model), { passphrase });
  const pins = await loadOrResolvePins({ file: pinsFileFor(keyStore), model });
  const bootConfigs = bootConfigsFromRendered(model, renderCluster(model, pki, { pins }));

  const owner = createOwner(model.name);
  const planned = await plan({ model, bootConfigs }, provider, { owner, onEvent: log });
  // The plan as JSON: versioned, deterministic, secrets shown only as markers.
  await writeFile(values['plan-out'], `${JSON.stringify(planned, null, 2)}\n`);
  const { create, update, replace, delete: deletes } = planned.summary;
  log(`plan: ${create} create, ${update} update, ${replace} replace, ${deletes} delete`);

  // The guard: an etcd member replaced or deleted, or its data disk (GCE disks of a cluster are
  // etcd data), loses a seat in the quorum and its data. That needs a person (the operations
  // guide, docs/operations.md), not a pipeline.
  const dangerous = planned.steps.filter(isEtcdMemberLoss);
  if (dangerous.length > 0) {
    for (const step of dangerous) {
      log(`refused: ${step.action} ${step.id}${step.reason ? ` (${step.reason})` : ''}`);
    }
    fail(`the plan would lose etcd data (${dangerous.length} steps); nothing was applied`, REFUSED);
  }

  // Applied even without changes: apply re-reads the cloud, so the outputs are current.
  const result = await apply(planned, { onEvent: log });
  process.stdout.write(`${JSON.stringify(result.outputs)}\n`);
} catch (error) {
  // hakoc's errors carry a stable code and often a hint; key material never appears in them.
  if (!isHakocError(error)) throw error;
  fail(`${error.message} [${error.code}]${error.hint ? `\nhint: ${error.hint}` : ''}`);
} finally {
  await provider.close();
}

function isEtcdMemberLoss(step: PlanStep): boolean {
  const etcd = step.type === ETCD_MEMBER_TYPE || step.type === DISK_TYPE;
  return etcd && (step.action === 'replace' || step.action === 'delete');
}

function log(event: EngineEvent | string): void {
  if (typeof event === 'string') return void process.stderr.write(`[hakoc] ${event}\n`);
  if (event.type === 'resource.done') log(`${event.step.action} ${event.step.id} done`);
  if (event.type === 'resource.retry') log(`retry ${event.step.id}: ${event.message}`);
  if (event.type === 'resource.failed') log(`failed ${event.step.id}: ${event.error.message}`);
}

function fail(message: string, code = 1): never {
  process.stderr.write(`[hakoc] error: ${message}\n`);
  process.exit(code);
}
