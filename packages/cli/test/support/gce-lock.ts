import {
  buildClusterModel,
  createOwner,
  type LockRecord,
  readClusterSpecFile,
  readLock,
} from '@hakoc/core';
import { gce } from '@hakoc/provider-gce';
import { startGceEmulator } from '@hakoc/provider-gce/emulator';

/**
 * Runs `work` with the GCE provider of the cluster in `specPath`, pointed at an emulator that
 * keeps its world in `statePath` (the file `--emulator-state` names), as a second process
 * holding the cluster lock would see it.
 */
async function withWorld<T>(
  specPath: string,
  statePath: string,
  work: (provider: ReturnType<typeof gce>, owner: ReturnType<typeof createOwner>) => Promise<T>,
): Promise<T> {
  const read = await readClusterSpecFile(specPath);
  if (!read.ok) throw new Error(`invalid spec ${specPath}`);
  const model = buildClusterModel(read.spec);
  if (model.provider.name !== 'gce') throw new Error('a GCE spec is needed');
  const emulator = await startGceEmulator({
    latencyScale: 0.001,
    dnsZones: [{ name: model.provider.dnsZone, dnsName: `${model.domain}.` }],
    statePath,
  });
  const provider = gce({ model, endpoint: emulator.url, requestsPerSecond: 0 });
  try {
    return await work(provider, createOwner(model.name));
  } finally {
    await provider.close();
    await emulator.close();
  }
}

/** Takes the cluster lock as a run that was then killed would have left it. */
export function leaveStaleLock(specPath: string, statePath: string, record: LockRecord) {
  return withWorld(specPath, statePath, (provider, owner) =>
    provider.lock.create({ owner, signal: AbortSignal.timeout(30_000) }, record),
  );
}

/** The cluster lock in the world, if any. */
export function lockIn(specPath: string, statePath: string): Promise<LockRecord | undefined> {
  return withWorld(specPath, statePath, (provider, owner) => readLock(owner, provider));
}
